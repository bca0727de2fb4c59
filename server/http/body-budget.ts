/**
 * Bytes of request bodies held in memory by captures in flight, across all of them: a flood of large bodies
 * cannot hold more than the budget, whatever --max-body allows each one.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Takes `bytes` from the budget; false (and nothing taken) when that would pass the limit. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** Gives back bytes taken before. */
  give(bytes: number): void {
    this.used -= bytes;
  }
}

/** The default: room for a burst of full-size bodies, never less than two of them. */
export function defaultBodyBudget(maxBody: number): number {
  return Math.max(256 * 1024 * 1024, 2 * maxBody);
}
