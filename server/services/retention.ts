import type { Store } from '../store';
import type { RequestService } from './requests';

/** Longest pause between two sweeps: a short TTL is kept to within about a tenth of itself, a long one to a minute. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** How often the TTL sweep runs for `ttlMs`. */
export function sweepInterval(ttlMs: number): number {
  return Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(1000, ttlMs / 10));
}

/**
 * Removes the requests older than `ttlMs`, unless another process on the database swept less than one interval
 * ago; the removals are announced. Resolves with how many were removed (0 when another process had the turn).
 */
export async function sweepExpired(store: Store, requests: RequestService, ttlMs: number, now: number): Promise<number> {
  if (ttlMs <= 0) return 0;
  // A tenth of slack: a timer that fires a little early must not lose its turn.
  if (!(await store.claimSweep(now, Math.floor(sweepInterval(ttlMs) * 0.9)))) return 0;
  return requests.deleteReceivedBefore(now - ttlMs);
}

/**
 * Sweeps now and then periodically; returns the function that stops it, which resolves once a sweep in progress
 * has finished (so that the store can be closed after it). A TTL of 0 keeps everything.
 */
export function startRetention(store: Store, requests: RequestService, ttlMs: number, now: () => number): () => Promise<void> {
  if (ttlMs <= 0) return async () => {};
  let running: Promise<unknown> = Promise.resolve();
  const sweep = (): void => {
    running = sweepExpired(store, requests, ttlMs, now()).catch((err: unknown) => {
      console.error('hooklens: the retention sweep failed:', err instanceof Error ? err.message : err);
    });
  };
  sweep();
  const timer = setInterval(sweep, sweepInterval(ttlMs));
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
