/**
 * The Store contract (server/store/port.ts), one suite run on every engine: SQLite in memory, the store a server
 * process of --workers has (every call through the channel to the writer's SQLite store, messages copied as Node's IPC
 * copies them), and PostgreSQL in a fresh schema per test (HOOKLENS_TEST_PG_URL; see test/helpers/pg.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../server/store/postgres';
import { openSqliteStore } from '../../server/store/sqlite';
import { WriterLink } from '../../server/workers/link';
import { RemoteStore } from '../../server/workers/remote-store';
import { StoreHost } from '../../server/workers/writer';
import { channelPair } from '../helpers/workers';
import {
  ConflictError, NotFoundError, StoreUnavailableError, type NewRequest, type Store, type StoreOptions, type StoredRequest,
} from '../../server/store';
import { createHmac } from 'node:crypto';
import { parseSearch } from '../../server/search/parse';
import { dropSchema, freshSchemaUrl, pgSuite } from '../helpers/pg';
import { newRequest, storedIds } from './requests';

interface Engine {
  /** A store on an empty database, and what removes it. */
  open(options?: StoreOptions): Promise<{ store: Store; remove(): Promise<void> }>;
  /** Several processes may share the database (claimSweep then answers false to all but one per period). */
  shared: boolean;
}

const engines: Record<string, Engine> = {
  sqlite: {
    shared: false,
    async open(options) {
      const store = openSqliteStore(':memory:', options);
      return { store, remove: async () => void (store.isOpen() && (await store.close())) };
    },
  },
  workers: {
    // The writer claims the sweep for all of its server processes.
    shared: true,
    async open(options = { redactSecrets: false }) {
      const sqlite = openSqliteStore(':memory:', options);
      const channel = channelPair();
      new StoreHost(sqlite, options.publicUrl ?? null).attach(channel.writer);
      const store = new RemoteStore(new WriterLink(channel.server), options);
      return {
        store,
        async remove() {
          await store.close();
          channel.close();
          await sqlite.close();
        },
      };
    },
  },
  postgres: {
    shared: true,
    async open(options) {
      const url = await freshSchemaUrl('hl_contract');
      const store = await openPostgresStore(url, options);
      return {
        store,
        async remove() {
          await store.close();
          await dropSchema(url);
        },
      };
    },
  },
};

function contract(engine: Engine): void {
  let store: Store;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ store, remove } = await engine.open());
  });
  afterEach(async () => {
    await remove();
  });

  /** Inserts one request at a time; resolves with each stored record. */
  async function insert(requests: NewRequest[], maxRequests = 1_000): Promise<StoredRequest[]> {
    const stored: StoredRequest[] = [];
    for (const request of requests) {
      const [result] = await store.insertRequests([request], maxRequests);
      if (result instanceof Error) throw result;
      stored.push(result);
    }
    return stored;
  }

  describe('bins', () => {
    it('creates a bin with no requests and no secrets, which getBin and hasBin then find', async () => {
      const created = await store.createBin('a', 'Bin A', 1_000);
      expect(created).toEqual({
        id: 'a', name: 'Bin A', createdAt: 1_000, requestCount: 0, lastRequestAt: null, signingSecrets: {}, response: null,
        relayKey: expect.stringMatching(/^[\w-]{32}$/),
      });
      expect(await store.getBin('a')).toEqual(created);
      expect(await store.hasBin('a')).toBe(true);
      expect(await store.hasBin('b')).toBe(false);
      expect(await store.binForCapture('b')).toBeNull();
    });

    it('keeps a bin response, which capture reads, until it is set back to null', async () => {
      await store.createBin('a', 'A', 1);
      const response = { status: 503, headers: [['Retry-After', '5'], ['X-Id', '{id}']] as [string, string][], body: 'down', delayMs: 10 };
      expect((await store.updateBin('a', { response })).response).toEqual(response);
      expect(await store.binForCapture('a')).toEqual({ response, signingSecrets: {} });
      expect((await store.updateBin('a', { name: 'renamed' })).response).toEqual(response);
      expect((await store.updateBin('a', { response: null })).response).toBeNull();
      expect((await store.binForCapture('a'))?.response).toBeNull();
    });

    it('finds a bin by its relay key, and no longer by the old one once rotated', async () => {
      const { relayKey } = await store.createBin('a', 'A', 1);
      const other = await store.createBin('b', 'B', 2);
      expect(other.relayKey).not.toBe(relayKey);
      expect((await store.getBinByRelayKey(relayKey)).id).toBe('a');
      await store.updateBin('a', { relayKey: 'rotated-key' });
      await expect(store.getBinByRelayKey(relayKey)).rejects.toBeInstanceOf(NotFoundError);
      expect((await store.getBinByRelayKey('rotated-key')).id).toBe('a');
    });

    it('rejects a taken id with ConflictError and keeps the first bin', async () => {
      await store.createBin('a', 'first', 1);
      await expect(store.createBin('a', 'second', 2)).rejects.toBeInstanceOf(ConflictError);
      expect((await store.getBin('a')).name).toBe('first');
    });

    it('rejects getBin, updateBin, deleteBin and clearBin of an unknown bin with NotFoundError', async () => {
      await expect(store.getBin('nope')).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.updateBin('nope', { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.deleteBin('nope')).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.clearBin('nope')).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.listRequests('nope', { limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists bins newest first, and those created in the same millisecond latest first', async () => {
      await store.createBin('old', 'old', 1);
      await store.createBin('same-1', 'same-1', 5);
      await store.createBin('new', 'new', 9);
      await store.createBin('same-2', 'same-2', 5);
      expect((await store.listBins()).map((b) => b.id)).toEqual(['new', 'same-2', 'same-1', 'old']);
    });

    it('renames a bin and merges signing secrets: a value sets, null or "" removes, the others stay', async () => {
      await store.createBin('a', 'A', 1);
      await store.updateBin('a', { signingSecrets: { github: 'g1', stripe: 's1', slack: 'k1' } });
      const updated = await store.updateBin('a', { name: 'Renamed', signingSecrets: { github: 'g2', stripe: null, slack: '' } });
      expect(updated.name).toBe('Renamed');
      expect(updated.signingSecrets).toEqual({ github: 'g2' });
      const unchanged = await store.updateBin('a', {});
      expect(unchanged).toMatchObject({ name: 'Renamed', signingSecrets: { github: 'g2' } });
      expect(await store.getBin('a')).toEqual(unchanged);
    });

    it('deletes a bin with its requests and leaves the other bins alone', async () => {
      await store.createBin('a', 'A', 1);
      await store.createBin('b', 'B', 1);
      const [inA] = await insert([newRequest('a', 1)]);
      const [inB] = await insert([newRequest('b', 2)]);
      await store.deleteBin('a');
      expect(await store.hasBin('a')).toBe(false);
      await expect(store.getBin('a')).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.getRequest('a', inA.id)).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.requestsAfter('a', 0, 10)).toEqual([]);
      expect((await store.getRequest('b', inB.id)).id).toBe(inB.id);
      expect((await store.getBin('b')).requestCount).toBe(1);
      expect((await store.listBins()).map((b) => b.id)).toEqual(['b']);
    });
  });

  describe('insertRequests', () => {
    it('keeps the status answered and the handshake, and counts the attempts of a delivery id per bin', async () => {
      await store.createBin('a', 'A', 1);
      await store.createBin('b', 'B', 2);
      const zendesk = (n: number, id: string, binId = 'a') => newRequest(binId, n, {
        headers: [['Host', 'example.com'], ['X-Zendesk-Webhook-Invocation-Id', id]], status: 500,
      });
      const first = await store.insertRequests([zendesk(1, 'inv-1'), zendesk(2, 'inv-1'), zendesk(3, 'inv-2')], 100);
      const later = await store.insertRequests([zendesk(4, 'inv-1'), zendesk(5, 'inv-1', 'b'),
        newRequest('a', 6, { headers: [['X-GitHub-Delivery', 'inv-1']], handshake: 'slack' })], 100);
      const deliveries = [...first, ...later].map((r) => (r instanceof Error ? r : r.delivery));
      expect(deliveries).toEqual([
        { provider: 'zendesk', id: 'inv-1', attempt: 1 },
        { provider: 'zendesk', id: 'inv-1', attempt: 2 },
        { provider: 'zendesk', id: 'inv-2', attempt: 1 },
        { provider: 'zendesk', id: 'inv-1', attempt: 3 },
        // Another bin, another provider: counted apart.
        { provider: 'zendesk', id: 'inv-1', attempt: 1 },
        { provider: 'github', id: 'inv-1', attempt: 1 },
      ]);
      const [listed] = (await store.listRequests('a', { limit: 1 })).requests;
      expect(listed).toMatchObject({ status: 200, handshake: 'slack', delivery: { provider: 'github', id: 'inv-1', attempt: 1 } });
      const read = await store.getRequest('a', storedIds(first)[1]);
      expect(read).toMatchObject({ status: 500, handshake: null, delivery: { provider: 'zendesk', id: 'inv-1', attempt: 2 } });
    });

    it('answers each stored record, without the body, with increasing ids and the body digest', async () => {
      await store.createBin('a', 'A', 1);
      const request = newRequest('a', 1, {
        method: 'PUT', url: '/b/a/x/y?q=1&r', path: '/x/y', query: 'q=1&r', httpVersion: '1.0', contentType: 'text/plain',
        size: 99, truncated: true, body: Buffer.from('hello'), remoteAddress: '203.0.113.9', remotePort: 54321, secure: true,
      });
      const [first, second] = await store.insertRequests([request, newRequest('a', 2, { remotePort: null })], 10);
      if (first instanceof Error || second instanceof Error) throw new Error('not stored');
      const { body: _body, ...withoutBody } = request;
      expect(first).toEqual({
        ...withoutBody, id: first.id, evicted: [], authLabel: null, credentials: null, delivery: null,
        credentialKinds: [], signature: null, provider: null,
        bodySha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      });
      expect(second.id).toBeGreaterThan(first.id);
      expect(second.remotePort).toBeNull();
      const { evicted: _evicted, ...record } = first;
      expect(await store.getRequest('a', first.id)).toEqual({ ...record, body: Buffer.from('hello') });
      expect((await store.requestsAfter('a', 0, 10))[0]).toEqual(record);
      expect((await store.listRequests('a', { limit: 10 })).requests[1]).toEqual(record);
    });

    const basic = `Basic ${Buffer.from('jdoe@example.com:hunter2').toString('base64')}`;

    it('labels the credentials it stores, and keeps the headers and target as received', async () => {
      await store.createBin('a', 'A', 1);
      const headers: [string, string][] = [['Authorization', basic], ['X-N', '1']];
      const [stored] = storedIds(await store.insertRequests([newRequest('a', 1, { headers, url: '/b/a?api_key=k1', query: 'api_key=k1' })], 10));
      const read = await store.getRequest('a', stored);
      expect(read.authLabel).toBe('Basic · Zendesk-style password for jdoe@example.com');
      expect(read.headers).toEqual(headers);
      expect(read.url).toBe('/b/a?api_key=k1');
      expect(read.credentials).toBeNull();
    });

    it('opened to redact, stores the credential values replaced and the analysis taken before', async () => {
      const redacting = await engine.open({ redactSecrets: true });
      try {
        await redacting.store.createBin('a', 'A', 1);
        const request = newRequest('a', 1, { headers: [['Authorization', basic]], url: '/b/a/p?x=1&api_key=k1', query: 'x=1&api_key=k1' });
        const [result] = await redacting.store.insertRequests([request], 10);
        if (result instanceof Error) throw result;
        const read = await redacting.store.getRequest('a', result.id);
        for (const record of [result, read]) {
          expect(JSON.stringify(record)).not.toContain('hunter2');
          expect(JSON.stringify(record)).not.toContain('k1');
          expect(record.url).toMatch(/^\/b\/a\/p\?x=1&api_key=/);
          expect(record.authLabel).toBe('Basic · Zendesk-style password for jdoe@example.com');
          const analysis = JSON.parse(record.credentials!) as { credentials: { scheme?: string; secret?: { sha256: string } }[] };
          expect(analysis.credentials.map((c) => c.scheme ?? null)).toEqual(['Basic', null]);
          expect(analysis.credentials.map((c) => c.secret?.sha256)).toEqual(['', '']);
        }
      } finally {
        await redacting.remove();
      }
    });

    it('keeps every byte of a binary body and every header pair (order, case, duplicates, Latin-1 bytes) exactly', async () => {
      await store.createBin('a', 'A', 1);
      const body = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256));
      const headers: [string, string][] = [
        ['Host', 'example.com'], ['X-Dup', 'one'], ['x-dup', 'two'], ['X-DUP', 'one'],
        ['X-Latin1', Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0xff, 0x80, 0x00]).toString('latin1')],
        ['X-Quote', '"\\\'<>&\t'], ['Empty', ''],
      ];
      const [stored] = await insert([newRequest('a', 1, { body, size: body.length, headers })]);
      const read = await store.getRequest('a', stored.id);
      expect(read.body.equals(body)).toBe(true);
      expect(new Set(read.body).size).toBe(256);
      expect(read.headers).toEqual(headers);
      expect(Buffer.from(read.headers[4][1], 'latin1')).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0xff, 0x80, 0x00]));
      expect((await store.requestsAfter('a', 0, 1))[0].headers).toEqual(headers);
      expect((await store.listRequests('a', { limit: 1 })).requests[0].headers).toEqual(headers);
    });

    it('stores an empty body', async () => {
      await store.createBin('a', 'A', 1);
      const [stored] = await insert([newRequest('a', 1, { body: Buffer.alloc(0), size: 0 })]);
      expect((await store.getRequest('a', stored.id)).body).toEqual(Buffer.alloc(0));
    });

    it('answers a request whose bin was deleted with NotFoundError, and stores the others of the batch', async () => {
      await store.createBin('a', 'A', 1);
      await store.createBin('gone', 'gone', 1);
      await store.deleteBin('gone');
      const results = await store.insertRequests([newRequest('a', 1), newRequest('gone', 2), newRequest('a', 3)], 10);
      expect(results[1]).toBeInstanceOf(NotFoundError);
      const [first, third] = [results[0], results[2]] as StoredRequest[];
      expect(third.id).toBeGreaterThan(first.id);
      expect((await store.listRequests('a', { limit: 10 })).requests.map((r) => r.id)).toEqual([third.id, first.id]);
      expect(await store.hasBin('gone')).toBe(false);
      expect((await store.getBin('a')).requestCount).toBe(2);
    });

    it('answers 0 as the last id of a database that never stored a request', async () => {
      await store.createBin('a', 'A', 1);
      expect(await store.lastRequestId('a')).toBe(0);
      expect(await store.lastRequestId('nope')).toBe(0);
    });

    it('resolves an empty batch with nothing', async () => {
      expect(await store.insertRequests([], 10)).toEqual([]);
    });

    it('evicts the oldest past maxRequests and reports them, oldest first, with the request that pushed them out', async () => {
      await store.createBin('a', 'A', 1);
      const ids = storedIds(await store.insertRequests([1, 2, 3].map((n) => newRequest('a', n)), 10));
      const [fourth] = await store.insertRequests([newRequest('a', 4)], 2);
      expect(fourth instanceof Error ? null : fourth.evicted).toEqual([ids[0], ids[1]]);
      expect((await store.getBin('a')).requestCount).toBe(2);
      expect((await store.listRequests('a', { limit: 10 })).requests.map((r) => r.id)).toEqual([(fourth as StoredRequest).id, ids[2]]);
    });

    it('within one batch, each request evicts what passes the limit once it is in, even another of the batch', async () => {
      await store.createBin('a', 'A', 1);
      await store.createBin('b', 'B', 1);
      const old = storedIds(await store.insertRequests([newRequest('a', 1), newRequest('a', 2)], 2));
      const batch = await store.insertRequests(
        [newRequest('a', 3), newRequest('b', 4), newRequest('a', 5), newRequest('a', 6)], 2) as StoredRequest[];
      expect(batch.map((r) => r.evicted)).toEqual([[old[0]], [], [old[1]], [batch[0].id]]);
      expect((await store.getBin('a')).requestCount).toBe(2);
      expect((await store.getBin('b')).requestCount).toBe(1);
      expect((await store.requestsAfter('a', 0, 10)).map((r) => r.id)).toEqual([batch[2].id, batch[3].id]);
    });

    it('keeps the count and the last request time of each bin', async () => {
      await store.createBin('a', 'A', 1);
      const stored = await insert([newRequest('a', 1, { receivedAt: 5_000 }), newRequest('a', 2, { receivedAt: 7_000 })]);
      expect(await store.getBin('a')).toMatchObject({ requestCount: 2, lastRequestAt: 7_000 });
      expect((await store.listBins())[0]).toMatchObject({ requestCount: 2, lastRequestAt: 7_000 });
      await store.createBin('b', 'B', 2);
      await insert([newRequest('b', 3)]);
      expect(await store.countRequests()).toBe(3);
      await store.deleteRequest('a', stored[1].id);
      expect(await store.getBin('a')).toMatchObject({ requestCount: 1, lastRequestAt: 5_000 });
      expect(await store.clearBin('a')).toBe(stored[0].id);
      expect(await store.getBin('a')).toMatchObject({ requestCount: 0, lastRequestAt: null });
      expect(await store.clearBin('a')).toBe(0);
    });
  });

  describe('reading requests', () => {
    let ids: number[];
    beforeEach(async () => {
      await store.createBin('a', 'A', 1);
      await store.createBin('other', 'other', 1);
      ids = [];
      for (let n = 0; n < 6; n++) {
        ids.push(...storedIds(await store.insertRequests([newRequest('a', n), newRequest('other', 100 + n)], 100)));
      }
      ids = ids.filter((_, i) => i % 2 === 0); // the bin's own
    });

    it('lists newest first, at most `limit`, saying whether there are more', async () => {
      const page = await store.listRequests('a', { limit: 4 });
      expect(page.requests.map((r) => r.id)).toEqual([ids[5], ids[4], ids[3], ids[2]]);
      expect(page.hasMore).toBe(true);
      const all = await store.listRequests('a', { limit: 6 });
      expect(all.requests.map((r) => r.id)).toEqual([...ids].reverse());
      expect(all.hasMore).toBe(false);
    });

    it('treats before and after as exclusive bounds, alone or together', async () => {
      const ofPage = async (page: { before?: number; after?: number; limit: number }) => {
        const { requests, hasMore } = await store.listRequests('a', page);
        return { ids: requests.map((r) => r.id), hasMore };
      };
      expect(await ofPage({ before: ids[3], limit: 2 })).toEqual({ ids: [ids[2], ids[1]], hasMore: true });
      expect(await ofPage({ before: ids[2], limit: 2 })).toEqual({ ids: [ids[1], ids[0]], hasMore: false });
      expect(await ofPage({ after: ids[3], limit: 10 })).toEqual({ ids: [ids[5], ids[4]], hasMore: false });
      expect(await ofPage({ after: ids[0], before: ids[4], limit: 2 })).toEqual({ ids: [ids[3], ids[2]], hasMore: true });
    });

    it('lists nothing, not an error, for a bin without requests', async () => {
      await store.createBin('empty', 'empty', 1);
      expect(await store.listRequests('empty', { limit: 10 })).toEqual({ requests: [], hasMore: false, total: 0 });
    });

    it('reads the backlog oldest first, after an id, at most `limit`, and nothing for an unknown bin', async () => {
      expect((await store.requestsAfter('a', ids[1], 3)).map((r) => r.id)).toEqual([ids[2], ids[3], ids[4]]);
      expect((await store.requestsAfter('a', 0, 100)).map((r) => r.id)).toEqual(ids);
      expect(await store.requestsAfter('a', ids[5], 100)).toEqual([]);
      expect(await store.requestsAfter('nope', 0, 100)).toEqual([]);
    });

    it('answers the last id of a bin, or of the whole database for a bin without requests, also after deletes', async () => {
      const everything = ids[5] + 1; // the other bin's last request came after the bin's last
      expect(await store.lastRequestId('a')).toBe(ids[5]);
      await store.createBin('empty', 'empty', 1);
      expect(await store.lastRequestId('empty')).toBe(everything);
      expect(await store.lastRequestId('nope')).toBe(everything);
      await store.clearBin('other');
      // Ids are never handed out twice: ids above the answer are still new.
      expect(await store.lastRequestId('empty')).toBeGreaterThanOrEqual(everything);
    });

    it('gets a request of its own bin only, and rejects an unknown one with NotFoundError', async () => {
      expect((await store.getRequest('a', ids[0])).id).toBe(ids[0]);
      await expect(store.getRequest('other', ids[0])).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.getRequest('a', ids[5] + 1_000)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('gets the requests of its own bin among ids, with their bodies, newest first, leaving out the others', async () => {
      const got = await store.getRequests('a', [ids[1], ids[4], ids[0] + 1, ids[5] + 1_000, ids[3]]);
      expect(got.map((r) => r.id)).toEqual([ids[4], ids[3], ids[1]]);
      expect(got[0]).toEqual(await store.getRequest('a', ids[4]));
      expect(got[0].body).toEqual(Buffer.from([4]));
      expect(await store.getRequests('a', [])).toEqual([]);
      expect(await store.getRequests('nope', ids)).toEqual([]);
    });

    it('deletes one request, and rejects deleting it again or through another bin with NotFoundError', async () => {
      await expect(store.deleteRequest('other', ids[2])).rejects.toBeInstanceOf(NotFoundError);
      await store.deleteRequest('a', ids[2]);
      await expect(store.deleteRequest('a', ids[2])).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.deleteRequest('nope', ids[2])).rejects.toBeInstanceOf(NotFoundError);
      expect((await store.requestsAfter('a', 0, 10)).map((r) => r.id)).toEqual([ids[0], ids[1], ids[3], ids[4], ids[5]]);
      expect((await store.getBin('a')).requestCount).toBe(5);
    });

    it('clears a bin, and later ids stay above the removed ones', async () => {
      await store.clearBin('a');
      expect(await store.listRequests('a', { limit: 10 })).toEqual({ requests: [], hasMore: false, total: 0 });
      expect((await store.getBin('other')).requestCount).toBe(6);
      const [next] = await insert([newRequest('a', 9)]);
      expect(next.id).toBeGreaterThan(ids[5] + 1);
    });
  });

  describe('deleteReceivedBefore', () => {
    it('removes the requests of every bin received before the cutoff, answers them oldest first, and keeps counts', async () => {
      await store.createBin('a', 'A', 1);
      await store.createBin('b', 'B', 1);
      const stored = await insert([
        newRequest('a', 1, { receivedAt: 100 }), newRequest('b', 2, { receivedAt: 150 }),
        newRequest('a', 3, { receivedAt: 200 }), newRequest('b', 4, { receivedAt: 300 }),
      ]);
      expect(await store.deleteReceivedBefore(200)).toEqual([
        { binId: 'a', id: stored[0].id }, { binId: 'b', id: stored[1].id },
      ]);
      expect(await store.deleteReceivedBefore(200)).toEqual([]);
      expect(await store.getBin('a')).toMatchObject({ requestCount: 1, lastRequestAt: 200 });
      expect(await store.getBin('b')).toMatchObject({ requestCount: 1, lastRequestAt: 300 });
    });
  });

  describe('storedBytes and deleteOldest', () => {
    /** What a request takes as the cap counts it: body, headers as stored (JSON), target, path and query, in bytes. */
    const bytesOf = (r: NewRequest): number => r.body.length
      + [JSON.stringify(r.headers), r.url, r.path, r.query].reduce((sum, text) => sum + Buffer.byteLength(text), 0);

    it('counts the bytes of bodies, headers and targets, across bins, and forgets what is deleted or evicted', async () => {
      await store.createBin('a', 'A', 1);
      await store.createBin('b', 'B', 1);
      expect(await store.storedBytes()).toBe(0);
      const requests = [
        newRequest('a', 1, { body: Buffer.alloc(1000, 'x') }),
        newRequest('b', 2, { body: Buffer.alloc(3000, 'y'), headers: [['X-Café', 'é'.repeat(10)]] }),
        newRequest('a', 3, { body: Buffer.alloc(500), url: '/b/a/ünïcode?q=é', path: '/ünïcode', query: 'q=é' }),
      ];
      const stored = await insert(requests);
      expect(await store.storedBytes()).toBe(requests.reduce((sum, r) => sum + bytesOf(r), 0));
      await store.deleteRequest('b', stored[1].id);
      expect(await store.storedBytes()).toBe(bytesOf(requests[0]) + bytesOf(requests[2]));
      // Evicted past --max-requests: 1 kept in bin a.
      await store.insertRequests([newRequest('a', 4)], 1);
      expect(await store.storedBytes()).toBe(bytesOf(newRequest('a', 4)));
      await store.deleteBin('a');
      expect(await store.storedBytes()).toBe(0);
    });

    it('removes the oldest requests of all bins until the bytes asked for are gone, oldest first, keeping counts', async () => {
      await store.createBin('a', 'A', 1);
      await store.createBin('b', 'B', 1);
      const requests = [0, 1, 2, 3, 4, 5].map((n) => newRequest(n % 2 ? 'b' : 'a', n, { body: Buffer.alloc(1000) }));
      const stored = await insert(requests);
      const each = bytesOf(requests[0]);
      // A little more than two: three go.
      expect(await store.deleteOldest(2 * each + 1)).toEqual([
        { binId: 'a', id: stored[0].id }, { binId: 'b', id: stored[1].id }, { binId: 'a', id: stored[2].id },
      ]);
      expect(await store.storedBytes()).toBe(3 * each);
      expect(await store.getBin('a')).toMatchObject({ requestCount: 1 });
      expect(await store.getBin('b')).toMatchObject({ requestCount: 2 });
      expect(await store.deleteOldest(100 * each)).toHaveLength(3);
      expect(await store.deleteOldest(1)).toEqual([]);
      expect(await store.storedBytes()).toBe(0);
    });
  });

  describe('claimSweep', () => {
    it('lets the first caller sweep', async () => {
      expect(await store.claimSweep(10_000, 1_000)).toBe(true);
    });

    // One process per SQLite file: there, every claim is the only one. (Registered only where it applies: CI counts
    // a skipped test as a failure.)
    if (engine.shared) it('refuses a second claim within the period, and allows one once it has passed', async () => {
      expect(await store.claimSweep(10_000, 1_000)).toBe(true);
      expect(await store.claimSweep(10_500, 1_000)).toBe(false);
      expect(await store.claimSweep(10_999, 1_000)).toBe(false);
      expect(await store.claimSweep(11_000, 1_000)).toBe(true);
      expect(await store.claimSweep(11_001, 1_000)).toBe(false);
    });
  });

  describe('settings', () => {
    it('answers null for a missing key, then the value last set', async () => {
      expect(await store.getSetting('k')).toBeNull();
      await store.setSetting('k', 'one');
      await store.setSetting('k', 'two');
      expect(await store.getSetting('k')).toBe('two');
    });

    it('sets a value only when the key has none, answering the value in force', async () => {
      expect(await store.setSettingIfAbsent('k', 'first')).toBe('first');
      expect(await store.setSettingIfAbsent('k', 'second')).toBe('first');
      expect(await store.getSetting('k')).toBe('first');
    });
  });

  describe('sign-in failures', () => {
    it('counts failures within the window that ends now, and starts again once it has passed', async () => {
      expect(await store.failureCount('ip', 1_000, 100)).toBe(0);
      expect(await store.recordFailure('ip', 1_000, 100)).toBe(1);
      expect(await store.recordFailure('ip', 1_050, 100)).toBe(2);
      expect(await store.recordFailure('other', 1_050, 100)).toBe(1);
      expect(await store.failureCount('ip', 1_099, 100)).toBe(2);
      expect(await store.failureCount('ip', 1_100, 100)).toBe(0);
      expect(await store.recordFailure('ip', 1_100, 100)).toBe(1);
      expect(await store.failureCount('ip', 1_150, 100)).toBe(1);
    });
  });

  describe('signed-out sessions', () => {
    it('refuses a revoked digest until it expires, and forgets expired ones on the next revocation', async () => {
      expect(await store.isSessionRevoked('a'.repeat(64))).toBe(false);
      await store.revokeSession('a'.repeat(64), 2_000, 1_000);
      await store.revokeSession('a'.repeat(64), 2_000, 1_000); // twice is fine
      expect(await store.isSessionRevoked('a'.repeat(64))).toBe(true);
      expect(await store.isSessionRevoked('b'.repeat(64))).toBe(false);
      await store.revokeSession('b'.repeat(64), 9_000, 2_001);
      expect(await store.isSessionRevoked('a'.repeat(64))).toBe(false);
      expect(await store.isSessionRevoked('b'.repeat(64))).toBe(true);
    });
  });

  describe('signature verdicts and search', () => {
    const body = Buffer.from('{"type":"ticket.created"}');
    const signedWith = (secret: string, n: number): NewRequest => newRequest('a', n, {
      body, headers: [['X-Zendesk-Webhook-Signature', createHmac('sha256', secret).update(`2026-12-01T08:00:00Z${body}`).digest('base64')],
        ['X-Zendesk-Webhook-Signature-Timestamp', '2026-12-01T08:00:00Z'], ['Authorization', `Basic ${Buffer.from('jdoe:pw').toString('base64')}`]],
    });

    it('keeps each request\'s credential kinds, verdict and provider, and rechecks the verdicts of a bin whose secrets changed', async () => {
      await store.createBin('a', 'A', 1);
      const [signed, plain] = await insert([signedWith('s3cret', 1), newRequest('a', 2)]);
      expect(signed).toMatchObject({ credentialKinds: ['basic'], signature: 'no-secret', provider: 'zendesk' });
      expect(plain).toMatchObject({ credentialKinds: [], signature: null, provider: null });
      expect(await store.binsToRecheck()).toEqual([]);

      await store.updateBin('a', { name: 'renamed' });
      expect(await store.binsToRecheck()).toEqual([]);
      await store.updateBin('a', { signingSecrets: { zendesk: 's3cret' } });
      expect(await store.binsToRecheck()).toEqual([{ binId: 'a', version: 1 }]);
      // Captured now: judged with the new secret at once.
      const [later] = await insert([signedWith('s3cret', 3)]);
      expect(later.signature).toBe('verified');

      expect(await store.recheckSignatures('a', 0, 1)).toEqual({ lastId: signed.id, version: 1 });
      expect((await store.getRequest('a', signed.id)).signature).toBe('verified');
      expect(await store.recheckSignatures('a', signed.id, 10)).toEqual({ lastId: later.id, version: 1 });
      expect(await store.recheckSignatures('a', later.id, 10)).toEqual({ lastId: null, version: 1 });
      await store.markRechecked('a', 0);
      expect(await store.binsToRecheck()).toEqual([{ binId: 'a', version: 1 }]);
      await store.markRechecked('a', 1);
      expect(await store.binsToRecheck()).toEqual([]);
      expect((await store.listRequests('a', { limit: 10, search: parseSearch('sig:verified auth:basic') })).requests.map((r) => r.id))
        .toEqual([later.id, signed.id]);
      expect(await store.recheckSignatures('gone', 0, 10)).toEqual({ lastId: null, version: 0 });
    });

    it('answers a search\'s total whatever the bounds, and the bin\'s count without one', async () => {
      await store.createBin('a', 'A', 1);
      const ids = (await insert([1, 2, 3, 4, 5].map((n) => newRequest('a', n, { body: Buffer.from(n % 2 ? 'odd one' : 'even one') })))).map((r) => r.id);
      expect(await store.listRequests('a', { limit: 1, before: ids[4], search: parseSearch('odd') }))
        .toMatchObject({ requests: [expect.objectContaining({ id: ids[2] })], hasMore: true, total: 3 });
      expect(await store.listRequests('a', { limit: 1, search: parseSearch('') })).toMatchObject({ total: 5, hasMore: true });
      await store.deleteRequest('a', ids[0]);
      expect((await store.listRequests('a', { limit: 10, search: parseSearch('odd') })).total).toBe(2);
    });
  });

  describe('lifecycle', () => {
    it('answers ping while open; once closed it says so and later calls reject', async () => {
      await store.ping();
      expect(store.isOpen()).toBe(true);
      await store.close();
      expect(store.isOpen()).toBe(false);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.getBin('a')).rejects.toThrow();
    });
  });
}

describe('Store on SQLite', () => {
  it('names its engine', async () => {
    expect(openSqliteStore(':memory:').engine).toBe('sqlite');
  });
  contract(engines.sqlite);
});

describe('Store of a server process of --workers (SQLite, through the writer)', () => {
  it('names its engine', async () => {
    const { store, remove } = await engines.workers.open();
    expect(store.engine).toBe('sqlite');
    await remove();
  });
  contract(engines.workers);
});

pgSuite('Store on PostgreSQL', () => {
  it('names its engine', async () => {
    const { store, remove } = await engines.postgres.open();
    expect(store.engine).toBe('postgres');
    await remove();
  });
  contract(engines.postgres);
});
