/** Reading a capture's body as it streams in (server/capture/body.ts): what is kept, and what memory is reserved. */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BodyBudget, readBody, type ReadBody } from '../server/capture/body';

/** A request announcing `length` bytes, whose pieces the test sends. */
function announcing(length: number): IncomingMessage & EventEmitter {
  return Object.assign(new EventEmitter(), { headers: { 'content-length': String(length) }, complete: false, destroy() {} }) as never;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readBody', () => {
  it.each([[100 * 1024], [10 * 1024 * 1024]])('reads a body of %i bytes sent in 64 KB pieces byte for byte, within the budget', (length) => {
    const budget = new BodyBudget(64 * 1024 * 1024);
    const req = announcing(length);
    let read: ReadBody | 'overloaded' | null = null;
    const release = readBody(req, 10 * 1024 * 1024, budget, (body) => (read = body));
    const sent = Buffer.alloc(length);
    for (let i = 0; i < length; i++) sent[i] = (i * 7) % 251;
    for (let at = 0; at < length; at += 64 * 1024) req.emit('data', sent.subarray(at, at + 64 * 1024));
    req.emit('end');
    expect(read).not.toBe('overloaded');
    const { body, size, truncated } = read as unknown as ReadBody;
    expect(truncated).toBe(false);
    expect(size).toBe(length);
    expect(body.equals(sent)).toBe(true);
    release();
    // All given back: the whole budget can be taken again.
    expect(budget.take(64 * 1024 * 1024)).toBe(true);
  });

  it('reserves no buffer of the announced length for a large body: a sender that announces 10 MB and sends 1 KB holds about 1 KB', () => {
    const reserve = vi.spyOn(Buffer, 'allocUnsafeSlow');
    const budget = new BodyBudget(64 * 1024 * 1024);
    const req = announcing(10 * 1024 * 1024);
    readBody(req, 10 * 1024 * 1024, budget, () => {});
    req.emit('data', Buffer.alloc(1024));
    expect(reserve.mock.calls.filter(([bytes]) => bytes > 1024 * 1024)).toEqual([]);
    // Its 1 KB counted three times (HELD_PER_BYTE).
    expect(budget.take(64 * 1024 * 1024 - 3 * 1024 + 1)).toBe(false);
    expect(budget.take(64 * 1024 * 1024 - 3 * 1024)).toBe(true);
  });

  it('takes three times its bytes from the budget for a body gathered in pieces and for one read into a buffer of its length', () => {
    const MiB = 1024 * 1024;
    const sendAll = (req: EventEmitter, length: number): void => {
      for (let at = 0; at < length; at += 64 * 1024) req.emit('data', Buffer.alloc(Math.min(64 * 1024, length - at)));
    };
    const budget = new BodyBudget(16 * MiB);
    const large = announcing(4 * MiB);
    readBody(large, 10 * MiB, budget, () => {});
    sendAll(large, 4 * MiB);
    const small = announcing(512 * 1024);
    readBody(small, 10 * MiB, budget, () => {});
    sendAll(small, 512 * 1024);
    // 4.5 MiB held, 13.5 MiB taken: 2.5 MiB left.
    expect(budget.take(2.5 * MiB + 1)).toBe(false);
    expect(budget.take(2.5 * MiB)).toBe(true);
  });

  it('turns away a body once three times its bytes would pass the budget, and gives them all back', () => {
    const MiB = 1024 * 1024;
    const budget = new BodyBudget(5 * MiB);
    const req = announcing(2 * MiB);
    let read: ReadBody | 'overloaded' | null = null;
    readBody(req, 10 * MiB, budget, (body) => (read = body));
    for (let at = 0; at < 2 * MiB; at += 64 * 1024) req.emit('data', Buffer.alloc(64 * 1024));
    req.emit('end');
    expect(read).toBe('overloaded');
    expect(budget.take(5 * MiB)).toBe(true);
  });
});
