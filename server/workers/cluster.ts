/**
 * `--workers N`: N server processes share the port (node:cluster hands each new connection to one of them), so that
 * capture, the API and the live streams use N cores. On SQLite the first process is the writer: it holds the
 * database, and each server process reaches it through a RemoteStore and a RemoteBus (remote-store.ts,
 * remote-bus.ts), deriving its captures' columns itself; on PostgreSQL each server process is an instance on the
 * shared database.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config';
import type { Bus, LiveEvent } from '../bus/port';
import { createCore, type Core, type CoreOptions } from '../core';
import { isPostgresUrl, type BinRecord, type Store } from '../store';
import type { SqliteStore } from '../store/sqlite';
import type { ToServer, ToWriter } from './protocol';
import { WriterLink } from './link';
import { RemoteBus } from './remote-bus';
import { RemoteStore } from './remote-store';
import { gatherMetrics, metricsGatherer } from './metrics';
import { StoreHost } from './writer';

/** What index.ts does for one process, which the processes of --workers share. */
export interface StartSteps {
  openCore(config: Readonly<Config>, options?: CoreOptions): Promise<{ core: Core; firstBin: BinRecord }>;
  serve(config: Readonly<Config>, core: Core, onListening: (port: number) => void): void;
  printBanner(config: Readonly<Config>, port: number, firstBin: BinRecord, core: Pick<Core, 'access' | 'store'>): void;
}

/** A server process tells the first one it listens. (Metrics have their own messages: metrics.ts.) */
type Started = { type: 'listening'; port: number };

export function startWorkers(config: Readonly<Config>, steps: StartSteps): Promise<void> {
  return cluster.isPrimary ? startPrimary(config, steps) : startServerProcess(config, steps);
}

/** More server processes ending than this within CRASH_WINDOW_MS is a crash loop: the server stops. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;

/**
 * The first process: opens the database (generating the token, creating the first bin), starts the server
 * processes and prints the banner once, when all listen. On SQLite it is the writer: its own services (signature
 * rechecks, --max-stored) announce through it. A server process that dies is replaced, unless it never listened or
 * they keep dying (then the server stops, exit code 1). SIGINT or SIGTERM, to it or to a server process (Ctrl-C
 * signals them all), stops the server processes (each finishes its in-flight captures), then closes the database.
 */
async function startPrimary(config: Readonly<Config>, steps: StartSteps): Promise<void> {
  let host: StoreHost | null = null;
  const writing = !isPostgresUrl(config.db);
  const { core, firstBin } = await steps.openCore(config, writing ? { bus: () => writerBus((events) => host?.announce(events)) } : {});
  if (writing) host = new StoreHost(writerStore(core.store), config.publicUrl, () => core.requests.keepUnderMaxStored());
  // On PostgreSQL each server process opens its own connections: this one only printed the token.
  else await core.close();

  cluster.setupPrimary({ serialization: 'advanced' });
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  const crashes: number[] = [];
  let bannerShown = false;
  let stopping = false;
  const serveMetrics = metricsGatherer(writing ? core.metrics.registry : null, () => [...listening]);
  const fork = (): void => {
    const worker = cluster.fork();
    alive.add(worker);
    // A message to a process that has just died fails there, not here.
    worker.on('error', () => {});
    host?.attach({
      send: (message) => worker.isConnected() && worker.send(message),
      onMessage: (listener) => worker.on('message', (message: ToWriter) => listener(message)),
      onClose: (listener) => worker.once('disconnect', listener),
    });
    serveMetrics(worker);
    worker.on('message', (message: Started) => {
      if (message.type !== 'listening' || listening.has(worker)) return;
      listening.add(worker);
      if (listening.size < config.workers || bannerShown) return;
      bannerShown = true;
      steps.printBanner(config, message.port, firstBin, core);
    });
    worker.once('exit', (code, signal) => {
      alive.delete(worker);
      const started = listening.delete(worker);
      if (stopping) return finishing();
      // A server process ends by itself with 0 only after a signal of its own (a Ctrl-C reaches every process).
      if (code === 0) return stop('SIGTERM', 0);
      const status = signal ?? code;
      if (!started) {
        console.error(`hooklens: a server process could not start (exit ${status}); stopping`);
        return stop('SIGTERM', 1);
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes[0] < now - CRASH_WINDOW_MS) crashes.shift();
      if (crashes.length > MAX_CRASHES) {
        console.error(`hooklens: server processes keep ending (${crashes.length} within a minute, the last with ${status}); stopping`);
        return stop('SIGTERM', 1);
      }
      console.error(`hooklens: server process ${worker.process.pid} ended (exit ${status}); starting another`);
      fork();
    });
  };
  for (let i = 0; i < config.workers; i++) fork();

  let exitCode = 0;
  // Once the last server process has ended: the counts still due, then the database.
  const finishing = (): void => {
    if (alive.size > 0) return;
    void (async () => {
      try {
        await host?.flush();
        if (host) await core.close();
        console.log('hooklens: stopped');
        process.exit(exitCode);
      } catch (err) {
        console.error('hooklens: closing the database failed:', err instanceof Error ? err.message : err);
        process.exit(1);
      }
    })();
  };
  const stop = (signal: NodeJS.Signals, code = 0): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    console.log(`hooklens: ${signal}: stopping the server processes`);
    for (const worker of alive) worker.process.kill('SIGTERM');
    finishing();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * The writer's own bus: what its services announce (bin counts, requests removed past --max-stored, rechecked
 * verdicts) goes to the server processes. It serves no live stream itself.
 */
function writerBus(announce: (events: readonly LiveEvent[]) => void): Bus {
  return {
    publish: async (events) => announce(events),
    follow: () => Promise.reject(new Error('the writer serves no live stream')),
    onInterrupted: () => () => {},
    problem: () => null,
    close: async () => {},
  };
}

/** A server process: the whole app on the writer's store (SQLite) or its own connections (PostgreSQL). */
async function startServerProcess(config: Readonly<Config>, steps: StartSteps): Promise<void> {
  // The token was set up by the first process: a reset here would replace it once per process.
  const own = { ...config, resetToken: false };
  const announce = (port: number): void => void process.send?.({ type: 'listening', port } satisfies Started);
  // Without the first process this one cannot go on (on SQLite it cannot store anything): node:cluster ends it at
  // once, which closes its connections; no capture in flight is answered 2xx. Said, and with a failure code.
  cluster.worker?.once('disconnect', () => {
    console.error('hooklens: the first process is gone; this server process stops');
    process.exit(1);
  });
  if (isPostgresUrl(own.db)) {
    const { core } = await steps.openCore(own);
    gatherMetrics(core.metrics);
    return steps.serve(own, core, announce);
  }
  const link = new WriterLink({
    send: (message) => process.connected && process.send!(message),
    onMessage: (listener) => process.on('message', (message: ToServer) => listener(message)),
    onClose: (listener) => process.once('disconnect', listener),
  });
  const store = new RemoteStore(link, { redactSecrets: own.redactSecrets, publicUrl: own.publicUrl });
  // The writer finishes the signature rechecks and keeps the database under --max-stored, once for all.
  const core = await createCore({ ...own, maxStored: 0 }, store, { bus: (hub) => new RemoteBus(link, hub), resumeRechecks: false });
  gatherMetrics(core.metrics);
  steps.serve(own, core, announce);
}

function writerStore(store: Store): SqliteStore {
  if (!('insertDerived' in store)) throw new Error('the writer of --workers needs the SQLite store');
  return store as SqliteStore;
}
