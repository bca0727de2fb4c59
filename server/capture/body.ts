import type { IncomingMessage } from 'node:http';

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

/** A body as read: the first `maxBody` bytes, and how many were sent. */
export interface ReadBody {
  body: Buffer;
  /** Bytes received, or the announced Content-Length when larger. */
  size: number;
  /** Bytes received. */
  received: number;
  truncated: boolean;
}

/**
 * Reads the body as it streams in, keeping at most `maxBody` bytes taken from `budget` (a Content-Length, up to
 * `maxBody`, is taken whole at the start); the rest is drained and counted. `done` gets the body once it has ended, or 'overloaded' when the budget ran out (nothing is kept then).
 * The returned function gives the kept bytes back to the budget: call it once the body is no longer needed. An
 * aborted request gives them back by itself and never calls `done`.
 */
export function readBody(
  req: IncomingMessage,
  maxBody: number,
  budget: BodyBudget,
  done: (body: ReadBody | 'overloaded') => void,
): () => void {
  const announced = Number(req.headers['content-length']);
  // A body of announced length is copied into one buffer as it arrives: no second copy of the whole to join pieces.
  const whole = Number.isSafeInteger(announced) && announced > 0 ? Math.min(announced, maxBody) : 0;
  let target: Buffer | null = null;
  let chunks: Buffer[] = [];
  let kept = 0;
  let taken = 0;
  let received = 0;
  let overloaded = whole > 0 && !budget.take(whole);
  if (whole > 0 && !overloaded) {
    taken = whole;
    target = Buffer.allocUnsafe(whole);
  }
  const release = (): void => {
    budget.give(taken);
    taken = 0;
    target = null;
    chunks = [];
  };
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (overloaded || kept >= maxBody) return;
    const room = (target?.length ?? maxBody) - kept;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    if (target) {
      part.copy(target, kept);
    } else if (budget.take(part.length)) {
      taken += part.length;
      chunks.push(part);
    } else {
      overloaded = true;
      return release();
    }
    kept += part.length;
  });
  req.on('error', () => req.destroy());
  req.on('close', () => {
    if (!req.complete) release();
  });
  req.on('end', () => {
    if (overloaded) return done('overloaded');
    const truncated = received > maxBody;
    const size = truncated && Number.isSafeInteger(announced) ? Math.max(announced, received) : received;
    const body = target ? target.subarray(0, kept) : Buffer.concat(chunks, kept);
    done({ body, size, received, truncated });
  });
  return release;
}
