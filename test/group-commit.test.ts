import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../server/services/group-commit';
import { StoreUnavailableError, type NewRequest, type Store, type StoredRequest } from '../server/store';
import { openSqliteStore } from '../server/store/sqlite';
import { newRequest } from './store/requests';

/** Adds every request to one batch, then resolves with what each one's `done` was given. */
function commitTogether(commits: GroupCommit, requests: NewRequest[]): Promise<(StoredRequest | Error)[]> {
  return Promise.all(requests.map((request) => new Promise<StoredRequest | Error>((resolve) => commits.add(request, resolve))));
}

/** A SQLite store whose database refuses any batch that holds a request with `method` BAD, as PostgreSQL refuses a NUL. */
async function pickyStore(fails?: Error): Promise<Store> {
  const store = openSqliteStore(':memory:');
  await store.createBin('b', 'b', 0);
  const insert = store.insertRequests.bind(store);
  store.insertRequests = async (requests, max) => {
    if (requests.some((r) => r.method === 'BAD')) throw fails ?? new Error('invalid byte sequence for encoding "UTF8": 0x00');
    return insert(requests, max);
  };
  return store;
}

describe('GroupCommit', () => {
  it('stores the rest of a batch that the database refused for one request\'s sake, and fails only that one', async () => {
    const store = await pickyStore();
    const results = await commitTogether(new GroupCommit(store, 100), [newRequest('b', 1), newRequest('b', 2, { method: 'BAD' }), newRequest('b', 3)]);
    expect(results.map((r) => (r instanceof Error ? r.message : r.method))).toEqual(['POST', 'invalid byte sequence for encoding "UTF8": 0x00', 'POST']);
    expect((await store.getBin('b')).requestCount).toBe(2);
  });

  it('fails the whole batch at once when the database is away', async () => {
    const store = await pickyStore(new StoreUnavailableError('connection refused'));
    const results = await commitTogether(new GroupCommit(store, 100), [newRequest('b', 1), newRequest('b', 2, { method: 'BAD' })]);
    expect(results.every((r) => r instanceof StoreUnavailableError)).toBe(true);
    expect((await store.getBin('b')).requestCount).toBe(0);
  });
});
