/**
 * What the PostgreSQL store promises beyond the contract suite: several processes (here: several stores, each with
 * its own pool) on one database, concurrent migrations, and a database that is unreachable or goes away.
 */
import pg from 'pg';
import { afterEach, expect, it, vi } from 'vitest';
import { NotFoundError, StoreUnavailableError, type Store } from '../../server/store';
import { openPostgresStore, type PostgresStore } from '../../server/store/postgres';
import { adminQuery, dropSchema, freshSchemaUrl, pgSuite, schemaOf, startRelay, terminateConnections, withPort } from '../helpers/pg';
import { freePort } from '../helpers/pg-cluster';
import { newRequest, storedIds } from './requests';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh schema, dropped after the test. */
async function schemaUrl(): Promise<string> {
  const url = await freshSchemaUrl('hl_pgstore');
  cleanups.push(() => dropSchema(url));
  return url;
}

/** A store on `url`, closed after the test: one per simulated hooklens process. */
async function instance(url: string): Promise<PostgresStore> {
  const store = await openPostgresStore(url);
  cleanups.push(() => store.close());
  return store;
}

pgSuite('PostgreSQL store: several processes on one database', () => {
  it('makes the ids of a bin visible in increasing order while two instances insert from 16 callers at once', async () => {
    const url = await schemaUrl();
    const [a, b] = [await instance(url), await instance(url)];
    await a.createBin('race', 'race', 1);
    let writing = true;
    const seen: number[] = [];
    let cursor = 0;
    const readOnce = async (store: Store) => {
      for (const record of await store.requestsAfter('race', cursor, 500)) {
        seen.push(record.id);
        cursor = record.id;
      }
    };
    // A reader that only moves forward: an id that became visible after it had passed it would be missing.
    const reader = (async () => {
      while (writing) await readOnce(b);
      await readOnce(b);
    })();
    const stored: number[] = [];
    await Promise.all(Array.from({ length: 16 }, async (_, caller) => {
      const store = caller % 2 === 0 ? a : b;
      for (let i = 0; i < 12; i++) {
        const batch = Array.from({ length: 1 + (i % 3) }, (_, k) => newRequest('race', caller * 100 + i * 3 + k));
        stored.push(...storedIds(await store.insertRequests(batch, 100_000)));
      }
    })).finally(() => {
      writing = false;
    });
    await reader;
    const all = (await a.requestsAfter('race', 0, 10_000)).map((r) => r.id);
    expect(new Set(stored).size).toBe(stored.length);
    expect(all).toEqual([...stored].sort((x, y) => x - y));
    expect(seen).toEqual(all);
    expect((await a.getBin('race')).requestCount).toBe(all.length);
  });

  it('answers lastRequestId of an empty bin only once an insert into it in flight has committed', async () => {
    const url = await schemaUrl();
    const store = await instance(url);
    await store.createBin('a', 'A', 1);
    await store.createBin('b', 'B', 1);
    // Another process's transaction locks bin a and takes an id, then stalls before committing.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    cleanups.push(() => other.end());
    await other.query('BEGIN');
    await other.query("SELECT 1 FROM bins WHERE id = 'a' FOR UPDATE");
    const hidden = Number((await other.query("SELECT nextval('requests_id_seq') AS id")).rows[0].id);
    // Meanwhile a larger id commits in bin b.
    const [later] = storedIds(await store.insertRequests([newRequest('b', 1)], 10));
    expect(later).toBeGreaterThan(hidden);
    const answer = store.lastRequestId('a');
    await vi.waitFor(async () => {
      const waiting = await adminQuery(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [schemaOf(url)]);
      expect(waiting).toHaveLength(1);
    });
    await other.query(`INSERT INTO requests (id, bin_id, received_at, method, url, path, query, http_version, headers, size,
      truncated, body, body_sha256, remote_address, secure) VALUES ($1, 'a', 1, 'POST', '/b/a', '/', '', '1.1', '[]', 0,
      false, '', '', '127.0.0.1', false)`, [hidden]);
    await other.query('COMMIT');
    // Answering `later` would let a follower skip `hidden`, which became visible after it.
    expect(await answer).toBe(hidden);
  });

  it('never deadlocks when batches over several bins, evictions, deletes and sweeps run at once, and keeps counts right', async () => {
    const url = await schemaUrl();
    const [a, b] = [await instance(url), await instance(url)];
    const bins = ['b0', 'b1', 'b2', 'b3'];
    for (const bin of bins) await a.createBin(bin, bin, 1);
    let clock = 0;
    const stored: number[] = [];
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 10; i++) {
        // Each batch names the bins in another order.
        const batch = Array.from({ length: 4 }, (_, k) => newRequest(bins[(w + i * 3 + k * (w % 2 === 0 ? 1 : 3)) % 4], i, { receivedAt: clock++ }));
        stored.push(...storedIds(await (w % 2 === 0 ? a : b).insertRequests(batch, 5)));
      }
    });
    const others = (async () => {
      for (let i = 0; i < 10; i++) {
        await b.deleteReceivedBefore(clock - 20);
        const last = stored.at(-1);
        if (last !== undefined) await a.deleteRequest(bins[last % 4], last).catch((err: unknown) => expect(err).toBeInstanceOf(NotFoundError));
        if (i % 4 === 3) await b.clearBin(bins[i % 4]);
      }
    })();
    await Promise.all([...writers, others]);
    for (const bin of bins) {
      const rows = await a.requestsAfter(bin, 0, 1_000);
      expect((await a.getBin(bin)).requestCount).toBe(rows.length);
      expect(rows.length).toBeLessThanOrEqual(5);
    }
  });

  it('stores a batch larger than one INSERT statement may carry', async () => {
    const store = await instance(await schemaUrl());
    await store.createBin('a', 'A', 1);
    const ids = storedIds(await store.insertRequests(Array.from({ length: 2_500 }, (_, n) => newRequest('a', n)), 10_000));
    expect(ids).toEqual(Array.from({ length: 2_500 }, (_, n) => ids[0] + n));
    expect((await store.getBin('a')).requestCount).toBe(2_500);
  });

  it('migrates an empty schema once when three processes start at once', async () => {
    const url = await schemaUrl();
    const stores = await Promise.all([instance(url), instance(url), instance(url)]);
    const versions = await adminQuery(`SELECT version FROM ${schemaOf(url)}.schema_migrations ORDER BY version`);
    expect(versions).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }, { version: 5 }, { version: 6 }, { version: 7 }]);
    await stores[0].createBin('a', 'A', 1);
    expect(await stores[2].hasBin('a')).toBe(true);
  });

  it('lets exactly one of several processes claim the sweep of a period', async () => {
    const url = await schemaUrl();
    const stores = [await instance(url), await instance(url), await instance(url)];
    const claims = await Promise.all(stores.flatMap((s) => [s.claimSweep(50_000, 1_000), s.claimSweep(50_001, 1_000)]));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const next = await Promise.all(stores.map((s) => s.claimSweep(52_000, 1_000)));
    expect(next.filter(Boolean)).toHaveLength(1);
  });

  it('answers setSettingIfAbsent racing in several processes with one same winner', async () => {
    const url = await schemaUrl();
    const stores = [await instance(url), await instance(url), await instance(url)];
    const answers = await Promise.all(stores.flatMap((s, i) => [s.setSettingIfAbsent('token', `t${i}`), s.setSettingIfAbsent('token', `u${i}`)]));
    expect(new Set(answers).size).toBe(1);
    expect(await stores[0].getSetting('token')).toBe(answers[0]);
  });

  it('sees at once a bin another process created; one it deleted may be remembered a moment, but nothing is stored in it', async () => {
    const url = await schemaUrl();
    const [a, b] = [await instance(url), await instance(url)];
    expect(await b.hasBin('x')).toBe(false);
    await a.createBin('x', 'x', 1);
    expect(await b.hasBin('x')).toBe(true);
    await a.deleteBin('x');
    expect(await a.hasBin('x')).toBe(false);
    const [result] = await b.insertRequests([newRequest('x', 1)], 10);
    expect(result).toBeInstanceOf(NotFoundError);
  });

  it('shares signing secrets: merges from two processes keep both', async () => {
    const url = await schemaUrl();
    const [a, b] = [await instance(url), await instance(url)];
    await a.createBin('s', 's', 1);
    await Promise.all([a.updateBin('s', { signingSecrets: { github: 'g' } }), b.updateBin('s', { signingSecrets: { stripe: 's' } })]);
    expect((await a.getBin('s')).signingSecrets).toEqual({ github: 'g', stripe: 's' });
  });
});

pgSuite('PostgreSQL store: a database that is unreachable or goes away', () => {
  it('refuses to open when nothing listens, with StoreUnavailableError saying so without the password', async () => {
    const url = `postgres://hooklens:Sup3r-Secret@127.0.0.1:${await freePort()}/hooklens_test`;
    const opening = openPostgresStore(url);
    await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
    const message = await opening.catch((err: Error) => err.message);
    expect(message).toMatch(/^cannot reach PostgreSQL: /);
    expect(message).not.toContain('Sup3r-Secret');
  });

  it('rejects with StoreUnavailableError while the database is away, storing nothing, and recovers by itself', async () => {
    const url = await schemaUrl();
    const relay = await startRelay();
    cleanups.push(() => relay.close());
    const store = await instance(withPort(url, relay.port));
    await store.createBin('a', 'A', 1);
    storedIds(await store.insertRequests([newRequest('a', 1)], 10));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    cleanups.push(async () => void logged.mockRestore());

    await relay.cut();
    for (const call of [
      () => store.insertRequests([newRequest('a', 2), newRequest('a', 3)], 10), () => store.ping(), () => store.getBin('a'),
      () => store.listRequests('a', { limit: 10 }), () => store.lastRequestId('a'),
    ]) {
      const error = await call().then(() => null, (err: Error) => err);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error!.message).not.toContain(':hooklens@');
    }

    await relay.restore();
    await vi.waitFor(() => store.ping(), { timeout: 10_000 });
    expect((await store.getBin('a')).requestCount).toBe(1);
    storedIds(await store.insertRequests([newRequest('a', 4)], 10));
    expect((await store.getBin('a')).requestCount).toBe(2);
  });

  it('survives its idle connections being closed by the server, and opens new ones', async () => {
    const url = await schemaUrl();
    const store = await instance(url);
    await Promise.all(Array.from({ length: 5 }, () => store.ping()));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    cleanups.push(async () => void logged.mockRestore());
    expect(await terminateConnections(url)).toBeGreaterThan(0);
    await vi.waitFor(async () => {
      await store.ping().catch((err: unknown) => {
        expect(err).toBeInstanceOf(StoreUnavailableError);
        throw err;
      });
    });
    await store.createBin('after', 'after', 1);
    expect(await store.hasBin('after')).toBe(true);
  });
});
