/**
 * The bus (server/bus/port.ts): in one process (memory) and through PostgreSQL, where each "instance" below has its
 * own store (pool), hub and bus on one schema, as separate hooklens processes would.
 */
import { createServer } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../shared/types';
import { createMemoryBus } from '../server/bus/memory';
import { createPostgresBus } from '../server/bus/postgres';
import type { Bus, LiveEvent } from '../server/bus/port';
import { Hub } from '../server/bus/hub';
import { StoreUnavailableError, type Store, type StoredRequest } from '../server/store';
import { openPostgresStore } from '../server/store/postgres';
import { openSqliteStore } from '../server/store/sqlite';
import { toLiveRequest, toWireBin } from '../server/wire';
import { dropSchema, freshSchemaUrl, pgSuite, schemaOf, startRelay, terminateConnections, withPort } from './helpers/pg';
import { newRequest } from './store/requests';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What a hub delivered to one listener (a bin's, or every connection's), with a way to wait for more. */
class Heard {
  readonly messages: ServerMessage[] = [];
  private readonly waiters = new Set<() => void>();
  readonly stop: () => void;

  constructor(hub: Hub, binId?: string) {
    const listener = (_json: string, message: ServerMessage): void => {
      this.messages.push(message);
      for (const wake of [...this.waiters]) wake();
    };
    this.stop = binId === undefined ? hub.subscribeAll(listener) : hub.subscribe(binId, listener);
  }

  requestIds(): number[] {
    return this.messages.flatMap((m) => (m.type === 'request' ? [m.request.id] : []));
  }

  /** Resolves once `check` holds for what was heard. */
  until(check: (messages: ServerMessage[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        if (!check(this.messages)) return;
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
      wake();
    });
  }
}

/** Stores the captures, then announces them, as the request service does. */
async function capture(store: Store, bus: Bus, binId: string, count = 1): Promise<StoredRequest[]> {
  const results = await store.insertRequests(Array.from({ length: count }, (_, n) => newRequest(binId, n)), 100_000);
  const stored = results.map((r) => {
    if (r instanceof Error) throw r;
    return r;
  });
  await bus.publish(stored.map((r): LiveEvent => ({ type: 'request', binId, request: r })));
  return stored;
}

describe('memory bus', () => {
  it('hands each event to the hub at once: bin messages to every connection, the others to the bin', async () => {
    const store = openSqliteStore(':memory:');
    const hub = new Hub();
    const bus = createMemoryBus(hub, store);
    const bin = await store.createBin('a', 'A', 1);
    const ofBin = new Heard(hub, 'a');
    const everyone = new Heard(hub);
    const [stored] = await capture(store, bus, 'a');
    await bus.publish([{ type: 'request-deleted', binId: 'a', id: stored.id }, { type: 'bin', bin: toWireBin(bin, '') }, { type: 'bin-deleted', binId: 'a' }]);
    expect(ofBin.messages.map((m) => m.type)).toEqual(['request', 'request-deleted']);
    expect(everyone.messages.map((m) => m.type)).toEqual(['bin', 'bin-deleted']);
    expect(await bus.follow('a')).toBe(stored.id);
    await bus.close();
    await store.close();
  });
});

interface Instance {
  store: Store;
  hub: Hub;
  bus: Bus;
}

/** One simulated hooklens process on `url`: its own store, hub and bus, closed after the test. */
async function instance(url: string): Promise<Instance> {
  const store = await openPostgresStore(url);
  const hub = new Hub();
  const bus = await createPostgresBus({ url, store, hub });
  cleanups.push(async () => {
    await bus.close();
    await store.close();
  });
  return { store, hub, bus };
}

/** The stored records of a batch; throws on an error among them. */
function storedOnly(results: (StoredRequest | Error)[]): StoredRequest[] {
  return results.map((r) => {
    if (r instanceof Error) throw r;
    return r;
  });
}

async function schemaUrl(): Promise<string> {
  const url = await freshSchemaUrl('hl_bus');
  cleanups.push(() => dropSchema(url));
  return url;
}

pgSuite('PostgreSQL bus', () => {
  it('delivers captures stored through either of two instances to both hubs, in id order, exactly once', async () => {
    const url = await schemaUrl();
    const [a, b] = [await instance(url), await instance(url)];
    await a.store.createBin('race', 'race', 1);
    const heard = [new Heard(a.hub, 'race'), new Heard(b.hub, 'race')];
    await Promise.all([a.bus.follow('race'), b.bus.follow('race')]);
    const stored: number[] = [];
    await Promise.all(Array.from({ length: 16 }, async (_, writer) => {
      const { store, bus } = writer % 2 === 0 ? a : b;
      for (let i = 0; i < 10; i++) stored.push(...(await capture(store, bus, 'race', 1 + (i % 2))).map((r) => r.id));
    }));
    const expected = [...stored].sort((x, y) => x - y);
    for (const h of heard) {
      await h.until(() => h.requestIds().length >= expected.length);
      expect(h.requestIds()).toEqual(expected);
    }
    // What the hub delivers is the live request: summary and headers, read from the store.
    const first = heard[1].messages[0];
    expect(first).toEqual({ type: 'request', binId: 'race', request: toLiveRequest((await b.store.requestsAfter('race', 0, 1))[0]) });
  });

  it('follows from the last stored id: earlier captures are not delivered, later ones are, and the cursor moves', async () => {
    const url = await schemaUrl();
    const [a, b] = [await instance(url), await instance(url)];
    await a.store.createBin('a', 'A', 1);
    const before = await capture(a.store, a.bus, 'a', 3);
    const heard = new Heard(b.hub, 'a');
    expect(await b.bus.follow('a')).toBe(before[2].id);
    const after = await capture(a.store, a.bus, 'a', 2);
    await heard.until(() => heard.requestIds().length >= 2);
    expect(heard.requestIds()).toEqual(after.map((r) => r.id));
    // Following again (another subscriber) answers how far the hub has delivered.
    expect(await b.bus.follow('a')).toBe(after[1].id);
  });

  it('reads nothing for a bin its hub does not follow, and forgets a cursor once the hub has no subscriber left', async () => {
    const url = await schemaUrl();
    const [a, b] = [await instance(url), await instance(url)];
    await a.store.createBin('x', 'x', 1);
    await a.store.createBin('probe', 'probe', 1);
    const onX = new Heard(b.hub, 'x');
    const cursor = await b.bus.follow('x');
    onX.stop();
    const probe = new Heard(b.hub, 'probe');
    await b.bus.follow('probe');
    const reads = vi.spyOn(b.store, 'requestsAfter');
    // Notifications of one publish arrive in order: once the probe's capture is heard, x's was handled.
    const [inX] = (await a.store.insertRequests([newRequest('x', 1)], 100)) as StoredRequest[];
    const [inProbe] = (await a.store.insertRequests([newRequest('probe', 1)], 100)) as StoredRequest[];
    await a.bus.publish([inX, inProbe].map((r): LiveEvent => ({ type: 'request', binId: r.binId, request: r })));
    await probe.until(() => probe.requestIds().length === 1);
    expect(reads.mock.calls.map(([binId]) => binId)).toEqual(['probe']);
    expect(onX.messages).toEqual([]);
    // A new subscriber of x starts from the store's last id, not from the forgotten cursor.
    new Heard(b.hub, 'x');
    expect(await b.bus.follow('x')).toBe(inX.id);
    expect(inX.id).toBeGreaterThan(cursor);
  });

  it('hands request-deleted and bin-cleared to the bin\'s subscribers after the captures announced before them', async () => {
    const url = await schemaUrl();
    const [a, b] = [await instance(url), await instance(url)];
    await a.store.createBin('a', 'A', 1);
    const heard = new Heard(b.hub, 'a');
    await b.bus.follow('a');
    const [stored] = (await a.store.insertRequests([newRequest('a', 1)], 100)) as StoredRequest[];
    await a.bus.publish([
      { type: 'request', binId: 'a', request: stored },
      { type: 'request-deleted', binId: 'a', id: stored.id - 1 },
      { type: 'bin-cleared', binId: 'a' },
    ]);
    await heard.until((m) => m.length >= 3);
    expect(heard.messages.map((m) => m.type)).toEqual(['request', 'request-deleted', 'bin-cleared']);
    // A bin nobody follows still hears them (a viewer that has not subscribed through the bus).
    const unfollowed = new Heard(b.hub, 'other');
    await a.bus.publish([{ type: 'bin-cleared', binId: 'other' }]);
    await unfollowed.until((m) => m.length === 1);
  });

  it('broadcasts bin and bin-deleted to every connection, reading each bin back from the store', async () => {
    const url = await schemaUrl();
    const [a, b] = [await instance(url), await instance(url)];
    const everyone = new Heard(b.hub);
    const small = await a.store.createBin('small', 'Small', 1);
    await a.bus.publish([{ type: 'bin', bin: toWireBin(small, '') }]);
    await everyone.until((m) => m.length === 1);
    expect(everyone.messages[0]).toEqual({ type: 'bin', bin: toWireBin(small, '') });
    await a.store.createBin('big', 'Big', 2);
    const big = await a.store.updateBin('big', { name: 'n'.repeat(9_000) });
    await a.bus.publish([{ type: 'bin', bin: toWireBin(big, '') }]);
    await everyone.until((m) => m.length === 2);
    expect(everyone.messages[1]).toEqual({ type: 'bin', bin: toWireBin(big, '') });
    await a.bus.publish([{ type: 'bin-deleted', binId: 'small' }]);
    await everyone.until((m) => m.length === 3);
    expect(everyone.messages[2]).toEqual({ type: 'bin-deleted', binId: 'small' });
    // An announcement that arrives late (another process's, say) never shows an older count than the store's.
    await capture(a.store, a.bus, 'big', 3);
    await a.bus.publish([{ type: 'bin', bin: toWireBin(big, '') }]);
    await everyone.until((m) => m.length === 4);
    expect(everyone.messages[3]).toMatchObject({ type: 'bin', bin: { id: 'big', requestCount: 3 } });
  });

  it('never puts a body, a header or a secret in a notification, and folds a batch of captures into one notice per bin', async () => {
    const url = await schemaUrl();
    const a = await instance(url);
    const spy = new pg.Client({ connectionString: url });
    await spy.connect();
    cleanups.push(() => spy.end());
    const payloads: string[] = [];
    let wake = (): void => {};
    spy.on('notification', (message) => {
      payloads.push(message.payload ?? '');
      wake();
    });
    await spy.query(`LISTEN "hooklens_${schemaOf(url)}"`);
    await a.store.createBin('s', 's', 1);
    const bin = await a.store.updateBin('s', { signingSecrets: { github: 'gh-secret-value' } });
    const results = await a.store.insertRequests([1, 2, 3].map((n) => newRequest('s', n, {
      headers: [['Authorization', 'Bearer header-secret']], body: Buffer.from('body-secret'),
    })), 100);
    const stored = results as StoredRequest[];
    // A batch of captures is one notice per bin, carrying the largest id: receivers read after their cursor.
    await a.bus.publish([...stored.map((request): LiveEvent => ({ type: 'request', binId: 's', request })), { type: 'bin', bin: toWireBin(bin, '') }]);
    await new Promise<void>((resolve) => {
      wake = () => payloads.length >= 2 && resolve();
      wake();
    });
    expect(payloads).toHaveLength(2);
    expect(JSON.parse(payloads[0])).toEqual({ type: 'request', binId: 's', id: stored[2].id });
    for (const payload of payloads) expect(payload).not.toMatch(/secret-value|header-secret|body-secret/);
  });

  it('tells its listeners when its connection is lost, refuses to follow meanwhile, and listens again by itself', async () => {
    const url = await schemaUrl();
    const a = await instance(url);
    const writer = await openPostgresStore(url);
    cleanups.push(() => writer.close());
    await writer.createBin('a', 'A', 1);
    new Heard(a.hub, 'a');
    await a.bus.follow('a');
    const interrupted = new Promise<string>((resolve) => a.bus.onInterrupted(resolve));
    expect(await terminateConnections(url, "query LIKE 'LISTEN%'")).toBe(1);
    expect(await interrupted).toMatch(/lost the database/);
    await expect(a.bus.follow('a')).rejects.toBeInstanceOf(StoreUnavailableError);
    // Readiness says so meanwhile.
    expect(a.bus.problem()).toBe('live updates are reconnecting to the database');
    await vi.waitFor(() => a.bus.follow('a'), { timeout: 10_000 });
    expect(a.bus.problem()).toBeNull();
    const heard = new Heard(a.hub, 'a');
    const stored = await capture(writer, a.bus, 'a', 2);
    await heard.until(() => heard.requestIds().length === 2);
    expect(heard.requestIds()).toEqual(stored.map((r) => r.id));
  });

  it('sends again what it could not announce while the database was away, so that other instances deliver it', async () => {
    const url = await schemaUrl();
    const relay = await startRelay();
    cleanups.push(() => relay.close());
    // Instance a reaches the database through a relay that is about to be cut; b follows the bin directly.
    const a = await instance(withPort(url, relay.port));
    const b = await instance(url);
    await b.store.createBin('r', 'R', 1);
    const heard = new Heard(b.hub, 'r');
    await b.bus.follow('r');
    const [stored] = storedOnly(await b.store.insertRequests([newRequest('r', 1)], 100));
    await relay.cut();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    cleanups.push(async () => errors.mockRestore());
    await a.bus.publish([{ type: 'request', binId: 'r', request: stored }]);
    await vi.waitFor(() => expect(errors).toHaveBeenCalledWith(expect.stringMatching(/^hooklens: announcing 1 change\(s\) failed, trying again/)));
    expect(heard.requestIds()).toEqual([]);
    await relay.restore();
    await heard.until(() => heard.requestIds().length === 1);
    expect(heard.requestIds()).toEqual([stored.id]);
  });

  it('stops on close: follow rejects and publish does nothing', async () => {
    const url = await schemaUrl();
    const store = await openPostgresStore(url);
    cleanups.push(() => store.close());
    const bus = await createPostgresBus({ url, store, hub: new Hub() });
    await bus.close();
    await expect(bus.follow('a')).rejects.toBeInstanceOf(StoreUnavailableError);
    await bus.publish([{ type: 'bin-cleared', binId: 'a' }]);
    await bus.close();
  });

  it('refuses to start when the database is unreachable, naming the URL without its password', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const store = openSqliteStore(':memory:');
    const starting = createPostgresBus({ url: `postgres://u:Pa55-word@127.0.0.1:${port}/db`, store, hub: new Hub() });
    const error = await starting.then(() => null, (err: Error) => err);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error!.message).not.toContain('Pa55-word');
    await store.close();
  });
});
