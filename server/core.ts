import { Access } from './access';
import { createMemoryBus } from './bus/memory';
import type { Bus } from './bus/port';
import type { Config } from './config';
import { Hub } from './bus/hub';
import { BinService } from './services/bins';
import { RequestService } from './services/requests';
import type { Store } from './store';

/** Everything behind the HTTP server: the store, the bus that feeds this process's hub, the services, access. */
export interface Core {
  store: Store;
  hub: Hub;
  bus: Bus;
  bins: BinService;
  requests: RequestService;
  access: Access;
  /** Resolves when the database answers and the bus delivers; rejects with the reason otherwise (readiness). */
  ready(): Promise<void>;
  /** Commits what is queued, then closes the bus and the store. */
  close(): Promise<void>;
}

/**
 * Builds the core on an open store: on PostgreSQL the bus goes through the database (so every process hears every
 * change), on SQLite it stays in this process. Rejects when the database fails.
 */
export async function createCore(config: Readonly<Config>, store: Store, now: () => number = Date.now): Promise<Core> {
  const hub = new Hub();
  const shared = store.engine === 'postgres';
  const bus = shared
    ? await (await import('./bus/postgres')).createPostgresBus({ url: config.db, store, hub })
    : createMemoryBus(hub, store);
  const bins = new BinService(store, bus, now);
  // One process: a count nobody is connected to hear need not be announced. Several: another may have listeners.
  const requests = new RequestService(store, bus, { maxRequests: config.maxRequests, announceCounts: () => shared || hub.connectionCount > 0 });
  const access = await Access.create(config, store, now);
  return {
    store, hub, bus, bins, requests, access,
    async ready() {
      await store.ping();
      const problem = bus.problem();
      if (problem !== null) throw new Error(problem);
    },
    async close() {
      await requests.drain();
      await bus.close();
      if (store.isOpen()) await store.close();
    },
  };
}
