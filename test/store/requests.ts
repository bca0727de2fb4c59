import type { NewRequest, StoredRequest } from '../../server/store';

/** A plain capture for `binId`: body one byte (`n`), received at 1000 + n, with `overrides` on top. */
export function newRequest(binId: string, n: number, overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    binId, receivedAt: 1_000 + n, method: 'POST', url: `/b/${binId}`, path: '/', query: '', httpVersion: '1.1',
    headers: [['Host', 'example.com'], ['X-N', String(n)]], contentType: null, size: 1, truncated: false,
    body: Buffer.from([n % 256]), remoteAddress: '127.0.0.1', remotePort: 40_000, secure: false, status: 200, handshake: null,
    ...overrides,
  };
}

/** The ids of stored results; throws on an error among them. */
export function storedIds(results: readonly (StoredRequest | Error)[]): number[] {
  return results.map((r) => {
    if (r instanceof Error) throw r;
    return r.id;
  });
}
