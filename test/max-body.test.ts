import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../shared/types';
import { HELD_PER_BYTE } from '../server/capture/body';
import { MAX_BODY_LIMIT } from '../server/config';
import { startTestServer, type TestServer } from './helpers/app';
import { dropSchema, freshSchemaUrl, pgSuite } from './helpers/pg';
import { startServerProcess, type ServerProcess } from './helpers/process';

const MiB = 1024 ** 2;
/** The capture budget at the largest --max-body: max(256 MiB, 3 × 64 MiB). */
const BUDGET = 256 * MiB;
/**
 * Peak memory allowed: the bodies the budget holds, one body's pieces joined as it ends (a chunked one),
 * SQLite's two copies of the row it is writing (the bound value and the record it builds), and 350 MiB for the
 * server itself (~100 MiB at rest here, TypeScript loader included) and the socket's chunks not yet collected,
 * which grow when other tests share the CPU (472–676 MiB peaks measured in all). Fixed by the budget, not by what
 * is sent: the issue saw 2.1 GB for three bodies at the old maximum.
 */
const BOUND = BUDGET + 3 * MAX_BODY_LIMIT + 350 * MiB;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]) * 1024;
}

async function post(url: string, body: Buffer): Promise<{ status: number; answer: { id: number; error?: string } }> {
  const res = await fetch(url, { method: 'POST', body });
  return { status: res.status, answer: await res.json() as { id: number; error?: string } };
}

async function bodyOf(base: string, id: number): Promise<Buffer> {
  const res = await fetch(`${base}/api/bins/big/requests/${id}/body`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** A body of the largest size whose JSON is the largest too: NULs are valid UTF-8, and JSON escapes each as \u0000. */
function worstForJson(): Buffer {
  const body = Buffer.alloc(MAX_BODY_LIMIT);
  body.write('first-bytes');
  body.write('last-bytes', MAX_BODY_LIMIT - 10);
  return body;
}

/** One byte more than the largest size, of random (not UTF-8) bytes. */
function oneByteTooLarge(): Buffer {
  return Buffer.alloc(MAX_BODY_LIMIT + 1).fill(randomBytes(MiB));
}

describe('the largest --max-body, 64mb', () => {
  let server: ServerProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await server?.stop('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores 64 MiB whole, and 64 MiB + 1 as 413 with its first 64 MiB, in bounded memory; the API returns both', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hooklens-max-body-'));
    server = await startServerProcess(['--db', join(dir, 'hooklens.db'), '--max-body', '64mb']);
    const pid = server.child.pid!;
    expect((await fetch(`${server.url}/api/bins`, { method: 'POST', body: '{"id":"big"}', headers: { 'Content-Type': 'application/json' } })).status).toBe(201);

    const exact = worstForJson();
    const whole = await post(`${server.url}/b/big`, exact);
    expect(whole).toEqual({ status: 200, answer: { ok: true, id: expect.any(Number) } });
    const over = oneByteTooLarge();
    const cut = await post(`${server.url}/b/big`, over);
    expect(cut).toEqual({ status: 413, answer: { error: `body larger than ${MAX_BODY_LIMIT} bytes`, id: expect.any(Number) } });
    expect(peakRss(pid)).toBeLessThan(BOUND);

    expect(sha256(await bodyOf(server.url, whole.answer.id))).toBe(sha256(exact));
    expect(sha256(await bodyOf(server.url, cut.answer.id))).toBe(sha256(over.subarray(0, MAX_BODY_LIMIT)));

    const detail = await (await fetch(`${server.url}/api/bins/big/requests/${whole.answer.id}`)).json() as CapturedRequest;
    expect(detail).toMatchObject({ size: MAX_BODY_LIMIT, body: { truncated: false, sha256: sha256(exact) } });
    expect(Buffer.from(detail.body.base64, 'base64').equals(exact)).toBe(true);
    expect(detail.body.text).toHaveLength(MAX_BODY_LIMIT);
    expect(detail.body.text!.slice(0, 11)).toBe('first-bytes');
    expect(detail.body.text!.slice(-10)).toBe('last-bytes');

    const truncated = await (await fetch(`${server.url}/api/bins/big/requests/${cut.answer.id}`)).json() as CapturedRequest;
    expect(truncated).toMatchObject({ size: MAX_BODY_LIMIT + 1, body: { truncated: true, text: null, sha256: sha256(over.subarray(0, MAX_BODY_LIMIT)) } });
    expect(Buffer.from(truncated.body.base64, 'base64').equals(over.subarray(0, MAX_BODY_LIMIT))).toBe(true);
    // The JSON is written a piece at a time: serving it holds no string of the whole (402 million characters here).
    expect(peakRss(pid)).toBeLessThan(BOUND);

    // Six at once, more than the budget holds: those past it are told to come back (503), and memory stays bounded.
    const flood = await Promise.all(Array.from({ length: 6 }, () => post(`${server!.url}/b/big`, over)));
    const statuses = flood.map((f) => f.status);
    expect(statuses.every((s) => s === 413 || s === 503)).toBe(true);
    // Each takes three times its bytes (HELD_PER_BYTE): one fits in the budget at a time, so at least one is stored.
    expect(HELD_PER_BYTE * MAX_BODY_LIMIT).toBeLessThanOrEqual(BUDGET);
    expect(statuses.filter((s) => s === 413).length).toBeGreaterThanOrEqual(1);
    expect(peakRss(pid)).toBeLessThan(BOUND);
  }, 180_000);
});

pgSuite('the largest --max-body on PostgreSQL', () => {
  let url: string;
  let server: TestServer | undefined;
  beforeAll(async () => {
    url = await freshSchemaUrl();
  });
  afterAll(async () => {
    await server?.close();
    await dropSchema(url);
  });

  it('stores 64 MiB whole and the first 64 MiB of one byte more, byte for byte (bytea)', async () => {
    server = await startTestServer({ bins: ['big'], config: { db: url, maxBody: MAX_BODY_LIMIT } });
    const exact = worstForJson();
    const whole = await post(`${server.url}/b/big`, exact);
    expect(whole.status).toBe(200);
    const over = oneByteTooLarge();
    const cut = await post(`${server.url}/b/big`, over);
    expect(cut.status).toBe(413);
    expect(sha256(await bodyOf(server.url, whole.answer.id))).toBe(sha256(exact));
    expect(sha256(await bodyOf(server.url, cut.answer.id))).toBe(sha256(over.subarray(0, MAX_BODY_LIMIT)));
  }, 180_000);
});
