import { existsSync, statSync, symlinkSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { checkpointOnThread } from '../server/store/sqlite/checkpointer';
import { openDatabase, truncateWal } from '../server/store/sqlite/database';
import { openSqliteStore, type SqliteStore } from '../server/store/sqlite';
import { newRequest, storedIds } from './store/requests';
import { useTempDatabases } from './helpers/temp-databases';

const MB = 1024 * 1024;
const { cleanups, dbFile } = useTempDatabases('hooklens-checkpoints-');

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** Stores `count` requests of 64 KB into bin 'a', 16 to a batch; answers the largest WAL seen after a batch. */
async function store64k(store: SqliteStore, file: string, count: number): Promise<number> {
  let largest = 0;
  for (let n = 0; n < count; n += 16) {
    storedIds(await store.insertRequests(Array.from({ length: 16 }, (_, i) => newRequest('a', n + i, {
      body: Buffer.alloc(64 * 1024, 0x61 + ((n + i) % 26)), size: 64 * 1024 })), 100_000));
    largest = Math.max(largest, sizeOf(`${file}-wal`));
    // As between the bursts a server sees: its loop turns.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return largest;
}

describe('the WAL checkpoints', () => {
  it('copy what was captured into the database file on a thread of their own, keeping the WAL bounded', async () => {
    const file = dbFile();
    const store = openSqliteStore(file);
    cleanups.push(() => store.close());
    await store.createBin('a', 'A', 1);
    // 8 MB: half of what the store's own connection lets the WAL hold before it checkpoints.
    await store64k(store, file, 128);
    await vi.waitFor(() => expect(sizeOf(file)).toBeGreaterThan(8 * MB), { timeout: 5000 });
    // Over 80 MB, the WAL starts over rather than growing with what is written: near the 16 MB bound, further past
    // it on a busy machine (the thread's turns come late).
    expect(await store64k(store, file, 1280)).toBeLessThan(40 * MB);
    expect((await store.listRequests('a', { limit: 1 })).total).toBe(128 + 1280);
  });

  it('fall back to the store\'s own connection, saying so, when the thread fails', async () => {
    const file = dbFile();
    const { db, lock } = openDatabase(file);
    cleanups.push(() => lock?.close(), () => db.close());
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    cleanups.push(() => errors.mockRestore());
    const checkpoints = checkpointOnThread(db, file, new URL('./helpers/failing-thread.mjs', import.meta.url));
    cleanups.push(() => checkpoints.close());
    await vi.waitFor(() => expect(errors.mock.calls.flat().join(' ')).toMatch(/WAL is checkpointed on the main thread from now on/));
    db.exec('CREATE TABLE filler (body BLOB)');
    const insert = db.prepare('INSERT INTO filler (body) VALUES (randomblob(65536))');
    let largest = 0;
    for (let n = 0; n < 640; n++) {
      insert.run();
      largest = Math.max(largest, sizeOf(`${file}-wal`));
    }
    // SQLite's default: a checkpoint every 1,000 pages (4 MB), not the 16 MB the thread allows.
    expect(largest).toBeLessThan(8 * MB);
  });

  it('do not hold up a stop when the thread does not answer', async () => {
    const file = dbFile();
    const { db, lock } = openDatabase(file);
    cleanups.push(() => lock?.close(), () => db.close());
    const checkpoints = checkpointOnThread(db, file, new URL('./helpers/silent-thread.mjs', import.meta.url));
    const closed = checkpoints.close().then(() => 'closed');
    expect(await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting'))])).toBe('closed');
  });

  it('leave one hooklens per database: a second store on the file is refused until the first closes', async () => {
    const file = dbFile();
    const first = openSqliteStore(file);
    expect(() => openSqliteStore(file)).toThrow(/database is locked/);
    await first.close();
    const second = openSqliteStore(file);
    await second.close();
  });

  it('leave one hooklens per database reached through a symbolic link too', async () => {
    const file = dbFile();
    const first = openSqliteStore(file);
    cleanups.push(() => first.close());
    const link = `${dbFile()}-link`;
    symlinkSync(file, link);
    expect(() => openSqliteStore(link)).toThrow(/database is locked/);
  });

  it('empty the WAL after a delete once the thread\'s checkpoint has finished, giving up after a while when it never does', async () => {
    // SQLite skips a TRUNCATE at once while another connection checkpoints: its answer says busy.
    const answers = [1, 1, 0];
    const db = { pragma: vi.fn(() => [{ busy: answers.shift() ?? 0, log: 0, checkpointed: 0 }]) };
    expect(await truncateWal(db)).toBe(true);
    expect(db.pragma).toHaveBeenCalledTimes(3);
    expect(db.pragma).toHaveBeenCalledWith('main.wal_checkpoint(TRUNCATE)');
    const busy = { pragma: vi.fn(() => [{ busy: 1, log: 0, checkpointed: 0 }]) };
    expect(await truncateWal(busy, 'main', 50)).toBe(false);
    expect(busy.pragma.mock.calls.length).toBeGreaterThan(1);
  });
});
