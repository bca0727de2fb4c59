import { Access } from './access';
import { createMemoryBus } from './bus/memory';
import type { Bus } from './bus/port';
import type { Config } from './config';
import { Hub } from './bus/hub';
import { Metrics } from './metrics';
import { withTimeout } from './timeout';
import { BinService } from './services/bins';
import { RequestService } from './services/requests';
import { SignatureRechecks } from './services/signatures';
import type { Store } from './store';

/** How often, on a shared database, a process looks whether another one reset the access token. */
const ACCESS_REFRESH_MS = 5_000;
/** How long readiness waits for the database. */
const READY_TIMEOUT_MS = 2_000;

/** Everything behind the HTTP server: the store, the bus that feeds this process's hub, the services, access. */
export interface Core {
  store: Store;
  hub: Hub;
  bus: Bus;
  bins: BinService;
  requests: RequestService;
  /** Keeps the stored signature verdicts (search's `sig:`) true when secrets change. */
  signatures: SignatureRechecks;
  access: Access;
  metrics: Metrics;
  /** Resolves when the database answers and the bus delivers; rejects with the reason otherwise (readiness). */
  ready(): Promise<void>;
  /** Commits what is queued, then closes the bus and the store. */
  close(): Promise<void>;
}

export interface CoreOptions {
  /** The clock, injectable for tests. */
  now?: () => number;
  /**
   * The bus of a process of --workers on SQLite (server/workers/): the writer's, or a server process's, which shares
   * the writer's database with the others.
   */
  bus?: (hub: Hub) => Bus;
  /** Whether this process finishes the signature rechecks left at the last stop; false where another one does. */
  resumeRechecks?: boolean;
}

/**
 * Builds the core on an open store: on PostgreSQL the bus goes through the database (so every process hears every
 * change), on SQLite it stays in this process unless `options.bus` says otherwise. Rejects when the database fails.
 */
export async function createCore(config: Readonly<Config>, store: Store, options: CoreOptions = {}): Promise<Core> {
  const { now = Date.now, bus: ownBus, resumeRechecks = true } = options;
  const hub = new Hub();
  const shared = store.engine === 'postgres' || ownBus !== undefined;
  const bus = ownBus ? ownBus(hub)
    : store.engine === 'postgres' ? await (await import('./bus/postgres')).createPostgresBus({ url: config.db, store, hub })
    : createMemoryBus(hub, store);
  const signatures = new SignatureRechecks(store, bus);
  const bins = new BinService(store, bus, now, signatures);
  // One process: counts after captures are announced when someone is connected to hear them. Several: each process
  // reads them itself when the captures' notices reach it (bus/postgres.ts), so the storing one need not.
  const metrics = new Metrics(store);
  const requests = new RequestService(store, bus, {
    maxRequests: config.maxRequests,
    announceCounts: () => !shared && hub.connectionCount > 0,
    maxStored: config.maxStored,
    onOverStored: (removed, held) => {
      metrics.overStored(removed);
      console.log(`hooklens: the database held ${megabytes(held)}, over --max-stored ${megabytes(config.maxStored)}: ` +
        `removed the ${removed} oldest requests`);
    },
  });
  const access = await Access.create(config, store, now);
  if (resumeRechecks) void signatures.resume();
  // Another instance may reset the token: take it up within a few seconds.
  const refreshAccess = shared ? setInterval(() => void access.refresh().catch(() => {}), ACCESS_REFRESH_MS).unref() : null;
  return {
    store, hub, bus, bins, requests, signatures, access, metrics,
    async ready() {
      // A load balancer's probe wants its answer quickly, also from a database that hangs rather than refuses.
      await withTimeout(store.ping(), READY_TIMEOUT_MS, `no answer within ${READY_TIMEOUT_MS} ms`);
      const problem = bus.problem();
      if (problem !== null) throw new Error(problem);
    },
    async close() {
      if (refreshAccess !== null) clearInterval(refreshAccess);
      await signatures.stop();
      await requests.drain();
      await bus.close();
      if (store.isOpen()) await store.close();
    },
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
