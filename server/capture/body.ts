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

/**
 * The largest body read into one buffer of its announced length. Above it, with 64 senders of 10 MB bodies
 * (npm run bench:flood), reserving each sender's whole body at its first bytes raised the peak RSS from ~630 MB to
 * ~720 MB (3 runs each).
 */
const PREALLOCATE_BYTES = 1024 * 1024;

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
 * Reads the body as it streams in, keeping at most `maxBody` bytes taken from `budget` (twice over for a body
 * gathered in pieces); the rest is drained and counted. `done` gets the body once it has ended, or 'overloaded' when
 * the budget ran out (nothing is kept then). The returned function gives the kept bytes back to the budget: call it
 * once the body is no longer needed. An aborted request gives them back by itself and never calls `done`.
 */
export function readBody(
  req: IncomingMessage,
  maxBody: number,
  budget: BodyBudget,
  done: (body: ReadBody | 'overloaded') => void,
): () => void {
  const announced = Number(req.headers['content-length']);
  const expected = Number.isSafeInteger(announced) && announced > 0 ? Math.min(announced, maxBody) : 0;
  /**
   * With a Content-Length up to PREALLOCATE_BYTES, one buffer of that length that the pieces are copied into: no join
   * at the end. Larger bodies are joined once whole: a buffer of the announced length, reserved at the first piece,
   * is memory the budget does not count until the bytes arrive (memory the allocator hands out again is resident).
   */
  let whole: Buffer | null = null;
  let chunks: Buffer[] = [];
  // A body gathered in pieces is held twice as it ends, pieces and joined copy (the pieces until they are collected):
  // it takes twice its bytes from the budget, so that the budget bounds the memory it names.
  const cost = expected > 0 && expected <= PREALLOCATE_BYTES ? 1 : 2;
  let kept = 0;
  let received = 0;
  let overloaded = false;
  const release = (): void => {
    budget.give(kept * cost);
    kept = 0;
    whole = null;
    chunks = [];
  };
  // Budget is taken as bytes arrive, never for what a sender only announced: connections that announce large
  // bodies and send nothing hold none of it (nor more memory than a buffer of PREALLOCATE_BYTES).
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (overloaded || kept >= maxBody) return;
    const room = maxBody - kept;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    if (!budget.take(part.length * cost)) {
      overloaded = true;
      return release();
    }
    if (kept === 0 && expected > part.length && expected <= PREALLOCATE_BYTES) whole = allocate(expected);
    if (whole && chunks.length === 0 && kept + part.length <= whole.length) part.copy(whole, kept);
    else chunks.push(part);
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
    if (whole) chunks.unshift(whole.subarray(0, kept - chunks.reduce((sum, c) => sum + c.length, 0)));
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, kept);
    whole = null;
    chunks = [];
    done({ body, size, received, truncated });
  });
  return release;
}

/** A buffer of `bytes`, or null where the system will not lend that much address space (then pieces are joined). */
function allocate(bytes: number): Buffer | null {
  try {
    return Buffer.allocUnsafeSlow(bytes);
  } catch {
    return null;
  }
}
