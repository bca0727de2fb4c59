import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { withTimeout } from './timeout';

/** How long a scrape waits for the database's count. */
const COUNT_TIMEOUT_MS = 1_000;

/**
 * The Prometheus metrics of the contract ("Operations"), on a registry of this app's own. No label carries a bin id,
 * a path or anything a sender wrote: the only label is the status capture answered.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly captures = new Counter({
    name: 'hooklens_captures_total', help: 'Captures answered, by the HTTP status capture answered (404s included)',
    labelNames: ['status'] as const, registers: [this.registry],
  });
  private readonly captureBytes = new Counter({
    name: 'hooklens_capture_bytes_total', help: 'Body bytes received by capture', registers: [this.registry],
  });
  private readonly captureDuration = new Histogram({
    name: 'hooklens_capture_duration_seconds', help: 'Capture time from the request\'s arrival to its answer',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  private readonly liveClients = new Gauge({
    name: 'hooklens_live_clients', help: 'Open live-stream connections', registers: [this.registry],
  });
  private readonly liveMessages = new Counter({
    name: 'hooklens_live_messages_total', help: 'Messages sent on live-stream connections', registers: [this.registry],
  });
  private readonly liveClosedSlow = new Counter({
    name: 'hooklens_live_closed_slow_total', help: 'Live-stream connections closed with 1013 for not reading', registers: [this.registry],
  });

  private readonly removedOverStored = new Counter({
    name: 'hooklens_removed_over_max_stored_total', help: 'Requests removed because the database held more than --max-stored',
    registers: [this.registry],
  });

  /**
   * The text Prometheus scrapes: this process's registry. A server process of --workers replaces it with every
   * server process's, gathered by the first process (server/workers/cluster.ts).
   */
  render: () => Promise<string> = () => this.registry.metrics();

  /** `store` answers how many requests the database holds, and how many bytes, when Prometheus scrapes. */
  constructor(store: { countRequests(): Promise<number>; storedBytes(): Promise<number> }) {
    const gauge = (name: string, help: string, read: () => Promise<number>): void => void new Gauge({
      name, help, registers: [this.registry],
      // Every process of --workers reads the same database: one answer, not their sum.
      aggregator: 'first',
      // While the database does not answer, the scrape still comes (with the last value): its 503s are the news.
      async collect() {
        try {
          this.set(await withTimeout(read(), COUNT_TIMEOUT_MS, 'the database did not answer'));
        } catch {
          // keep the last value
        }
      },
    });
    gauge('hooklens_requests_stored', 'Requests in the database, all bins', () => store.countRequests());
    gauge('hooklens_stored_bytes', 'Bytes the requests take in the database (bodies, headers, targets), all bins: what --max-stored limits',
      () => store.storedBytes());
    collectDefaultMetrics({ register: this.registry });
  }

  /** Requests were removed because the database held more than --max-stored. */
  overStored(removed: number): void {
    this.removedOverStored.inc(removed);
  }

  /** A capture was answered with `status`, `bytes` of body received, `seconds` after it arrived. */
  captured(status: number, bytes: number, seconds: number): void {
    this.captures.inc({ status: String(status) });
    this.captureBytes.inc(bytes);
    this.captureDuration.observe(seconds);
  }

  liveOpened(): void {
    this.liveClients.inc();
  }

  liveClosed(): void {
    this.liveClients.dec();
  }

  liveSent(): void {
    this.liveMessages.inc();
  }

  liveTooSlow(): void {
    this.liveClosedSlow.inc();
  }
}
