/** `hooklens migrate`: copying an embedded SQLite database into PostgreSQL (server/cli/migrate.ts). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { migrateSqliteToPostgres } from '../server/cli/migrate';
import type { FullRequestRecord, Store, StoredRequest } from '../server/store';
import { openPostgresStore } from '../server/store/postgres';
import { openSqliteStore } from '../server/store/sqlite';
import { dropSchema, freshSchemaUrl, pgSuite } from './helpers/pg';
import { startServerProcess } from './helpers/process';
import { newRequest, storedIds } from './store/requests';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SETTINGS = ['token_sha256', 'session_key', 'first_bin'];

/** A SQLite file with every kind of row; resolves with its path and the id the file handed out last. */
async function sqliteFixture(): Promise<{ file: string; lastId: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hooklens-migrate-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'hooklens.db');
  // Redacting, so that a row has a stored credential analysis to copy too.
  const store = openSqliteStore(file, { redactSecrets: true });
  await store.createBin('zendesk', 'Zendesk', 1_000);
  await store.createBin('github', 'GitHub hooks', 2_000);
  await store.createBin('same-ms', 'Same ms', 2_000);
  await store.createBin('empty', 'Nothing yet', 3_000);
  await store.updateBin('zendesk', { signingSecrets: { zendesk: 'zd-secret', github: 'gh' } });
  await store.setSetting('token_sha256', 'ab'.repeat(32));
  await store.setSetting('session_key', 'cd'.repeat(32));
  await store.setSetting('first_bin', 'zendesk');
  await store.recordFailure('192.0.2.1', 5_000, 60_000);
  await store.revokeSession('ef'.repeat(32), Date.now() + 86_400_000, Date.now());
  const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0xff, 0xc3, 0x28]).toString('latin1');
  const stored = storedIds(await store.insertRequests([
    newRequest('zendesk', 1, { body: every, size: every.length, headers: [['Host', 'h'], ['X-Raw', latin1], ['x-raw', 'again']] }),
    newRequest('github', 2, { body: Buffer.from('first bytes'), size: 1_000_000, truncated: true, secure: true, query: 'a=1' }),
    newRequest('zendesk', 3, { headers: [['Authorization', `Basic ${Buffer.from('jdoe:pw').toString('base64')}`]], remotePort: null }),
  ], 100));
  for (let n = 0; n < 1_200; n++) stored.push(...storedIds(await store.insertRequests([newRequest(n % 3 === 0 ? 'github' : 'same-ms', n)], 100_000)));
  // Deleted requests leave holes, and the last id handed out is no longer in the file.
  await store.deleteRequest('github', stored[1]);
  await store.deleteRequest('same-ms', stored.at(-1)!);
  await store.close();
  return { file, lastId: stored.at(-1)! };
}

/** Everything a store says about bins, requests and settings, for comparing two stores. */
async function snapshot(store: Store): Promise<unknown> {
  const bins = await store.listBins();
  const requests: Record<string, FullRequestRecord[]> = {};
  for (const bin of bins) {
    const page = await store.requestsAfter(bin.id, 0, 100_000);
    requests[bin.id] = await Promise.all(page.map((r) => store.getRequest(bin.id, r.id)));
  }
  const settings = await Promise.all(SETTINGS.map((key) => store.getSetting(key)));
  return { bins, requests, settings };
}

async function sqliteSnapshot(file: string): Promise<unknown> {
  const store = openSqliteStore(file);
  try {
    return await snapshot(store);
  } finally {
    await store.close();
  }
}

async function pgSnapshot(url: string): Promise<unknown> {
  const store = await openPostgresStore(url);
  try {
    return await snapshot(store);
  } finally {
    await store.close();
  }
}

async function schemaUrl(): Promise<string> {
  const url = await freshSchemaUrl('hl_migrate');
  cleanups.push(() => dropSchema(url));
  return url;
}

pgSuite('migrating SQLite to PostgreSQL', () => {
  it('copies bins, secrets, requests (same ids, same bytes) and settings, so both stores answer the same', async () => {
    const { file } = await sqliteFixture();
    const expected = await sqliteSnapshot(file);
    const url = await schemaUrl();
    const lines: string[] = [];
    expect(await migrateSqliteToPostgres(file, url, (line) => lines.push(line))).toEqual({ bins: 4, requests: 1_201 });
    expect(await pgSnapshot(url)).toEqual(expected);
    expect(lines[0]).toMatch(/4 bins and 1201 requests/);
    expect(lines.some((l) => /requests: \d+ of 1201 read/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^migrate: done: 4 bins, 1201 requests and 3 settings copied/);
    expect(lines.join('\n')).not.toContain(':hooklens@');
    // Sign-in failures are not carried over: they are forgiven.
    const store = await openPostgresStore(url);
    cleanups.push(() => store.close());
    expect(await store.failureCount('192.0.2.1', 5_000, 60_000)).toBe(0);
    // A session signed out before the move stays signed out.
    expect(await store.isSessionRevoked('ef'.repeat(32))).toBe(true);
  });

  it('copies nothing more when run again, and changes no count', async () => {
    const { file } = await sqliteFixture();
    const url = await schemaUrl();
    await migrateSqliteToPostgres(file, url, () => {});
    const first = await pgSnapshot(url);
    const lines: string[] = [];
    expect(await migrateSqliteToPostgres(file, url, (line) => lines.push(line))).toEqual({ bins: 0, requests: 0 });
    expect(await pgSnapshot(url)).toEqual(first);
    expect(lines.join('\n')).toMatch(/bins: 0 copied, 4 already there/);
    expect(lines.join('\n')).toMatch(/3 already set in PostgreSQL and kept/);
  });

  it('resumes an interrupted copy after the last request it copied', async () => {
    const { file } = await sqliteFixture();
    const expected = await sqliteSnapshot(file);
    const url = await schemaUrl();
    await migrateSqliteToPostgres(file, url, () => {});
    // As if the run had stopped partway: the newest copies and a bin never made it.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows: [{ count }] } = await client.query<{ count: string }>(
      'WITH gone AS (DELETE FROM requests WHERE id > (SELECT min(id) + 500 FROM requests) RETURNING 1) SELECT count(*) FROM gone');
    await client.query("DELETE FROM bins WHERE id = 'empty'");
    await client.end();
    const lines: string[] = [];
    expect(await migrateSqliteToPostgres(file, url, (line) => lines.push(line))).toEqual({ bins: 1, requests: Number(count) });
    expect(lines.join('\n')).toMatch(/resuming after request \d+/);
    expect(await pgSnapshot(url)).toEqual(expected);
  });

  it('gives captures made in PostgreSQL afterwards ids above every id the SQLite file handed out', async () => {
    const { file, lastId } = await sqliteFixture();
    const url = await schemaUrl();
    await migrateSqliteToPostgres(file, url, () => {});
    const store = await openPostgresStore(url);
    cleanups.push(() => store.close());
    const [next] = (await store.insertRequests([newRequest('github', 1)], 100_000)) as StoredRequest[];
    expect(next.id).toBeGreaterThan(lastId);
    expect(await store.lastRequestId('empty')).toBe(next.id);
    expect((await store.getBin('github')).requestCount).toBe(400 + 1); // the 400 copied, and the new one
  });

  it('refuses to resume when the SQLite file and PostgreSQL have both taken captures under the same new ids', async () => {
    const { file, lastId } = await sqliteFixture();
    const url = await schemaUrl();
    await migrateSqliteToPostgres(file, url, () => {});
    const target = await openPostgresStore(url);
    cleanups.push(() => target.close());
    const [own] = storedIds(await target.insertRequests([newRequest('github', 1)], 100_000));
    const source = openSqliteStore(file);
    const [late] = storedIds(await source.insertRequests([newRequest('github', 2)], 100_000));
    await source.close();
    expect(own).toBeGreaterThan(lastId);
    expect(late).toBe(own);
    await expect(migrateSqliteToPostgres(file, url, () => {})).rejects.toThrow(
      new RegExp(`^the SQLite database took requests after the first migration \\(ids up to ${late}\\), .* under the same ids \\(up to ${own}\\): they cannot be copied with their ids; nothing was copied$`));
  });

  it('refuses a missing file, a file a running hooklens holds, and a database that already captured under those ids', async () => {
    const url = await schemaUrl();
    await expect(migrateSqliteToPostgres('/nonexistent/hooklens.db', url, () => {})).rejects.toThrow('no SQLite database at /nonexistent/hooklens.db');

    const { file } = await sqliteFixture();
    const running = openSqliteStore(file);
    await running.setSetting('locked', 'yes');
    await expect(migrateSqliteToPostgres(file, url, () => {})).rejects.toThrow(/in use by a running hooklens/);
    await running.close();

    const store = await openPostgresStore(url);
    cleanups.push(() => store.close());
    await store.createBin('mine', 'mine', 1);
    storedIds(await store.insertRequests([newRequest('mine', 1)], 10));
    await expect(migrateSqliteToPostgres(file, url, () => {})).rejects.toThrow(/already holds requests with ids up to 1/);
  });

  it('runs as `hooklens migrate --from --to`, and a hooklens started on the database serves what was copied', async () => {
    const { file } = await sqliteFixture();
    const url = await schemaUrl();
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts', 'migrate', ...args], { encoding: 'utf8' });
    const bad = cli(['--to', url]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^hooklens migrate: both --from and --to are needed\nusage: hooklens migrate --from <sqlite file> --to/);
    const run = cli(['--from', file, '--to', url]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^migrate: done: 4 bins, 1201 requests and 3 settings copied/);
    expect(run.stdout).not.toContain(':hooklens@');
    // The fixture's requests are from 1970: a TTL would sweep them at start.
    const server = await startServerProcess(['--db', url, '--ttl', '0']);
    cleanups.push(async () => void (await server.stop()));
    const listed = await (await fetch(`${server.url}/api/bins/zendesk/requests`)).json() as { requests: { id: number }[] };
    const sqlite = openSqliteStore(file);
    const expected = (await sqlite.listRequests('zendesk', { limit: 50 })).requests.map((r) => r.id);
    await sqlite.close();
    expect(listed.requests.map((r) => r.id)).toEqual(expected);
  });
});
