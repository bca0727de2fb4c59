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

  /** `storedRequests` answers how many requests the database holds, all bins together, when Prometheus scrapes. */
  constructor(storedRequests: () => Promise<number>) {
    new Gauge({
      name: 'hooklens_requests_stored', help: 'Requests in the database, all bins', registers: [this.registry],
      // While the database does not answer, the scrape still comes (with the last count): its 503s are the news.
      async collect() {
        try {
          this.set(await withTimeout(storedRequests(), COUNT_TIMEOUT_MS, 'the database did not answer'));
        } catch {
          // keep the last value
        }
      },
    });
    collectDefaultMetrics({ register: this.registry });
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
