/**
 * Fills a bin with many requests straight through the SQLite store, for the big-bin browser test and the viewer's
 * list benchmark (bench/viewer-list.ts): 30,000 captures over HTTP would take minutes, in one transaction per batch
 * they take a second or two. The server that owns the file must be stopped meanwhile (one hooklens per SQLite file).
 * No vitest here, so that a plain script can import it.
 */
import type { NewRequest } from '../../server/store';
import { openSqliteStore } from '../../server/store/sqlite';

const BATCH = 2_000;
const BASIC = `Basic ${Buffer.from('jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv').toString('base64')}`;

/**
 * The `n`th of `count` seeded captures: a small JSON POST to `/orders/{n}`, one in three with Zendesk API-token
 * credentials, received one second after the one before so that the newest is `now`.
 */
export function seededRequest(binId: string, n: number, count: number, now: number): NewRequest {
  const body = Buffer.from(JSON.stringify({ order: n }));
  const headers: [string, string][] = [['Host', 'example.com'], ['Content-Type', 'application/json'], ['X-Seq', String(n)]];
  if (n % 3 === 0) headers.push(['Authorization', BASIC]);
  return {
    binId, receivedAt: now - (count - 1 - n) * 1_000, method: n % 10 === 0 ? 'PUT' : 'POST', url: `/b/${binId}/orders/${n}?page=${n % 7}`,
    path: `/orders/${n}`, query: `page=${n % 7}`, httpVersion: '1.1', headers, contentType: 'application/json', size: body.length,
    truncated: false, body, remoteAddress: '127.0.0.1', remotePort: 40_000, secure: false, status: 200, handshake: null,
  };
}

/**
 * Opens the SQLite file `db`, creates `binId` when it is missing, stores `count` seeded captures (oldest first, so
 * ids increase with n) and closes the file. Resolves with the stored ids, oldest first.
 */
export async function seedBin(db: string, binId: string, count: number, now = Date.now()): Promise<number[]> {
  const store = openSqliteStore(db);
  const ids: number[] = [];
  try {
    if (!(await store.hasBin(binId))) await store.createBin(binId, binId, now - count * 1_000);
    for (let start = 0; start < count; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => seededRequest(binId, start + i, count, now));
      for (const result of await store.insertRequests(batch, Number.MAX_SAFE_INTEGER)) {
        if (result instanceof Error) throw result;
        ids.push(result.id);
      }
    }
  } finally {
    await store.close();
  }
  return ids;
}
