import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { runForwardCommand, sourceOf, parseForwardArgs, type ForwardArgs } from '../server/cli/forward-command';
import { Forwarder, parseRaw } from '../server/forward/forwarder';
import { shownUrl, SseParser, type RequestSource, type SseEvent, type StreamEnd } from '../server/forward/sources';
import { startTestServer, type TestServer } from './helpers/app';
import { capture } from './helpers/live';
import { useServerProcesses } from './helpers/process';
import { sendRaw } from './helpers/raw';

const ROOT = join(import.meta.dirname, '..');
/** Fast retries: the tests wait on the lines they print, never on the clock. */
const BACKOFF = { initialMs: 20, maxMs: 80 };
const TOKEN = 'forward-test-token-0123456789';

/** Lines printed, and a way to wait for some. */
class Lines {
  readonly all: string[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  readonly push = (text: string): void => {
    this.all.push(...text.split('\n'));
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  };

  matching(pattern: RegExp): string[] {
    return this.all.filter((line) => pattern.test(line));
  }

  /** Resolves with the matching lines once there are `count` of them. */
  async until(pattern: RegExp, count = 1): Promise<string[]> {
    const check = (): boolean => this.matching(pattern).length >= count;
    if (!check()) await new Promise<void>((resolve) => this.waiters.push({ check, resolve }));
    return this.matching(pattern);
  }
}

/** What the target received. */
interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

interface Target {
  port: number;
  url: string;
  received: Received[];
  /** Resolves once `count` requests have arrived. */
  until(count: number): Promise<void>;
  server: Server;
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A local HTTP target that records every request; `respond` answers (default 200 "ok"). */
async function startTarget(respond?: (req: IncomingMessage, res: ServerResponse, n: number) => void, port = 0): Promise<Target> {
  const received: Received[] = [];
  const arrived = new Lines();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
    if (respond) respond(req, res, received.length);
    else res.end('ok');
    arrived.push('request');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual, url: `http://127.0.0.1:${actual}`, received, server,
    until: async (count) => void await arrived.until(/request/, count),
  };
}

/** A port nothing listens on (for now). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function hooklens(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  closers.push(() => server.close());
  return server;
}

/** Creates bin `id` through the API. */
async function createBin(server: TestServer, id: string, token?: string): Promise<void> {
  const req = request(server.app).post('/api/bins').set('Host', '127.0.0.1');
  if (token) req.set('Authorization', `Bearer ${token}`);
  await req.send({ id }).expect(201);
}

interface Running {
  out: Lines;
  err: Lines;
  /** The exit code, once it has stopped. */
  code: Promise<number>;
  /** As Ctrl-C does. */
  stop(): Promise<number>;
}

/** `hooklens forward <argv>` in this process, with fast retries; stopped after the test. */
function forward(argv: string[], env: NodeJS.ProcessEnv = {}, attemptTimeoutMs?: number): Running {
  const out = new Lines();
  const err = new Lines();
  let stop = (): void => {};
  const code = runForwardCommand(argv, env, {
    out: out.push, err: err.push, backoff: BACKOFF, attemptTimeoutMs,
    onStopSignal: (s) => ((stop = s), () => {}),
  });
  const running = { out, err, code, stop: () => (stop(), code) };
  closers.push(() => running.stop());
  return running;
}

/** A Forwarder on `source`, for tests that stand between it and the server. */
function forwardFrom(source: RequestSource, args: ForwardArgs): Running {
  const out = new Lines();
  const err = new Lines();
  const forwarder = new Forwarder({
    source, captureUrl: args.captureUrl, target: args.target, after: args.after, print: out.push, printError: err.push, backoff: BACKOFF,
  });
  const code = forwarder.run();
  const running = { out, err, code, stop: () => (forwarder.stop(), code) };
  closers.push(() => running.stop());
  return running;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const pairs = (flat: string[]): [string, string][] => flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]] as [string, string]] : []));
/** The X-Seq header of each request the target received. */
const seqs = (target: Target): string[] => target.received.map((r) => pairs(r.rawHeaders).find(([n]) => n === 'X-Seq')?.[1] ?? '?');
const delivered = (id: number, method = 'POST', path = '/'): RegExp => new RegExp(`^#${id} ${method} ${path.replace(/[/?]/g, '\\$&')} → 200 \\(\\d+ ms\\)$`);

describe('hooklens forward: what reaches the target', () => {
  it('sends method, joined path and query, headers in order, case and duplicates (latin1 bytes), and the body bytes', async () => {
    const server = await hooklens();
    await createBin(server, 'x');
    const target = await startTarget();
    const run = forward([`${server.url}/b/x`, '--to', `${target.url}/base?k=v`]);
    await run.out.until(/^forwarding /);
    expect(run.out.all[0]).toBe(`forwarding ${server.url}/b/x → ${target.url}/base?k=v`);

    const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const head = [
      'PATCH /b/x/hook?a=1&b=%20two HTTP/1.1', `Host: 127.0.0.1:${server.port}`, 'X-Custom: one', 'Keep-Alive: timeout=5',
      'x-custom: two', 'X-Latin: caf\u00e9 \u00ff', 'Proxy-Authorization: Basic Zm9vOmJhcg==', 'TE: trailers',
      'Content-Type: application/octet-stream', `Content-Length: ${body.length}`, 'Authorization: Bearer abc.def', 'Connection: close',
    ].join('\r\n');
    expect((await sendRaw(server.port, Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]))).status).toBe(200);
    await run.out.until(/^#\d+ PATCH \/hook → 200 \(\d+ ms\)$/);

    const [got] = target.received;
    expect(got.method).toBe('PATCH');
    expect(got.url).toBe('/base/hook?k=v&a=1&b=%20two');
    expect(sha256(got.body)).toBe(sha256(body));
    const headers = pairs(got.rawHeaders);
    expect(headers.filter(([n]) => !/^(host|content-length|connection)$/i.test(n))).toEqual([
      ['X-Custom', 'one'], ['x-custom', 'two'], ['X-Latin', 'caf\u00e9 \u00ff'],
      ['Content-Type', 'application/octet-stream'], ['Authorization', 'Bearer abc.def'],
    ]);
    expect(headers.filter(([n]) => /^host$/i.test(n))).toEqual([['Host', `127.0.0.1:${target.port}`]]);
    expect(headers.filter(([n]) => /^content-length$/i.test(n))).toEqual([['Content-Length', '256']]);
  });

  it('joins paths without doubling "/", and sends a chunked capture de-chunked with its length', async () => {
    const server = await hooklens();
    await createBin(server, 'x');
    const target = await startTarget();
    const run = forward([`${server.url}/b/x`, '--to', `${target.url}/base`]);
    await run.out.until(/^forwarding /);

    await sendRaw(server.port, 'GET /b/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    await sendRaw(server.port, 'POST /b/x/deep/hook?z HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    await run.out.until(/ → 200 /, 2);
    expect(run.out.matching(/ → 200 /).map((l) => l.replace(/^#\d+ /, '').replace(/\(\d+ ms\)/, ''))).toEqual([
      'GET / → 200 ', 'POST /deep/hook → 200 ',
    ]);
    expect(target.received.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /base', 'POST /base/deep/hook?z']);
    const chunked = pairs(target.received[1].rawHeaders);
    expect(chunked.find(([n]) => /^transfer-encoding$/i.test(n))).toBeUndefined();
    expect(chunked.find(([n]) => n === 'Content-Length')?.[1]).toBe('5');
    expect(target.received[1].body.toString()).toBe('abcde');
  });

  it('sends a truncated capture as stored, with a warning line', async () => {
    const server = await hooklens({ config: { maxBody: 16 } });
    await createBin(server, 'x');
    const target = await startTarget();
    const run = forward([`${server.url}/b/x`, '--to', target.url]);
    await run.out.until(/^forwarding /);
    expect((await sendRaw(server.port, `POST /b/x HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\nConnection: close\r\n\r\n${'z'.repeat(40)}`)).status).toBe(413);
    const [warning] = await run.out.until(/truncated|cut at/);
    expect(warning).toMatch(/^#\d+ POST \/: the capture was cut at 16 of 40 body bytes/);
    await run.out.until(/ → 413|→ 200/);
    expect(target.received[0].body.toString()).toBe('z'.repeat(16));
  });
});

describe('hooklens forward: which requests, in what order', () => {
  it('without --after starts with the captures that arrive from then on', async () => {
    const server = await hooklens();
    await createBin(server, 'x');
    await capture(server.url, 'x', { 'X-Seq': 'before' });
    const target = await startTarget();
    const run = forward([`${server.url}/b/x`, '--to', target.url]);
    await run.out.until(/^forwarding /);
    const id = await capture(server.url, 'x', { 'X-Seq': 'after' });
    await run.out.until(delivered(id));
    expect(seqs(target)).toEqual(['after']);
  });

  it('with --after delivers the stored requests with a greater id first, in order, then the new ones', async () => {
    const server = await hooklens();
    await createBin(server, 'x');
    const first = await capture(server.url, 'x', { 'X-Seq': '1' });
    await capture(server.url, 'x', { 'X-Seq': '2' });
    await capture(server.url, 'x', { 'X-Seq': '3' });
    const target = await startTarget();
    const run = forward([`${server.url}/b/x`, '--to', target.url, '--after', String(first)]);
    await run.out.until(delivered(first + 2));
    const next = await capture(server.url, 'x', { 'X-Seq': '4' });
    await run.out.until(delivered(next));
    expect(seqs(target)).toEqual(['2', '3', '4']);
    expect(run.out.matching(/^#/)).toEqual([first + 1, first + 2, next].map((id) => expect.stringMatching(delivered(id))));
    expect(await run.stop()).toBe(0);
    expect(run.out.all.at(-1)).toBe(`stopped after #${next}; to go on from there: --after ${next}`);
  });

  it('retries a target that refuses connections, delivers once it is up, in order, skipping none', async () => {
    const server = await hooklens();
    await createBin(server, 'x');
    const port = await freePort();
    const run = forward([`${server.url}/b/x`, '--to', `http://127.0.0.1:${port}/in`]);
    await run.out.until(/^forwarding /);
    const ids = [await capture(server.url, 'x', { 'X-Seq': '1' }), await capture(server.url, 'x', { 'X-Seq': '2' }), await capture(server.url, 'x', { 'X-Seq': '3' })];
    const retries = await run.out.until(/target unreachable/, 3);
    expect(retries.slice(0, 3)).toEqual([
      `#${ids[0]} POST / → target unreachable (ECONNREFUSED), retrying in 0.02 s`,
      `#${ids[0]} POST / → target unreachable (ECONNREFUSED), retrying in 0.04 s`,
      `#${ids[0]} POST / → target unreachable (ECONNREFUSED), retrying in 0.08 s`,
    ]);
    const target = await startTarget(undefined, port);
    await run.out.until(delivered(ids[2]));
    expect(seqs(target)).toEqual(['1', '2', '3']);
    // Nothing about a later request before the first was delivered.
    const lines = run.out.all;
    expect(lines.findIndex((l) => l.startsWith(`#${ids[1]} `))).toBeGreaterThan(lines.findIndex((l) => delivered(ids[0]).test(l)));
  });

  it('does not send again a request that went out whole but got no answer in time (never twice); later ones wait for it', async () => {
    const server = await hooklens();
    await createBin(server, 'x');
    // The first request is never answered; every later one is.
    const target = await startTarget((_req, res, n) => void (n > 1 && res.end('ok')));
    const run = forward([`${server.url}/b/x`, '--to', target.url], {}, 500);
    await run.out.until(/^forwarding /);
    const first = await capture(server.url, 'x', { 'X-Seq': '1' });
    const second = await capture(server.url, 'x', { 'X-Seq': '2' });
    await run.out.until(delivered(second));
    expect(run.out.matching(/^#/)).toEqual([
      `#${first} POST / → no answer within 0.5 s; it was sent whole, so it is not sent again`,
      expect.stringMatching(delivered(second)),
    ]);
    expect(seqs(target)).toEqual(['1', '2']);
  });
});

describe('hooklens forward: access', () => {
  it('says a token is needed (exit 2) when the server has one, and works with HOOKLENS_TOKEN', async () => {
    const server = await hooklens({ config: { token: TOKEN } });
    await createBin(server, 'x', TOKEN);
    const target = await startTarget();
    const refused = forward([`${server.url}/b/x`, '--to', target.url]);
    expect(await refused.code).toBe(2);
    expect(refused.err.all).toEqual([`hooklens forward: ${server.url} needs an access token: pass --token <token> or set HOOKLENS_TOKEN`]);
    expect(refused.out.all).toEqual([]);

    const wrong = forward([`${server.url}/b/x`, '--to', target.url, '--token', 'not-the-token-0123456789']);
    expect(await wrong.code).toBe(2);
    expect(wrong.err.all).toEqual([expect.stringMatching(/refused the access token/)]);

    const run = forward([`${server.url}/b/x`, '--to', target.url], { HOOKLENS_TOKEN: TOKEN });
    await run.out.until(/^forwarding /);
    const id = await capture(server.url, 'x', { 'X-Seq': '1' });
    await run.out.until(delivered(id));
    expect(seqs(target)).toEqual(['1']);
  });

  it('refuses an unknown bin with the server\'s message (exit 1)', async () => {
    const server = await hooklens();
    const run = forward([`${server.url}/b/nope`, '--to', 'http://127.0.0.1:9/']);
    expect(await run.code).toBe(1);
    expect(run.err.all).toEqual(['hooklens forward: no such bin: nope']);
  });

  it('keeps trying a server that is not reachable at the start, saying so', async () => {
    const port = await freePort();
    const run = forward([`http://127.0.0.1:${port}/b/x`, '--to', 'http://127.0.0.1:9/']);
    const lines = await run.out.until(/^cannot reach/, 2);
    expect(lines.slice(0, 2)).toEqual([
      `cannot reach http://127.0.0.1:${port} (ECONNREFUSED), retrying in 0.02 s`,
      `cannot reach http://127.0.0.1:${port} (ECONNREFUSED), retrying in 0.04 s`,
    ]);
    expect(await run.stop()).toBe(0);
  });
});

describe('hooklens forward: arguments', () => {
  it.each([
    [['http://h/b/x'], /--to <target URL> is missing/],
    [['--to', 'http://t/'], /the capture URL is missing/],
    [['http://h/api/bins/x', '--to', 'http://t/'], /is not a capture URL http\(s\):\/\/<host>\/b\/<binId> or a relay URL/],
    [['ftp://h/b/x', '--to', 'http://t/'], /is not a capture URL/],
    [['http://h/b/x/sub', '--to', 'http://t/'], /is not a capture URL/],
    [['http://h/b/x', '--to', 'localhost:3000'], /--to must be an http:\/\/ or https:\/\/ URL/],
    [['http://h/b/x', '--to', 'http://t/', '--after', '-1'], /unknown option "-1"|--after must be a request id/],
    [['http://h/b/x', '--to', 'http://t/', '--after', 'last'], /--after must be a request id/],
    [['http://h/b/x', '--to', 'http://t/', '--verbose'], /unknown option "--verbose"/],
    [['http://h/b/x', '--to'], /--to needs a value/],
  ])('%j: one line naming the problem, exit 2', async (argv, problem) => {
    const run = forward(argv);
    expect(await run.code).toBe(2);
    expect(run.err.all).toEqual([expect.stringMatching(problem)]);
    expect(run.err.all[0]).toMatch(/^hooklens forward: /);
  });

  it('prints the usage for --help', async () => {
    const run = forward(['--help']);
    expect(await run.code).toBe(0);
    expect(run.out.all[0]).toBe('usage: hooklens forward <capture URL> --to <target URL> [--token <token>] [--after <id>]');
  });

  it('takes --flag=value, a relay URL, and --token before HOOKLENS_TOKEN', () => {
    expect(parseForwardArgs(['https://h.example/relay/k3y_-', '--to=http://t/', '--after=7'], {})).toMatchObject({
      follow: { kind: 'relay', key: 'k3y_-' }, after: 7, token: null,
    });
    expect(parseForwardArgs(['http://h/b/x', '--to', 'http://t/', '--token', 'a'], { HOOKLENS_TOKEN: 'b' })).toMatchObject({ token: 'a' });
    expect(parseForwardArgs(['http://h/b/x/', '--to', 'http://t/'], { HOOKLENS_TOKEN: 'b' })).toMatchObject({ token: 'b', follow: { binId: 'x' } });
  });
});

describe('hooklens forward: parsing the stored bytes', () => {
  it('splits /raw at the first blank line: request line, header lines (at the first ": "), body', () => {
    const raw = parseRaw(Buffer.concat([Buffer.from('PUT /b/x/p?q HTTP/1.1\r\nA: b: c\r\nEmpty: \r\nX: \u00e9\r\n\r\n', 'latin1'), Buffer.from('\r\n\r\nbody')]));
    expect(raw).toEqual({ method: 'PUT', target: '/b/x/p?q', headers: [['A', 'b: c'], ['Empty', ''], ['X', '\u00e9']], body: Buffer.from('\r\n\r\nbody') });
  });
});

describe('hooklens forward: a dropped connection', () => {
  const processes = useServerProcesses('hooklens-forward-');

  it('resumes after a server restart from the last id received: captures made meanwhile arrive once, in order', async () => {
    const db = processes.tmpDb();
    const first = await processes.startServer(['--db', db]);
    const binId = /capture\s+http:\/\/\S+\/b\/(\S+)\n/.exec(first.output())![1];
    const target = await startTarget();
    const args = parseForwardArgs([`${first.url}/b/${binId}`, '--to', target.url], {}) as ForwardArgs;
    // The test holds the reconnection until it has captured during the gap.
    const real = sourceOf(args);
    const afters: (number | undefined)[] = [];
    let held = false;
    const source: RequestSource = {
      ...real,
      follow(after, handlers) {
        afters.push(after);
        if (held) return { ended: Promise.resolve({ kind: 'dropped', reason: 'held by the test' }), close() {} };
        return real.follow(after, handlers);
      },
    };
    const run = forwardFrom(source, args);
    await run.out.until(/^forwarding /);
    const id1 = await capture(first.url, binId, { 'X-Seq': '1' });
    await run.out.until(delivered(id1));

    held = true;
    await processes.stopAndRead(first);
    await run.out.until(/^lost the connection to /);
    const second = await processes.startServer(['--db', db, '--port', String(first.port)]);
    const id2 = await capture(second.url, binId, { 'X-Seq': '2' });
    const id3 = await capture(second.url, binId, { 'X-Seq': '3' });
    held = false;
    await run.out.until(delivered(id3));
    expect(run.out.matching(/^following .* again/)).toEqual([`following ${second.url} again, after #${id1}`]);
    const id4 = await capture(second.url, binId, { 'X-Seq': '4' });
    await run.out.until(delivered(id4));

    expect(seqs(target)).toEqual(['1', '2', '3', '4']);
    expect(run.out.matching(/ → 200 /)).toEqual([id1, id2, id3, id4].map((id) => expect.stringMatching(delivered(id))));
    expect(afters.at(-1)).toBe(id1);
    expect(afters[0]).toBeUndefined();
  });

  it('retries fetching a request the server cannot give yet, and goes past one deleted before it could be sent', async () => {
    const port = await freePort();
    const target = await startTarget();
    let announce: (id: number) => void = () => {};
    const source: RequestSource = {
      origin: `http://127.0.0.1:${port}`,
      raw: (id) => ({ url: new URL(`http://127.0.0.1:${port}/raw/${id}`), headers: {} }),
      tokenProblem: () => null,
      follow(_after, handlers) {
        announce = (id) => handlers.onRequest({ id });
        queueMicrotask(() => handlers.onReady(0));
        let close = (): void => {};
        const ended = new Promise<StreamEnd>((resolve) => (close = () => resolve({ kind: 'dropped', reason: 'closed' })));
        return { ended, close };
      },
    };
    const run = forwardFrom(source, { ...(parseForwardArgs([`http://127.0.0.1:${port}/b/x`, '--to', target.url], {}) as ForwardArgs) });
    await run.out.until(/^forwarding /);
    announce(1);
    announce(2);
    announce(3);
    await run.out.until(/^#1 cannot be fetched/, 2);
    // The server comes back: #2 is gone by then.
    const server = createServer((req, res) => {
      if (req.url === '/raw/2') return void res.writeHead(404).end('{"error":"no such request: 2"}');
      res.end(`POST /b/x HTTP/1.1\r\nX-Seq: ${req.url!.slice(5)}\r\n\r\n`);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    closers.push(async () => void await new Promise((resolve) => server.close(resolve)));
    await run.out.until(delivered(3));
    expect(run.out.matching(/^#/).slice(0, 2)).toEqual([
      `#1 cannot be fetched from http://127.0.0.1:${port} (ECONNREFUSED), retrying in 0.02 s`,
      `#1 cannot be fetched from http://127.0.0.1:${port} (ECONNREFUSED), retrying in 0.04 s`,
    ]);
    expect(run.out.matching(/^#[123] (POST|was)/)).toEqual([
      expect.stringMatching(delivered(1)), '#2 was deleted before it could be forwarded', expect.stringMatching(delivered(3)),
    ]);
    expect(seqs(target)).toEqual(['1', '3']);
  });

  it('runs as `hooklens forward` from a checkout and exits 0 on SIGTERM, even during a delivery', async () => {
    const server = await hooklens();
    await createBin(server, 'x');
    // The second request is never answered: SIGTERM abandons it.
    const target = await startTarget((_req, res, n) => void (n === 1 && res.end('ok')));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HOOKLENS_')));
    const child = spawn(process.execPath, ['scripts/start.mjs', 'forward', `${server.url}/b/x`, '--to', target.url], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(child, 'exit');
    closers.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });
    const out = new Lines();
    child.stdout.setEncoding('utf8').on('data', (text: string) => out.push(text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => out.push(text));
    await out.until(/^forwarding /);
    const id = await capture(server.url, 'x', { 'X-Seq': '1' });
    await out.until(delivered(id));
    await capture(server.url, 'x', { 'X-Seq': '2' });
    await target.until(2);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(out.all).toContain(`stopped after #${id}; to go on from there: --after ${id}`);
  });
});

describe('hooklens forward: a relay URL (Server-Sent Events)', () => {
  /** A stand-in for the server's relay: each connection sends one capture, the first then ends its stream. */
  async function fakeRelay(): Promise<{ url: string; connections: { url: string; lastEventId: string | undefined }[] }> {
    const connections: { url: string; lastEventId: string | undefined }[] = [];
    const raw = (id: number): Buffer => Buffer.from(`POST /b/bin1/hook?n=${id} HTTP/1.1\r\nHost: h\r\nX-Seq: ${id}\r\nContent-Length: 2\r\n\r\n{}`, 'latin1');
    const server = createServer((req, res) => {
      const rawPath = /^\/relay\/k3y\/requests\/(\d+)\/raw$/.exec(req.url!);
      if (rawPath) return void res.end(raw(Number(rawPath[1])));
      if (!req.url!.startsWith('/relay/k3y')) return void res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"no such relay"}');
      connections.push({ url: req.url!, lastEventId: req.headers['last-event-id'] as string | undefined });
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('event: ready\r\ndata: {}\r\n\r\n: ping\r\n\r\n');
      const id = connections.length === 1 ? 5 : 6;
      // Split across writes, as a network would.
      res.write(`id: ${id}\r\nevent: mess`);
      res.write(`age\r\ndata: {"x-seq":"${id}","body":{},"query":{"n":"${id}"}}\r`);
      res.write('\n\r\n');
      if (connections.length === 1) res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections };
  }

  it('follows the events, fetches each request\'s bytes from the relay, and resumes with after=<last id>', async () => {
    const relay = await fakeRelay();
    const target = await startTarget();
    const run = forward([`${relay.url}/relay/k3y`, '--to', `${target.url}/in`]);
    await run.out.until(delivered(6, 'POST', '/hook'));
    expect(target.received.map((r) => r.url)).toEqual(['/in/hook?n=5', '/in/hook?n=6']);
    expect(seqs(target)).toEqual(['5', '6']);
    expect(relay.connections).toEqual([
      { url: '/relay/k3y', lastEventId: undefined },
      { url: '/relay/k3y?after=5', lastEventId: '5' },
    ]);
  });

  it('forwards byte for byte through the real relay of a server with a token, needing none', async () => {
    const server = await hooklens({ config: { token: 'a-long-enough-token-123' } });
    await createBin(server, 'x', 'a-long-enough-token-123');
    const { relayUrl } = (await request(server.app).get('/api/bins/x').set('Host', '127.0.0.1')
      .set('Authorization', 'Bearer a-long-enough-token-123').expect(200)).body as { relayUrl: string };
    const target = await startTarget();
    const run = forward([`${server.url}${new URL(relayUrl).pathname}`, '--to', `${target.url}/in`]);
    await run.out.until(/^forwarding /);
    const body = Buffer.from([0, 1, 2, 0xff, 0xfe]);
    const head = 'PUT /b/x/hook?q=1 HTTP/1.1\r\nHost: a\r\nX-Latin: caf\u00e9\r\nx-latin: again\r\nContent-Length: 5\r\nConnection: close\r\n\r\n';
    expect((await sendRaw(server.port, Buffer.concat([Buffer.from(head, 'latin1'), body]))).status).toBe(200);
    await run.out.until(/^#\d+ PUT \/hook → 200 /);
    const [got] = target.received;
    expect(got.url).toBe('/in/hook?q=1');
    expect(sha256(got.body)).toBe(sha256(body));
    expect(pairs(got.rawHeaders).filter(([n]) => /latin/i.test(n))).toEqual([['X-Latin', 'caf\u00e9'], ['x-latin', 'again']]);
  });

  it('stops with exit 1 on a relay key the server does not know', async () => {
    const relay = await fakeRelay();
    const run = forward([`${relay.url}/relay/other`, '--to', 'http://127.0.0.1:9/']);
    expect(await run.code).toBe(1);
    expect(run.err.all).toEqual([expect.stringMatching(/^hooklens forward: no such relay URL: .*\/relay\/othe… \(no such relay\)/)]);
  });

  it('shows a relay key cut to 4 characters and no password in the lines it prints', () => {
    expect(shownUrl('https://h.example/relay/AbCdEfGhIjKlMnOpQrStUvWx?after=3')).toBe('https://h.example/relay/AbCd…?after=3');
    expect(shownUrl('http://user:secret@localhost:3000/hook')).toBe('http://user:***@localhost:3000/hook');
    expect(shownUrl('http://localhost:3000/b/x')).toBe('http://localhost:3000/b/x');
  });

  it('parses events split anywhere, with CRLF, LF or CR line ends, skipping comments', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    const text = ': hello\r\nevent: ready\r\ndata: {}\r\n\r\nid: 7\ndata: a\ndata: b\n\nid:8\rdata\r\r: more';
    for (const ch of text) parser.push(ch);
    expect(events).toEqual([
      { type: 'ready', id: undefined, data: '{}' },
      { type: 'message', id: '7', data: 'a\nb' },
      { type: 'message', id: '8', data: '' },
    ]);
  });
});
