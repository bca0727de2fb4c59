import type { Hub } from './live/hub';
import type { Store } from './store';

/** Longest pause between two sweeps: a short TTL is kept to within about a tenth of itself, a long one to a minute. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** Removes the requests older than `ttlMs` and tells their bins' followers; returns how many. */
export function sweepExpired(store: Store, hub: Hub, ttlMs: number, now: number): number {
  if (ttlMs <= 0) return 0;
  const removed = store.deleteReceivedBefore(now - ttlMs);
  for (const { binId, id } of removed) hub.publish(binId, { type: 'request-deleted', binId, id });
  return removed.length;
}

/** Sweeps now and then periodically; returns the function that stops it. A TTL of 0 keeps everything. */
export function startRetention(store: Store, hub: Hub, ttlMs: number, now: () => number): () => void {
  if (ttlMs <= 0) return () => {};
  sweepExpired(store, hub, ttlMs, now());
  const every = Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(1000, ttlMs / 10));
  const timer = setInterval(() => sweepExpired(store, hub, ttlMs, now()), every);
  timer.unref();
  return () => clearInterval(timer);
}
