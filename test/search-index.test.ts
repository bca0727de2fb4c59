/**
 * What each engine's search index promises beyond the API's answers (test/search.test.ts): on SQLite, the words of a
 * deleted request leave the files, captures are indexed in the background within 2 s, and rows stored before the
 * index (an upgrade, a crash before the indexer ran) are found; on PostgreSQL, rows stored before the index are filled
 * in at start, and `hooklens migrate` copies into a searchable database.
 */
import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { migrateSqliteToPostgres } from '../server/cli/migrate';
import { parseSearch } from '../server/search/parse';
import type { Store } from '../server/store';
import { openPostgresStore } from '../server/store/postgres';
import { openSqliteStore } from '../server/store/sqlite';
import { openDatabase } from '../server/store/sqlite/database';
import { IDS_PER_TABLE, SqliteSearchIndex, onThread } from '../server/store/sqlite/search-index';
import { makeTestApp, type TestApp } from './helpers/app';
import { adminQuery, dropSchema, freshSchemaUrl, pgSuite, schemaOf } from './helpers/pg';
import { newRequest, storedIds } from './store/requests';
import { useTempDatabases } from './helpers/temp-databases';

const { cleanups, dbFile } = useTempDatabases('hooklens-search-');

/** Every byte of the database's files and its search index's, as one latin1 string to search. */
function fileBytes(file: string): string {
  return ['', '-search'].flatMap((name) => ['', '-wal', '-shm', '-journal'].map((suffix) => file + name + suffix))
    .map((path) => (existsSync(path) ? readFileSync(path).toString('latin1') : '')).join('');
}

/** The index tables in the search index's file of the database `file`. */
function indexTables(file: string): string[] {
  const raw = new Database(`${file}-search`);
  try {
    return (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[])
      .filter((name) => /^request_words_\d+$/.test(name));
  } finally {
    raw.close();
  }
}

/** Takes `file` back to schema version 7: no index (its file removed), no kinds, no verdicts. */
function downgrade(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}-search${suffix}`, { force: true });
  const raw = new Database(file);
  raw.exec(`ALTER TABLE requests DROP COLUMN credential_kinds; ALTER TABLE requests DROP COLUMN signature; ALTER TABLE requests DROP COLUMN provider;
    ALTER TABLE bins DROP COLUMN secrets_version; ALTER TABLE bins DROP COLUMN checked_version;
    DROP TABLE search_index; PRAGMA user_version = 7;`);
  raw.close();
}

/** The ids that a search of the store finds in the bin. */
async function found(store: Store, binId: string, q: string): Promise<number[]> {
  return (await store.listRequests(binId, { limit: 500, search: parseSearch(q) })).requests.map((r) => r.id);
}

/** A database in memory with bin 'a', a statement storing a request of that bin with the body given, and its index. */
function indexedDatabase() {
  const { db } = openDatabase(':memory:');
  cleanups.push(() => void db.close());
  db.prepare("INSERT INTO bins (id, name, created_at, relay_key) VALUES ('a', 'A', 1, 'k')").run();
  const insert = db.prepare(`INSERT INTO requests (bin_id, received_at, method, url, path, query, http_version, headers, size,
    truncated, body, body_sha256, remote_address, secure, credential_kinds) VALUES ('a', 1, 'POST', '/b/a', '/', '', '1.1', '[]', 5,
    0, ?, '', '127.0.0.1', 0, '')`);
  const index = new SqliteSearchIndex(db, null);
  cleanups.push(() => index.close());
  return { db, insert, index };
}

describe('the SQLite index', () => {
  // Sent in upper case: the request's own bytes keep it so, the index holds it lower-cased (and a term may be stored
  // after the part it shares with the one before it: the files are searched for the tail of each word).
  const GONE = { header: 'ERASEDHEAD5K8M2T', body: 'ERASEDBODY9Q3V6R' };
  const KEPT = { header: 'KEPTHEAD4P7W3Q', body: 'KEPTBODY8N2X5J' };

  async function withSecretWords(t: TestApp, binId: string, words: { header: string; body: string }): Promise<number> {
    const res = await request(t.app).post(`/b/${binId}/hook`).set('X-Note', words.header).set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(6000), card: words.body })).expect(200);
    return res.body.id as number;
  }

  it.each([
    ['one request', (t: TestApp, id: number) => request(t.app).delete(`/api/bins/b1/requests/${id}`).expect(204)],
    ['one request deleted while searches and captures run', async (t: TestApp, id: number) => {
      await Promise.all([
        request(t.app).get('/api/bins/b2/requests?q=yyyy').expect(200),
        request(t.app).post('/b/b2/during').send('during the delete').expect(200),
        request(t.app).delete(`/api/bins/b1/requests/${id}`).expect(204),
        request(t.app).get('/api/bins/b1/requests?q=erasedbody9q3v6r').expect(200),
      ]);
    }],
    ['a cleared bin', (t: TestApp) => request(t.app).delete('/api/bins/b1/requests').expect(204)],
    ['a deleted bin', (t: TestApp) => request(t.app).delete('/api/bins/b1').expect(204)],
    ['the TTL sweep', async (t: TestApp) => {
      await t.store.deleteReceivedBefore(Date.now() + 60_000);
      // The sweep removes every request here: the kept words come back with a new capture.
      await withSecretWords(t, 'b2', KEPT);
    }],
  ])('leaves no word of %s in the .db, -wal or -shm file, nor in the search index\'s', async (_name, remove) => {
    const db = dbFile();
    const t = await makeTestApp({ bins: ['b1', 'b2'], config: { db } });
    cleanups.push(() => t.close());
    const id = await withSecretWords(t, 'b1', GONE);
    await withSecretWords(t, 'b2', KEPT);
    // Indexed, and (with more than 1000 pages written) checkpointed into the database file itself.
    expect((await request(t.app).get(`/api/bins/b1/requests?q=${GONE.body}`).expect(200)).body.total).toBe(1);
    for (let i = 0; i < 3; i++) await request(t.app).post(`/b/b2/big${i}`).send(Buffer.alloc(2 * 1024 * 1024, 'y')).expect(200);
    await request(t.app).get(`/api/bins/b2/requests?q=${KEPT.body}`).expect(200);
    const before = fileBytes(db);
    for (const tail of ['5k8m2t', '9q3v6r', '4p7w3q', '8n2x5j']) expect(before).toContain(tail);
    await remove(t, id);
    expect((await request(t.app).get(`/api/bins/b2/requests?q=${KEPT.body}`).expect(200)).body.total).toBe(1);
    const bytes = fileBytes(db);
    for (const tail of ['5k8m2t', '9q3v6r']) expect(bytes).not.toContain(tail);
    for (const tail of ['4p7w3q', '8n2x5j']) expect(bytes).toContain(tail);
  });

  it('indexes stored requests in the background within 2 s, without waiting for a search, a batch at a time', async () => {
    const { db, insert, index } = indexedDatabase();
    // Stored by another process before this one started: read back.
    for (let n = 0; n < 1_234; n++) insert.run(Buffer.from(`background ${n}`));
    const progress = db.prepare('SELECT indexed_through FROM words.search_state').pluck();
    await vi.waitFor(() => expect(progress.get()).toBe(1_234), { timeout: 2_000, interval: 20 });
    expect(db.prepare(`SELECT count(*) FROM words.request_words_0 AS request_words_0 WHERE request_words_0 MATCH '"background"'`).pluck().get()).toBe(1_234);
    // Deleted once indexed, as the store tells it: out with the next batch.
    db.prepare('DELETE FROM requests WHERE id <= 1000').run();
    index.deleted(Array.from({ length: 1_000 }, (_, i) => i + 1));
    // Stored as this process does it: words handed over after the commit.
    const id = Number(insert.run(Buffer.from('background late')).lastInsertRowid);
    index.stored(id);
    await vi.waitFor(() => expect(progress.get()).toBe(id), { timeout: 2_000, interval: 20 });
    expect(db.prepare(`SELECT count(*) FROM words.request_words_0 AS request_words_0 WHERE request_words_0 MATCH '"background"'`).pluck().get()).toBe(235);
  });

  it('loses nothing when a batch fails: what it held is read back from the requests at the next try', async () => {
    const { db, insert, index } = indexedDatabase();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    cleanups.push(() => errors.mockRestore());
    // Caught up with an empty table: from here on, words are handed over as captures are stored.
    await index.catchUp();
    const stored = (words: string) => {
      const body = Buffer.from(words);
      const id = Number(insert.run(body).lastInsertRowid);
      index.stored(id);
      return id;
    };
    const first = stored('retried one');
    // The index's file refuses the next commit, as a full disk would.
    db.exec("CREATE TRIGGER words.refuse BEFORE UPDATE ON search_state BEGIN SELECT RAISE(ABORT, 'disk is full'); END;");
    await expect(index.catchUp()).rejects.toThrow('disk is full');
    const second = stored('retried two');
    db.exec('DROP TRIGGER words.refuse');
    await index.catchUp();
    expect(db.prepare('SELECT indexed_through FROM words.search_state').pluck().get()).toBe(second);
    const matches = db.prepare(`SELECT rowid FROM words.request_words_0 AS request_words_0 WHERE request_words_0 MATCH 'retried' ORDER BY rowid`);
    expect(matches.pluck().all()).toEqual([first, second]);
  });

  it('stops without waiting for a backlog, which the next start indexes', async () => {
    const file = dbFile();
    let store = openSqliteStore(file);
    await store.createBin('a', 'A', 1);
    // More than a batch: the index starts on them at once, and the stop comes while its first batch is in hand.
    await store.insertRequests(Array.from({ length: 1_200 }, (_, n) => newRequest('a', n, { body: Buffer.from(`backlog ${n}`) })), 10_000);
    await store.close();
    const progress = (): number => {
      const words = new Database(`${file}-search`, { readonly: true });
      try {
        return words.prepare('SELECT indexed_through FROM search_state').pluck().get() as number;
      } finally {
        words.close();
      }
    };
    expect(progress()).toBeLessThan(1_200);
    store = openSqliteStore(file);
    cleanups.push(() => store.close());
    expect((await store.listRequests('a', { limit: 1, search: parseSearch('backlog') })).total).toBe(1_200);
  });

  it('closes while a burst is being indexed without touching the closed database afterwards', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    cleanups.push(() => void process.off('unhandledRejection', onRejection));
    // In memory: the index is written on the store's connection, so a stop finishes within the loop's turn.
    const store = openSqliteStore(':memory:');
    await store.createBin('a', 'A', 1);
    // More than a batch: the index starts on them at once, and its loop waits for the next turn when the store closes.
    await store.insertRequests(Array.from({ length: 1_200 }, (_, n) => newRequest('a', n, { body: Buffer.from(`burst ${n}`) })), 10_000);
    await store.close();
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(rejections).toEqual([]);
  });

  it('indexes a burst of captures 500 to a batch, letting the event loop turn between batches', async () => {
    const { db, insert, index } = indexedDatabase();
    const progress = db.prepare('SELECT indexed_through FROM words.search_state').pluck();
    // Caught up with an empty table: from here on, words are handed over as captures are stored.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const burst = Array.from({ length: 1_234 }, (_, n) => Number(insert.run(Buffer.from(`burst ${n}`)).lastInsertRowid));
    index.stored(burst[burst.length - 1]);
    // What a capture arriving between two turns of the event loop would see of the index.
    const seen = new Set<number>();
    while (progress.get() !== 1_234) {
      seen.add(progress.get() as number);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect([...seen]).toEqual([0, 500, 1_000]);
    expect(db.prepare(`SELECT count(*) FROM words.request_words_0 AS request_words_0 WHERE request_words_0 MATCH '"burst"'`).pluck().get()).toBe(1_234);
  });

  it('finds the requests stored before the index existed (upgrade), and forgets those deleted while it was stopped', async () => {
    const file = dbFile();
    const store = openSqliteStore(file);
    await store.createBin('a', 'A', 1);
    const old = storedIds(await store.insertRequests([
      newRequest('a', 1, { body: Buffer.from('upgraded words'), headers: [['Authorization', `Basic ${Buffer.from('jdoe:pw').toString('base64')}`]] }),
      newRequest('a', 2, { body: Buffer.from('more upgraded words') }),
    ], 100));
    await store.close();
    downgrade(file);

    const upgraded = openSqliteStore(file);
    expect(await found(upgraded, 'a', 'upgraded')).toEqual([old[1], old[0]]);
    expect(await found(upgraded, 'a', 'auth:basic')).toEqual([old[0]]);
    // The bin is marked for a recheck of its verdicts (none were kept).
    expect(await upgraded.binsToRecheck()).toEqual([{ binId: 'a', version: 1 }]);
    // Stored just before a stop: its words go in at the next start.
    const [late] = storedIds(await upgraded.insertRequests([newRequest('a', 3, { body: Buffer.from('stopped early') })], 100));
    await upgraded.close();
    // Deleted by another program while hooklens was stopped (no trigger of hooklens saw it).
    const shell = new Database(file);
    shell.prepare('DELETE FROM requests WHERE id = ?').run(old[1]);
    shell.close();
    const reopened = openSqliteStore(file);
    cleanups.push(() => reopened.close());
    expect(await found(reopened, 'a', 'stopped')).toEqual([late]);
    expect(await found(reopened, 'a', 'words')).toEqual([old[0]]);
    // The index alone counts a search of words only: the deleted one's index row went at start.
    expect((await reopened.listRequests('a', { limit: 1, search: parseSearch('words') })).total).toBe(1);
  });
});

describe('the SQLite index tables', () => {
  it('spreads ids over tables of IDS_PER_TABLE, searches and pages across them, and drops one whose requests are gone', async () => {
    const file = dbFile();
    const tables = (): string[] => indexTables(file);
    let store = openSqliteStore(file);
    await store.createBin('a', 'A', 1);
    const early = storedIds(await store.insertRequests([1, 2, 3].map((n) => newRequest('a', n, { body: Buffer.from(`alpha early ${n}`) })), 100));
    await store.close();
    // Later ids, as a server that has stored 100,000 requests hands them out.
    const raw = new Database(file);
    raw.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'requests'").run(2 * IDS_PER_TABLE - 2);
    raw.close();
    store = openSqliteStore(file);
    const late = storedIds(await store.insertRequests([4, 5, 6].map((n) => newRequest('a', n, { body: Buffer.from(`alpha late ${n}`) })), 100));
    expect(late).toEqual([2 * IDS_PER_TABLE - 1, 2 * IDS_PER_TABLE, 2 * IDS_PER_TABLE + 1]);
    const page = (q: string, before?: number) => store.listRequests('a', { limit: 2, before, search: parseSearch(q) });
    expect(await page('alpha')).toMatchObject({ total: 6, hasMore: true, requests: [{ id: late[2] }, { id: late[1] }] });
    expect(await page('alpha', late[1])).toMatchObject({ total: 6, hasMore: true, requests: [{ id: late[0] }, { id: early[2] }] });
    expect(await page('alpha', early[2])).toMatchObject({ total: 6, hasMore: false, requests: [{ id: early[1] }, { id: early[0] }] });
    expect(await page('early method:POST')).toMatchObject({ total: 3 });
    await store.close();
    expect(tables()).toEqual(['request_words_0', 'request_words_1', 'request_words_2']);

    store = openSqliteStore(file);
    for (const id of early) await store.deleteRequest('a', id);
    expect(await page('alpha')).toMatchObject({ total: 3 });
    await store.close();
    expect(tables()).toEqual(['request_words_1', 'request_words_2']);
  });
});

describe("the SQLite index's own file", () => {
  /** A store on a new file with bin 'a' holding one request per body given; their ids. */
  async function storeWith(file: string, bodies: string[]): Promise<{ store: Store; ids: number[] }> {
    const store = openSqliteStore(file);
    if (!(await store.hasBin('a'))) await store.createBin('a', 'A', 1);
    const ids = storedIds(await store.insertRequests(bodies.map((body, n) => newRequest('a', n, { body: Buffer.from(body) })), 100));
    return { store, ids };
  }

  it('is <db>-search, written in the background by its own thread, and none of it is in the database file', async () => {
    const file = dbFile();
    const { store, ids } = await storeWith(file, ['thread words one', 'thread words two']);
    cleanups.push(() => store.close());
    // Without a search: read with a connection of another program, as the index's thread commits.
    const reader = new Database(`${file}-search`, { readonly: true });
    cleanups.push(() => void reader.close());
    const progress = () => reader.prepare('SELECT indexed_through FROM search_state').pluck().get();
    await vi.waitFor(() => expect(progress()).toBe(ids[1]), { timeout: 2_000, interval: 20 });
    expect(reader.prepare(`SELECT rowid FROM request_words_0 WHERE request_words_0 MATCH 'thread' ORDER BY rowid`).pluck().all()).toEqual(ids);
    // The store holds its file alone: the database is read once it has closed.
    await store.close();
    const closed = new Database(file, { readonly: true });
    cleanups.push(() => void closed.close());
    expect(closed.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'request_words%' OR name = 'search_progress'").all()).toEqual([]);
  });

  it('is built again when it is gone, unreadable, or the index of another copy of the database', async () => {
    const file = dbFile();
    const first = await storeWith(file, ['alpha kept in the backup']);
    expect(await found(first.store, 'a', 'alpha')).toEqual(first.ids);
    const copy = join(dbFile(), '..', 'copy.db');
    if (!first.store.backupTo) throw new Error('the SQLite store makes backups');
    await first.store.backupTo(copy);
    // The live database goes on: the request is deleted (its words leave the index), another comes.
    await first.store.deleteRequest('a', first.ids[0]);
    const [beta] = storedIds(await first.store.insertRequests([newRequest('a', 2, { body: Buffer.from('beta after the backup') })], 100));
    expect(await found(first.store, 'a', 'beta')).toEqual([beta]);
    await first.store.close();

    // The backup put back beside the live index: its requests are found, none of the live database's.
    for (const suffix of ['', '-wal']) if (existsSync(`${file}-search${suffix}`)) writeFileSync(`${copy}-search${suffix}`, readFileSync(`${file}-search${suffix}`));
    const restored = openSqliteStore(copy);
    expect(await found(restored, 'a', 'alpha')).toEqual(first.ids);
    expect(await found(restored, 'a', 'beta')).toEqual([]);
    await restored.close();

    // The live one, its index file removed, then overwritten with bytes that are no database.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}-search${suffix}`, { force: true });
    let live = openSqliteStore(file);
    expect(await found(live, 'a', 'beta')).toEqual([beta]);
    await live.close();
    for (const suffix of ['-wal', '-shm']) rmSync(`${file}-search${suffix}`, { force: true });
    writeFileSync(`${file}-search`, 'not a database '.repeat(500));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    cleanups.push(() => errors.mockRestore());
    live = openSqliteStore(file);
    cleanups.push(() => live.close());
    expect(await found(live, 'a', 'beta')).toEqual([beta]);
    expect(errors.mock.calls.flat().join(' ')).toMatch(/search index .*-search could not be read .*building it again/);
  });

  it('takes the old index out of the database file of a version that kept it there', async () => {
    const file = dbFile();
    const { store, ids } = await storeWith(file, ['upgraded from nine']);
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}-search${suffix}`, { force: true });
    // Back to version 9: the index tables and their progress mark in the database file, one row of words in them.
    const raw = new Database(file);
    raw.exec(`DROP TABLE search_index; CREATE TABLE search_progress (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_through INTEGER NOT NULL);
      INSERT INTO search_progress VALUES (1, ${ids[0]});
      CREATE VIRTUAL TABLE request_words_0 USING fts5(words, content='', contentless_delete=1, tokenize='ascii', detail=full);
      INSERT INTO request_words_0 (rowid, words) VALUES (${ids[0]}, 'stale legacyzq7'); PRAGMA user_version = 9;`);
    raw.close();
    expect(readFileSync(file).toString('latin1') + (existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).toString('latin1') : '')).toContain('legacyzq7');
    const upgraded = openSqliteStore(file);
    expect(await found(upgraded, 'a', 'nine')).toEqual(ids);
    expect(await found(upgraded, 'a', 'stale')).toEqual([]);
    await upgraded.close();
    const check = new Database(file, { readonly: true });
    cleanups.push(() => void check.close());
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'request_words%' OR name = 'search_progress'").all()).toEqual([]);
    // Its pages zeroed, as a delete a person asks for leaves them.
    expect(fileBytes(file)).not.toContain('legacyzq7');
  });

  it('is written on the main thread when its thread fails (the batch in hand fails, to be indexed again)', async () => {
    const dir = dbFile();
    const written: number[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    cleanups.push(() => errors.mockRestore());
    const host = onThread(`${dir}-search`, dir, () => ({ write: async (batch) => void written.push(batch.through ?? 0), close: async () => {} }),
      new URL('./helpers/failing-thread.mjs', import.meta.url));
    await expect(host.write({ after: 6, through: 7, removed: [], purge: false, rewrite: [], drop: [] })).rejects.toThrow();
    await host.write({ after: 7, through: 8, removed: [], purge: false, rewrite: [], drop: [] });
    expect(written).toEqual([8]);
    expect(errors.mock.calls.flat().join(' ')).toMatch(/search index is written on the main thread from now on/);
    await host.close();
  });
});

describe('verdicts after an upgrade', () => {
  it('rechecks, at the first start, the signatures of the requests a version without verdicts stored', async () => {
    const file = dbFile();
    const store = openSqliteStore(file);
    await store.createBin('a', 'A', 1);
    await store.updateBin('a', { signingSecrets: { zendesk: 'upgrade-secret' } });
    const body = '{"type":"ticket.created"}';
    const signature = createHmac('sha256', 'upgrade-secret').update(`2026-12-01T08:00:00Z${body}`).digest('base64');
    const [id] = storedIds(await store.insertRequests([newRequest('a', 1, { body: Buffer.from(body), headers: [
      ['X-Zendesk-Webhook-Signature', signature], ['X-Zendesk-Webhook-Signature-Timestamp', '2026-12-01T08:00:00Z']] })], 100));
    await store.close();
    downgrade(file);

    const t = await makeTestApp({ config: { db: file } });
    cleanups.push(() => t.close());
    await t.signatures.idle();
    expect(await found(t.store, 'a', 'sig:verified provider:zendesk')).toEqual([id]);
    expect(await t.store.binsToRecheck()).toEqual([]);
  });
});

pgSuite('the PostgreSQL index', () => {
  it('fills in the index of rows stored before it existed, at start', async () => {
    const url = await freshSchemaUrl('hl_searchidx');
    cleanups.push(() => dropSchema(url));
    const first = await openPostgresStore(url);
    await first.createBin('a', 'A', 1);
    const ids = storedIds(await first.insertRequests(Array.from({ length: 450 }, (_, n) => newRequest('a', n, {
      body: Buffer.from(n % 2 === 0 ? `even ${n}` : `odd ${n}`), headers: n === 7 ? [['Authorization', `Bearer ${'t'.repeat(30)}`]] : [['Host', 'h']],
    })), 100_000));
    await first.close();
    await adminQuery(`UPDATE ${schemaOf(url)}.requests SET search = NULL, credential_kinds = NULL`);

    const second = await openPostgresStore(url);
    cleanups.push(() => second.close());
    await second.fillSearchIndex();
    expect(await found(second, 'a', 'odd')).toHaveLength(225);
    expect(await found(second, 'a', 'auth:bearer')).toEqual([ids[7]]);
    expect((await adminQuery(`SELECT count(*)::int AS n FROM ${schemaOf(url)}.requests WHERE search IS NULL`))[0].n).toBe(0);
  });

  it('is filled by hooklens migrate, for the copies to be found', async () => {
    const file = dbFile();
    const sqlite = openSqliteStore(file, { redactSecrets: true });
    await sqlite.createBin('zd', 'Zendesk', 1);
    const ids = storedIds(await sqlite.insertRequests([
      newRequest('zd', 1, { body: Buffer.from('{"subject":"migrated printer"}'), headers: [['Authorization', `Basic ${Buffer.from('a@b.c/token:xyzsecret123').toString('base64')}`]] }),
      newRequest('zd', 2, { body: Buffer.from('unrelated') }),
    ], 100));
    await sqlite.close();
    const url = await freshSchemaUrl('hl_searchidx');
    cleanups.push(() => dropSchema(url));
    await migrateSqliteToPostgres(file, url, () => {});
    const store = await openPostgresStore(url);
    cleanups.push(() => store.close());
    expect(await found(store, 'zd', 'printer')).toEqual([ids[0]]);
    expect(await found(store, 'zd', 'auth:zendesk-api-token')).toEqual([ids[0]]);
    expect(await found(store, 'zd', '-auth:none')).toEqual([ids[0]]);
    expect((await store.listRequests('zd', { limit: 1, search: parseSearch('auth:none') })).total).toBe(1);
  });
});
