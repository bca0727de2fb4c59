import { describe, expect, it } from 'vitest';
import { createStore, NotFoundError, type NewRequest } from '../server/store';

function newRequest(binId: string, n: number): NewRequest {
  return {
    binId, receivedAt: 1_000 + n, method: 'POST', url: `/b/${binId}`, path: '/', query: '', httpVersion: '1.1',
    headers: [['Host', 'x']], contentType: null, size: 1, truncated: false, body: Buffer.from([n]),
    remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authLabel: null, credentials: null,
  };
}

describe('store.insertRequests', () => {
  it('stores a batch in one go, and answers a request whose bin is gone with NotFoundError without losing the others', () => {
    const store = createStore(':memory:');
    store.createBin('a', 'a', 0);
    store.createBin('gone', 'gone', 0);
    store.deleteBin('gone');
    const results = store.insertRequests([newRequest('a', 1), newRequest('gone', 2), newRequest('a', 3)], 10);
    expect(results[1]).toBeInstanceOf(NotFoundError);
    const stored = [results[0], results[2]].map((r) => (r instanceof Error ? null : r.id));
    expect(store.listRequests('a', { limit: 10 }).requests.map((r) => r.id)).toEqual([stored[1], stored[0]]);
    expect(store.hasBin('gone')).toBe(false);
    store.close();
  });

  it('reports the ids it evicted past maxRequests, oldest first', () => {
    const store = createStore(':memory:');
    store.createBin('a', 'a', 0);
    const ids = store.insertRequests([1, 2, 3].map((n) => newRequest('a', n)), 10).map((r) => (r instanceof Error ? -1 : r.id));
    const [fourth] = store.insertRequests([newRequest('a', 4)], 2);
    expect(fourth instanceof Error ? null : fourth.evicted).toEqual([ids[0], ids[1]]);
    expect(store.getBin('a').requestCount).toBe(2);
    store.close();
  });
});
