/**
 * /metrics under --workers: a scrape reaches one server process, which asks the first process; that one gathers every
 * process's registry (its own too: on SQLite the writer removes what --max-stored removes) and adds them up with
 * prom-client's cluster aggregation (counters and histograms summed, the database's counts taken once).
 */
import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Metrics } from '../metrics';

/** How long a scrape waits for the processes' metrics. */
const METRICS_TIMEOUT_MS = 5_000;

type Question = { type: 'metrics' | 'metrics-json'; id: number };
type Answer = { type: 'metrics-answer'; id: number; text?: string; json?: object[]; error?: string };

/** Asks `send`'s other end a question and waits for its answer, matched by id; rejects after the timeout. */
function asker(send: (question: Question) => void, subscribe: (listener: (answer: Answer) => void) => void) {
  let lastId = 0;
  const waiting = new Map<number, (answer: Answer) => void>();
  subscribe((answer) => {
    if (answer.type !== 'metrics-answer') return;
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });
  return (type: Question['type']): Promise<Answer> => new Promise((resolve, reject) => {
    const id = ++lastId;
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('a server process did not answer with its metrics'));
    }, METRICS_TIMEOUT_MS);
    waiting.set(id, (answer) => {
      clearTimeout(timer);
      if (answer.error !== undefined) reject(new Error(answer.error));
      else resolve(answer);
    });
    send({ type, id });
  });
}

/** In a server process: /metrics answers every process's metrics, and this process tells its own when asked. */
export function gatherMetrics(metrics: Metrics): void {
  process.on('message', (message: Question) => {
    if (message.type !== 'metrics-json') return;
    const answer = (reply: Omit<Answer, 'type' | 'id'>): void => void (process.connected && process.send!({ type: 'metrics-answer', id: message.id, ...reply }));
    metrics.registry.getMetricsAsJSON().then((json) => answer({ json }), (err: unknown) => answer({ error: String(err) }));
  });
  const ask = asker((question) => process.send!(question), (listener) => process.on('message', listener));
  metrics.render = async () => (await ask('metrics')).text!;
}

/** In the first process: answers a server process's scrape with the sum over `own` (when it has one) and `workers()`. */
export function metricsGatherer(own: Registry | null, workers: () => Worker[]): (worker: Worker) => void {
  const askers = new WeakMap<Worker, (type: Question['type']) => Promise<Answer>>();
  const askerOf = (worker: Worker) => {
    let ask = askers.get(worker);
    if (!ask) {
      ask = asker((question) => worker.isConnected() && worker.send(question), (listener) => worker.on('message', listener));
      askers.set(worker, ask);
    }
    return ask;
  };
  return (worker) => {
    const answer = (message: Question, reply: Omit<Answer, 'type' | 'id'>): void =>
      void (worker.isConnected() && worker.send({ type: 'metrics-answer', id: message.id, ...reply }));
    worker.on('message', (message: Question) => {
      if (message.type !== 'metrics') return;
      void (async () => {
        try {
          const parts = await Promise.all([
            ...(own ? [own.getMetricsAsJSON()] : []),
            ...workers().map(async (each) => (await askerOf(each)('metrics-json')).json!),
          ]);
          answer(message, { text: await AggregatorRegistry.aggregate(parts).metrics() });
        } catch (err) {
          answer(message, { error: `gathering the metrics failed: ${err instanceof Error ? err.message : String(err)}` });
        }
      })();
    });
  };
}
