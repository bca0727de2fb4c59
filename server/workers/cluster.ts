/**
 * `--workers N`: N server processes share the port (node:cluster hands each new connection to one of them), so that
 * capture, the API and the live streams use N cores. On SQLite the first process is the writer: it holds the
 * database, and each server process reaches it through a RemoteStore and a RemoteBus (remote.ts), deriving its
 * captures' columns itself; on PostgreSQL each server process is an instance on the shared database.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config';
import { createCore, type Core } from '../core';
import { isPostgresUrl, type BinRecord, type Store } from '../store';
import type { SqliteStore } from '../store/sqlite';
import type { ToServer, ToWriter } from './protocol';
import { RemoteBus, RemoteStore, WriterLink } from './remote';
import { StoreHost } from './writer';

/** What index.ts does for one process, which the processes of --workers share. */
export interface StartSteps {
  openCore(config: Readonly<Config>): Promise<{ core: Core; firstBin: BinRecord }>;
  serve(config: Readonly<Config>, core: Core, onListening: (port: number) => void): void;
  printBanner(config: Readonly<Config>, port: number, firstBin: BinRecord, core: Pick<Core, 'access' | 'store'>): void;
}

/**
 * What the first process and the server processes say besides the writer's protocol: a server process listens; a
 * scrape of /metrics asks for every process's metrics, which the first process gathers (prom-client's cluster
 * aggregation: counters and histograms added up, the database's counts taken once).
 */
type Started = { type: 'listening'; port: number };
type MetricsQuestion = { type: 'metrics'; id: number };
type MetricsAnswer = { type: 'metrics-text'; id: number; text?: string; error?: string };
type ClusterMessage = Started | MetricsQuestion;

/** How long a scrape waits for the processes' metrics. */
const METRICS_TIMEOUT_MS = 5_000;

export function startWorkers(config: Readonly<Config>, steps: StartSteps): Promise<void> {
  return cluster.isPrimary ? startPrimary(config, steps) : startServerProcess(config, steps);
}

/**
 * The first process: opens the database (generating the token, creating the first bin), starts the server
 * processes and prints the banner once all listen. A server process that dies is replaced; one that dies before it
 * ever listened stops them all. SIGINT or SIGTERM stops the server processes (each finishes its in-flight
 * captures), then closes the database.
 */
async function startPrimary(config: Readonly<Config>, steps: StartSteps): Promise<void> {
  const { core, firstBin } = await steps.openCore(config);
  const host = core.store.engine === 'sqlite' ? new StoreHost(writerStore(core.store), config.publicUrl) : null;
  // On PostgreSQL each server process opens its own connections: this one only printed the token.
  if (!host) await core.close();

  cluster.setupPrimary({ serialization: 'advanced' });
  const metrics = new AggregatorRegistry();
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  let stopping = false;
  const fork = (): void => {
    const worker = cluster.fork();
    alive.add(worker);
    // A message to a process that has just died fails there, not here.
    worker.on('error', () => {});
    if (host) {
      host.attach({
        send: (message) => worker.isConnected() && worker.send(message),
        onMessage: (listener) => worker.on('message', (message: ToWriter) => listener(message)),
        onClose: (listener) => worker.once('exit', listener),
      });
    }
    worker.on('message', (message: ClusterMessage) => {
      if (message.type === 'metrics') {
        const answer = (reply: Omit<MetricsAnswer, 'type' | 'id'>): void => void (worker.isConnected() && worker.send({ type: 'metrics-text', id: message.id, ...reply }));
        metrics.clusterMetrics().then((text) => answer({ text }), (err: unknown) => answer({ error: err instanceof Error ? err.message : String(err) }));
      }
      if (message.type !== 'listening' || listening.has(worker)) return;
      listening.add(worker);
      if (listening.size === config.workers) steps.printBanner(config, message.port, firstBin, core);
    });
    worker.once('exit', (code, signal) => {
      alive.delete(worker);
      const started = listening.delete(worker);
      if (stopping) return finishing();
      if (!started) {
        console.error(`hooklens: a server process could not start (exit ${signal ?? code}); stopping`);
        return stop('SIGTERM');
      }
      console.error(`hooklens: server process ${worker.process.pid} ended (exit ${signal ?? code}); starting another`);
      fork();
    });
  };
  for (let i = 0; i < config.workers; i++) fork();

  // Once the last server process has ended: the counts still due, then the database.
  const finishing = (): void => {
    if (alive.size > 0) return;
    void (async () => {
      try {
        await host?.flush();
        if (host) await core.close();
        console.log('hooklens: stopped');
        process.exit(0);
      } catch (err) {
        console.error('hooklens: closing the database failed:', err instanceof Error ? err.message : err);
        process.exit(1);
      }
    })();
  };
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`hooklens: ${signal}: stopping the server processes`);
    for (const worker of alive) worker.process.kill('SIGTERM');
    finishing();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** A server process: the whole app on the writer's store (SQLite) or its own connections (PostgreSQL). */
async function startServerProcess(config: Readonly<Config>, steps: StartSteps): Promise<void> {
  // The token was set up by the first process: a reset here would replace it once per process.
  const own = { ...config, resetToken: false };
  const announce = (port: number): void => void process.send?.({ type: 'listening', port } satisfies Started);
  if (isPostgresUrl(own.db)) {
    const { core } = await steps.openCore(own);
    gatherMetrics(core);
    return steps.serve(own, core, announce);
  }
  const link = new WriterLink({
    send: (message) => process.connected && process.send!(message),
    onMessage: (listener) => process.on('message', (message: ToServer) => listener(message)),
    onClose: (listener) => process.once('disconnect', listener),
  });
  // Without the writer nothing can be stored: in-flight captures have had their 503s, and the process ends.
  link.onLost(() => {
    console.error('hooklens: the writer process is gone; this server process stops');
    setTimeout(() => process.exit(1), 200).unref();
  });
  const store = new RemoteStore(link, { redactSecrets: own.redactSecrets, publicUrl: own.publicUrl });
  const core = await createCore(own, store, Date.now, (hub) => new RemoteBus(link, hub));
  gatherMetrics(core);
  steps.serve(own, core, announce);
}

/** A scrape of this server process answers every process's metrics, which the first process gathers. */
function gatherMetrics(core: Core): void {
  // Constructed for its side effect: this process then answers the first one's requests with this registry.
  AggregatorRegistry.setRegistries([core.metrics.registry]);
  void new AggregatorRegistry();
  let lastId = 0;
  const waiting = new Map<number, (answer: MetricsAnswer) => void>();
  process.on('message', (message: MetricsAnswer) => {
    if (message.type !== 'metrics-text') return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  core.metrics.render = () => new Promise((resolve, reject) => {
    const id = ++lastId;
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the other server processes did not answer with their metrics'));
    }, METRICS_TIMEOUT_MS);
    waiting.set(id, (answer) => {
      clearTimeout(timer);
      if (answer.text !== undefined) resolve(answer.text);
      else reject(new Error(`gathering the metrics failed: ${answer.error}`));
    });
    process.send!({ type: 'metrics', id } satisfies MetricsQuestion);
  });
}

function writerStore(store: Store): SqliteStore {
  if (!('insertDerived' in store)) throw new Error('the writer of --workers needs the SQLite store');
  return store as SqliteStore;
}
