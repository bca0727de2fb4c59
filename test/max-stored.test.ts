import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../server/store/sqlite';
import { startTestServer, type TestServer } from './helpers/app';
import { LiveClient } from './helpers/live';
import { newRequest } from './store/requests';

let server: TestServer | undefined;
const clients: LiveClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CAP = 100_000;

async function capture(base: string, binId: string, n: number): Promise<number> {
  const res = await fetch(`${base}/b/${binId}`, { method: 'POST', body: Buffer.alloc(10_000, String(n % 10)) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
}

describe('--max-stored', () => {
  it('removes the oldest requests of all bins once the database holds more, keeping the newest, and says so', async () => {
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
    server = await startTestServer({ bins: ['a', 'b', 'c'], config: { maxStored: CAP } });
    const client = await LiveClient.connect(server.liveUrl);
    clients.push(client);
    for (const bin of ['a', 'b', 'c']) client.send({ type: 'subscribe', binId: bin });
    await client.sync();

    const ids: number[] = [];
    for (let n = 0; n < 30; n++) ids.push(await capture(server.url, ['a', 'b', 'c'][n % 3], n));
    await vi.waitFor(async () => expect(await server!.store.storedBytes()).toBeLessThanOrEqual(CAP));

    // 30 captures of ~10 KB against a 100 KB cap: the newest nine or so stay, in every bin, oldest gone first.
    const kept = (await Promise.all(['a', 'b', 'c'].map((bin) => server!.store.requestsAfter(bin, 0, 100)))).flat().map((r) => r.id).sort((a, b) => a - b);
    expect(kept.length).toBeGreaterThanOrEqual(8);
    expect(kept).toEqual(ids.slice(-kept.length));
    const gone = ids.slice(0, ids.length - kept.length);
    await client.until((messages) => gone.every((id) => messages.some((m) => m.type === 'request-deleted' && m.id === id)));
    expect((await server.store.getBin('a')).requestCount + (await server.store.getBin('b')).requestCount
      + (await server.store.getBin('c')).requestCount).toBe(kept.length);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^hooklens_removed_over_max_stored_total (\d+)$/m.exec(metrics)?.[1])).toBe(gone.length);
    expect(Number(/^hooklens_stored_bytes (\d+)$/m.exec(metrics)?.[1])).toBe(await server.store.storedBytes());
    const lines = logged.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('--max-stored'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^hooklens: the database held [\d.]+ MB, over --max-stored 0\.1 MB: removed the \d+ oldest requests$/);
  });

  it('removes nothing with 0 (no limit)', async () => {
    server = await startTestServer({ bins: ['a'], config: { maxStored: 0 } });
    for (let n = 0; n < 15; n++) await capture(server.url, 'a', n);
    expect((await server.store.getBin('a')).requestCount).toBe(15);
  });
});

describe('the stored-bytes migration', () => {
  it('counts what a database of the previous version already holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hooklens-stored-'));
    dirs.push(dir);
    const file = join(dir, 'hooklens.db');
    const store = openSqliteStore(file);
    await store.createBin('a', 'A', 1);
    await store.insertRequests([newRequest('a', 1, { body: Buffer.alloc(5000) }), newRequest('a', 2, { body: Buffer.alloc(7000) })], 100);
    const expected = await store.storedBytes();
    await store.close();
    // Back to schema version 4, as a hooklens before this one left it.
    const raw = new Database(file);
    raw.exec(`DROP TABLE search_index; ALTER TABLE requests DROP COLUMN credential_kinds; ALTER TABLE requests DROP COLUMN signature; ALTER TABLE requests DROP COLUMN provider;
      ALTER TABLE bins DROP COLUMN secrets_version; ALTER TABLE bins DROP COLUMN checked_version;
      DROP INDEX bins_by_relay_key; DROP INDEX requests_by_delivery;
      ALTER TABLE bins DROP COLUMN response; ALTER TABLE bins DROP COLUMN relay_key; ALTER TABLE requests DROP COLUMN status;
      ALTER TABLE requests DROP COLUMN handshake; ALTER TABLE requests DROP COLUMN delivery_provider;
      ALTER TABLE requests DROP COLUMN delivery_id; ALTER TABLE requests DROP COLUMN delivery_attempt;
      DROP TRIGGER requests_counted_out;
      ALTER TABLE requests DROP COLUMN stored_bytes; ALTER TABLE bins DROP COLUMN stored_bytes; ALTER TABLE requests DROP COLUMN trailers;
      CREATE TRIGGER requests_counted_out AFTER DELETE ON requests BEGIN
        UPDATE bins SET request_count = request_count - 1 WHERE id = OLD.bin_id;
      END;
      PRAGMA user_version = 4;`);
    raw.close();

    const migrated = openSqliteStore(file);
    expect(await migrated.storedBytes()).toBe(expected);
    expect(expected).toBeGreaterThan(12_000);
    await migrated.close();
  });
});
