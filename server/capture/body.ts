import type { IncomingMessage } from 'node:http';

/**
 * Memory held by the bodies of captures in flight, across all of them: a flood of large bodies cannot hold more than
 * the budget, whatever --max-body allows each one. A body takes HELD_PER_BYTE bytes of it for each byte it keeps.
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

/**
 * The memory a body in flight holds for each byte it keeps: the piece the socket delivered (garbage once copied or
 * joined, until the collector frees it), the buffer the pieces are read or joined into, and what the allocator keeps
 * after freed pieces. Measured with `npm run bench:flood`, peak RSS against a bar of the budget + 150 MB (406 MB):
 * counting each byte twice, 64 senders of 10 MB bodies peaked at 377-416 MB, and 256 senders of 1 MB bodies counted
 * once at 443 MB; counting three times, 327-338 MB and 326 MB.
 */
export const HELD_PER_BYTE = 3;

/** The default: room for a burst of bodies, never less than one full-size body. */
export function defaultBodyBudget(maxBody: number): number {
  return Math.max(256 * 1024 * 1024, HELD_PER_BYTE * maxBody);
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
 * Reads the body as it streams in, keeping at most `maxBody` bytes, each taken HELD_PER_BYTE times from `budget`;
 * the rest is drained and counted. `done` gets the body once it has ended, or 'overloaded' when the budget ran out
 * (nothing is kept then). The returned function gives the kept bytes back to the budget: call it once the body is no
 * longer needed. An aborted request gives them back by itself and never calls `done`.
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
  let kept = 0;
  let received = 0;
  let overloaded = false;
  const release = (): void => {
    budget.give(kept * HELD_PER_BYTE);
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
    if (!budget.take(part.length * HELD_PER_BYTE)) {
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
