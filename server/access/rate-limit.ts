import type { Store } from '../store';

const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 10;

/**
 * Whose failed attempts an address counts towards: an IPv4 address (also IPv4-mapped IPv6) on its own, an IPv6
 * address by its /64, since one host is handed a whole /64 and could otherwise take a fresh address per guess.
 */
export function limitKey(address: string): string {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1];
  if (!/^[0-9a-f:]+$/.test(bare) || !bare.includes(':')) return bare;
  const [head, tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g || '0', 16).toString(16)).join(':')}::/64`;
}

/**
 * Failed sign-ins: 10 per 15 minutes per address (or IPv6 /64). Counted in the store, so that every process on the
 * database shares them and a restart forgives nothing.
 */
export class RateLimit {
  /** Per key, the attempt being checked: the next waits for it, so that a burst cannot all read "below the limit". */
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(private readonly store: Store, private readonly now: () => number) {}

  /**
   * Runs one attempt of `key` after the attempts before it in this process have been counted. (Across processes a
   * burst may still slip one attempt per process past the limit.)
   */
  attempt<T>(key: string, check: () => Promise<T>): Promise<T> {
    const previous = this.turns.get(key) ?? Promise.resolve();
    const turn = previous.then(check, check);
    const settled = turn.catch(() => {});
    this.turns.set(key, settled);
    void settled.then(() => {
      if (this.turns.get(key) === settled) this.turns.delete(key);
    });
    return turn;
  }

  async isLimited(key: string): Promise<boolean> {
    return (await this.store.failureCount(key, this.now(), FAILURE_WINDOW_MS)) >= MAX_FAILURES;
  }

  async recordFailure(key: string): Promise<void> {
    await this.store.recordFailure(key, this.now(), FAILURE_WINDOW_MS);
  }

  readonly refusal = { status: 429, message: 'too many failed sign-in attempts from this address; wait 15 minutes and try again' } as const;
}
