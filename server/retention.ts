import type { Store } from './store';

/** Longest pause between two sweeps: a short TTL is kept to within about a tenth of itself, a long one to a minute. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** Removes the requests older than `ttlMs`; returns how many. */
export function sweepExpired(store: Store, ttlMs: number, now: number): number {
  return ttlMs > 0 ? store.deleteReceivedBefore(now - ttlMs) : 0;
}

/** Sweeps now and then periodically; returns the function that stops it. A TTL of 0 keeps everything. */
export function startRetention(store: Store, ttlMs: number, now: () => number): () => void {
  if (ttlMs <= 0) return () => {};
  sweepExpired(store, ttlMs, now());
  const timer = setInterval(() => sweepExpired(store, ttlMs, now()), Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(1000, ttlMs / 10)));
  timer.unref();
  return () => clearInterval(timer);
}
