import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bin } from '../shared/types';
import { SseParser, type SseEvent } from '../server/forward/sources';
import { RELAY_MAX_BODY, smeeBody, smeeHeaders, smeeQuery } from '../server/live/smee';
import { startTestServer, type TestServer } from './helpers/app';
import { watchFollowers } from './helpers/live';
import { dropSchema, freshSchemaUrl, pgSuite } from './helpers/pg';
import { sendRaw } from './helpers/raw';

const SMEE_BIN = join(import.meta.dirname, '..', 'node_modules', 'smee-client', 'bin', 'smee.js');
const TOKEN = 'relay-test-token-0123456789abcdef';

const servers: TestServer[] = [];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const t = await startTestServer({ bins: ['b', 'other'], ...options });
  servers.push(t);
  return t;
}

/** The bin as the API answers it (with the token when the server has one). */
async function binOf(t: TestServer, binId: string): Promise<Bin> {
  const res = await fetch(`${t.url}/api/bins/${binId}`, { headers: t.config.token ? { Authorization: `Bearer ${t.config.token}` } : {} });
  expect(res.status).toBe(200);
  return await res.json() as Bin;
}

/** One capture over a fresh connection; resolves with the stored id. */
async function capture(t: TestServer, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<number> {
  const res = await fetch(`${t.url}${path}`, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
}

/** A Server-Sent Events client: records every event and lets a test wait for what it expects. */
class RelayClient {
  readonly events: SseEvent[] = [];
  /** Resolves once the server has ended the stream (or the connection closed). */
  readonly ended: Promise<void>;
  private waiters: (() => void)[] = [];

  private constructor(readonly res: IncomingMessage) {
    const parser = new SseParser((event) => {
      this.events.push(event);
      for (const wake of this.waiters.splice(0)) wake();
    });
    res.setEncoding('utf8');
    res.on('data', (text: string) => parser.push(text));
    this.ended = new Promise((resolve) => res.once('close', () => {
      resolve();
      for (const wake of this.waiters.splice(0)) wake();
    }));
  }

  /** Opens `url` with `headers`; resolves once the answer's head has arrived. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<RelayClient> {
    const req = get(url, { headers: { Accept: 'text/event-stream', ...headers }, agent: false });
    const [res] = await once(req, 'response') as [IncomingMessage];
    const client = new RelayClient(res);
    cleanups.push(() => res.destroy());
    return client;
  }

  /** The ids of the `message` events so far, in order. */
  ids(): number[] {
    return this.events.filter((e) => e.type === 'message').map((e) => Number(e.id));
  }

  messages(): Record<string, unknown>[] {
    return this.events.filter((e) => e.type === 'message').map((e) => JSON.parse(e.data) as Record<string, unknown>);
  }

  /** Resolves once the events so far satisfy `match`; rejects if the stream ends before they do. */
  async until(match: (events: SseEvent[]) => boolean): Promise<void> {
    while (!match(this.events)) {
      if (this.res.closed) throw new Error(`the stream ended after ${this.events.length} events: ${JSON.stringify(this.events.map((e) => e.type))}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves once `ready` has arrived: captures stored from then on are sent. */
  ready(): Promise<void> {
    return this.until((events) => events.some((e) => e.type === 'ready'));
  }
}

/** What a smee-client target received. */
interface Delivery {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP target that records every request; `until(n)` resolves once n have arrived. */
async function startTarget(): Promise<{ url: string; received: Delivery[]; until(count: number): Promise<void> }> {
  const received: Delivery[] = [];
  const arrived = new EventTarget();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.end('ok');
      arrived.dispatchEvent(new Event('request'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    async until(count) {
      while (received.length < count) await once(arrived, 'request');
    },
  };
}

/**
 * Runs the unmodified smee-client command line (`smee --url … --target …`) as its own process, without proxy
 * settings from the environment (it honours them); it is killed after the test.
 */
function runSmeeClient(source: string, target: string): ChildProcess {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/_proxy$/i.test(name)));
  const child = spawn(process.execPath, [SMEE_BIN, '--url', source, '--target', target], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  cleanups.push(async () => {
    // Still running: it did not crash on anything it was sent.
    expect(child.exitCode, output).toBe(null);
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  });
  return child;
}

describe('GET /relay/{key} with the real smee-client', () => {
  it('delivers every capture of the bin to the target, in order: JSON body as JSON, headers, the query merged', { timeout: 20_000 }, async () => {
    const t = await start();
    const followers = watchFollowers(t.hub);
    const target = await startTarget();
    const { relayUrl } = await binOf(t, 'b');
    runSmeeClient(relayUrl!, `${target.url}/hook?fixed=1`);
    // The relay follows the bin as soon as it is connected: a capture stored from then on is delivered.
    await followers.followed('b');

    const json = { event: 'ticket.updated', ticket: { id: 42, tags: ['a', 'b'], note: 'café ✓' } };
    await capture(t, '/b/b/hooks?x=1&y=two', { headers: { 'Content-Type': 'application/json', 'X-Custom': 'hello' }, body: JSON.stringify(json) });
    await target.until(1);
    await capture(t, '/b/other', { body: 'not for this relay' });
    await capture(t, '/b/b', { headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Seq': '2' }, body: 'a=1&b=two+words' });
    await target.until(2);
    await capture(t, '/b/b/sub?only=query&only=twice', { method: 'GET', headers: { 'X-Seq': '3' } });
    await target.until(3);

    const [first, second, third] = target.received;
    expect(target.received).toHaveLength(3);
    expect(first.method).toBe('POST');
    expect(first.url).toBe('/hook?fixed=1&x=1&y=two');
    expect(JSON.parse(first.body)).toEqual(json);
    expect(first.headers['x-custom']).toBe('hello');
    expect(first.headers['content-type']).toBe('application/json');
    // A body that is not JSON goes as its text, which smee-client sends as a JSON string.
    expect(second.headers['x-seq']).toBe('2');
    expect(JSON.parse(second.body)).toBe('a=1&b=two+words');
    expect(third.headers['x-seq']).toBe('3');
    expect(third.url).toBe('/hook?fixed=1&only=query%2Ctwice');
    expect(JSON.parse(third.body)).toBe('');
  });

  it('resumes with Last-Event-ID after a dropped connection: what was captured meanwhile arrives once, nothing twice', { timeout: 20_000 }, async () => {
    const t = await start();
    const followers = watchFollowers(t.hub);
    const target = await startTarget();
    const { relayUrl } = await binOf(t, 'b');
    const relaySockets: Socket[] = [];
    // Before the app, which rewrites req.url as it routes.
    t.server.prependListener('request', (req: IncomingMessage) => {
      if (req.url?.startsWith('/relay/')) relaySockets.push(req.socket);
    });
    const before = await capture(t, '/b/b', { headers: { 'X-Seq': 'backlog' } });
    // ?after= in the URL: smee-client keeps it, so the stream starts with the backlog after that id.
    runSmeeClient(`${relayUrl!}?after=${before - 1}`, target.url);
    await target.until(1);
    await followers.followed('b');
    await capture(t, '/b/b', { headers: { 'X-Seq': 'live' } });
    await target.until(2);

    // The connection drops; smee-client's EventSource reconnects (after 3 s) with the last id it saw.
    for (const socket of relaySockets) socket.destroy();
    await followers.unfollowed('b');
    await capture(t, '/b/b', { headers: { 'X-Seq': 'while-away-1' } });
    await capture(t, '/b/b', { headers: { 'X-Seq': 'while-away-2' } });
    await target.until(4);
    await followers.followed('b');
    await capture(t, '/b/b', { headers: { 'X-Seq': 'after' } });
    await target.until(5);
    expect(target.received.map((d) => d.headers['x-seq']).sort()).toEqual(['after', 'backlog', 'live', 'while-away-1', 'while-away-2']);
  });
});

describe('GET /relay/{key}', () => {
  it('is an event stream: ready, then one message per capture with its id, headers, body, query and time', async () => {
    const t = await start();
    const { relayUrl } = await binOf(t, 'b');
    const client = await RelayClient.open(relayUrl!);
    expect(client.res.statusCode).toBe(200);
    expect(client.res.headers['content-type']).toBe('text/event-stream');
    expect(client.res.headers['cache-control']).toBe('no-cache');
    expect(client.res.headers['x-accel-buffering']).toBe('no');
    await client.ready();
    expect(client.events[0]).toMatchObject({ type: 'ready', data: '{}' });

    const response = await sendRaw(t.port, [
      'PUT /b/b/path?a=1&a=2&sp=x+y HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'X-Dup: one', 'x-dup: two',
      'Cookie: a=1', 'Cookie: b=2', 'Keep-Alive: timeout=5', 'Proxy-Authorization: Basic eA==', 'Connection: close',
      'Content-Length: 7', '', '{"n":1}',
    ].join('\r\n'));
    expect(response.status).toBe(200);
    const { id } = JSON.parse(response.body) as { id: number };
    await client.until(() => client.ids().length === 1);
    expect(client.ids()).toEqual([id]);
    const [message] = client.messages();
    const stored = await t.requests.get('b', id);
    expect(message).toEqual({
      host: '127.0.0.1', 'content-type': 'application/json', 'x-dup': 'one, two', cookie: 'a=1; b=2', 'content-length': '7',
      body: { n: 1 }, query: { a: ['1', '2'], sp: 'x y' }, timestamp: stored.receivedAt,
    });
  });

  it('sends the stored captures after Last-Event-ID, or ?after=, then the live ones, in id order with no gap and no duplicate', async () => {
    const t = await start();
    const followers = watchFollowers(t.hub);
    const { relayUrl } = await binOf(t, 'b');
    const stored: number[] = [];
    for (let i = 0; i < 5; i++) stored.push(await capture(t, '/b/b', { body: `{"i":${i}}` }));

    const byHeader = await RelayClient.open(relayUrl!, { 'Last-Event-ID': String(stored[1]) });
    const byQuery = await RelayClient.open(`${relayUrl!}?after=${stored[2]}`);
    // Both: Last-Event-ID wins (an EventSource reconnects to the same URL with a newer id).
    const both = await RelayClient.open(`${relayUrl!}?after=${stored[0]}`, { 'Last-Event-ID': String(stored[3]) });
    // Captures race with the backlogs being sent.
    const racing = Promise.all(Array.from({ length: 20 }, (_, i) => capture(t, '/b/b', { body: `{"r":${i}}` })));
    await followers.followed('b');
    const live = await racing;
    const all = [...stored, ...live].sort((x, y) => x - y);
    const expectAfter = async (client: RelayClient, after: number) => {
      const expected = all.filter((id) => id > after);
      await client.until(() => client.ids().length >= expected.length);
      expect(client.ids()).toEqual(expected);
      const ready = client.events.find((e) => e.type === 'ready')!;
      expect(ready.id).toBe(String(after));
      expect(client.events.indexOf(ready)).toBe(0);
    };
    await expectAfter(byHeader, stored[1]);
    await expectAfter(byQuery, stored[2]);
    await expectAfter(both, stored[3]);
  });

  it('names the id it starts after in `ready`, so that a client that drops before any capture resumes without a gap', async () => {
    const t = await start();
    const { relayUrl } = await binOf(t, 'b');
    const earlier = await capture(t, '/b/b');
    const client = await RelayClient.open(relayUrl!);
    await client.ready();
    expect(client.events[0].id).toBe(String(earlier));
    client.res.destroy();
    const missed = await capture(t, '/b/b');
    const again = await RelayClient.open(relayUrl!, { 'Last-Event-ID': client.events[0].id! });
    await again.until(() => again.ids().length === 1);
    expect(again.ids()).toEqual([missed]);
  });

  it('never sends another bin\'s captures, nor deletions', async () => {
    const t = await start();
    const { relayUrl } = await binOf(t, 'b');
    const client = await RelayClient.open(relayUrl!);
    await client.ready();
    await capture(t, '/b/other');
    const deleted = await capture(t, '/b/b');
    await client.until(() => client.ids().length === 1);
    expect((await fetch(`${t.url}/api/bins/b/requests/${deleted}`, { method: 'DELETE' })).status).toBe(204);
    await capture(t, '/b/other');
    const mine = await capture(t, '/b/b');
    await client.until(() => client.ids().length === 2);
    expect(client.ids()).toEqual([deleted, mine]);
    expect(client.events.map((e) => e.type)).toEqual(['ready', 'message', 'message']);
  });

  it('answers 404 JSON for an unknown or malformed key, and 405 for a method other than GET', async () => {
    const t = await start();
    for (const path of ['/relay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '/relay/short', '/relay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/requests/1/raw', '/relay/x/y']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/no such relay URL/) });
    }
    const { relayUrl } = await binOf(t, 'b');
    const post = await fetch(relayUrl!, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const bad = await fetch(relayUrl!, { headers: { 'Last-Event-ID': 'abc' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Last-Event-ID must be a request id (a non-negative integer)' });
  });

  it('needs no token when the server has one, and gives that bin only', async () => {
    const t = await start({ config: { token: TOKEN } });
    expect((await fetch(`${t.url}/api/bins/b`)).status).toBe(401);
    const { relayUrl } = await binOf(t, 'b');
    const client = await RelayClient.open(relayUrl!);
    expect(client.res.statusCode).toBe(200);
    await client.ready();
    const id = await capture(t, '/b/b', { body: 'hi' });
    await client.until(() => client.ids().length === 1);
    expect(client.ids()).toEqual([id]);
    expect((await fetch(`${relayUrl!}/requests/${id}/raw`)).status).toBe(200);
    // Another bin's request through this bin's key: as if it did not exist.
    const elsewhere = await capture(t, '/b/other', { body: 'secret' });
    expect((await fetch(`${relayUrl!}/requests/${elsewhere}/raw`)).status).toBe(404);
  });

  it('closes the old key\'s open streams when the key is rotated; the old URL is 404, the new one works', async () => {
    const t = await start();
    const { relayUrl: oldUrl } = await binOf(t, 'b');
    const client = await RelayClient.open(oldUrl!);
    await client.ready();
    const other = await RelayClient.open((await binOf(t, 'other')).relayUrl!);
    await other.ready();
    const rotated = await fetch(`${t.url}/api/bins/b/relay-key`, { method: 'POST' });
    const { relayUrl: newUrl } = await rotated.json() as Bin;
    await client.ended;
    expect((await fetch(oldUrl!)).status).toBe(404);
    const fresh = await RelayClient.open(newUrl!);
    await fresh.ready();
    const id = await capture(t, '/b/b');
    await fresh.until(() => fresh.ids().length === 1);
    expect(fresh.ids()).toEqual([id]);
    // Another bin's stream stays.
    expect(other.res.closed).toBe(false);
  });

  it('closes the stream when the bin is deleted', async () => {
    const t = await start();
    const { relayUrl } = await binOf(t, 'b');
    const client = await RelayClient.open(relayUrl!);
    await client.ready();
    expect((await fetch(`${t.url}/api/bins/b`, { method: 'DELETE' })).status).toBe(204);
    await client.ended;
    expect((await fetch(relayUrl!)).status).toBe(404);
  });

  it('goes on past a capture whose JSON is too deep to serialise again (sent as text), and notes a body past the cap', async () => {
    const t = await start({ config: { maxBody: RELAY_MAX_BODY + 10 } });
    const { relayUrl } = await binOf(t, 'b');
    const client = await RelayClient.open(relayUrl!);
    await client.ready();
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const first = await capture(t, '/b/b', { body: deep });
    const big = await capture(t, '/b/b', { body: 'x'.repeat(RELAY_MAX_BODY + 1) });
    const last = await capture(t, '/b/b', { body: '{"after":true}' });
    await client.until(() => client.ids().length === 3);
    expect(client.ids()).toEqual([first, big, last]);
    const [asText, noted, json] = client.messages().map((m) => m.body);
    expect(asText).toBe(deep);
    expect(noted).toBe(`[hooklens: a body of ${RELAY_MAX_BODY + 1} bytes is not relayed; hooklens forward sends it byte for byte]`);
    expect(json).toEqual({ after: true });
  });

  it('pings, without an id', async () => {
    const t = await start({ heartbeatMs: 20 });
    const client = await RelayClient.open((await binOf(t, 'b')).relayUrl!);
    await client.until((events) => events.some((e) => e.type === 'ping'));
    expect(client.events.find((e) => e.type === 'ping')).toEqual({ type: 'ping', id: undefined, data: '{}' });
  });

  it('ends the stream of a client that does not read once its captures pass the bound; it resumes with Last-Event-ID and loses nothing', { timeout: 20_000 }, async () => {
    const t = await start({ sendBufferLimit: 16 * 1024 });
    const followers = watchFollowers(t.hub);
    const { relayUrl } = await binOf(t, 'b');
    const client = await RelayClient.open(relayUrl!);
    await client.ready();
    client.res.pause();
    // Each event carries a 256 KB body: the socket fills, then summaries wait, past 16 KB of them the stream ends.
    const body = JSON.stringify({ pad: 'x'.repeat(256 * 1024) });
    const ids: number[] = [];
    const stopped = followers.unfollowed('b');
    let done = false;
    void stopped.then(() => (done = true));
    while (!done) {
      ids.push(await capture(t, '/b/b', { body }));
      expect(ids.length).toBeLessThan(2000);
    }
    client.res.resume();
    await client.ended;
    const got = client.ids();
    expect(got).toEqual(ids.slice(0, got.length));
    expect(got.length).toBeLessThan(ids.length);
    expect(await t.metrics.registry.getSingleMetricAsString('hooklens_live_closed_slow_total')).toMatch(/ 1$/m);

    const lastId = [...client.events].reverse().find((e) => e.id !== undefined)!.id!;
    const again = await RelayClient.open(relayUrl!, { 'Last-Event-ID': lastId });
    await again.until(() => again.ids().length === ids.length - got.length);
    expect([...got, ...again.ids()]).toEqual(ids);
  });

  it('ends its streams on a graceful stop', async () => {
    const t = await start();
    const client = await RelayClient.open((await binOf(t, 'b')).relayUrl!);
    await client.ready();
    await t.stop();
    await client.ended;
  });
});

describe('GET /relay/{key}/requests/{id}/raw', () => {
  it('answers the same bytes as the API\'s /raw, sandboxed: a latin1 header value, a binary body', async () => {
    const t = await start({ config: { token: TOKEN } });
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const head = Buffer.from(['POST /b/b/x?q=1 HTTP/1.1', 'Host: 127.0.0.1', 'X-Name: caf\xe9', 'Content-Type: application/octet-stream',
      `Content-Length: ${binary.length}`, 'Connection: close', '', ''].join('\r\n'), 'latin1');
    const response = await sendRaw(t.port, Buffer.concat([head, binary]));
    expect(response.status).toBe(200);
    const { id } = JSON.parse(response.body) as { id: number };
    const { relayUrl } = await binOf(t, 'b');

    const viaRelay = await fetch(`${relayUrl!}/requests/${id}/raw`);
    const viaApi = await fetch(`${t.url}/api/bins/b/requests/${id}/raw`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(viaRelay.status).toBe(200);
    const bytes = Buffer.from(await viaRelay.arrayBuffer());
    expect(bytes.equals(Buffer.from(await viaApi.arrayBuffer()))).toBe(true);
    expect(bytes.equals(Buffer.concat([head, binary]))).toBe(true);
    for (const name of ['content-type', 'x-content-type-options', 'content-security-policy', 'cache-control']) {
      expect(viaRelay.headers.get(name), name).toBe(viaApi.headers.get(name));
    }
    expect(viaRelay.headers.get('content-security-policy')).toBe('sandbox');
    expect((await fetch(`${relayUrl!}/requests/${id + 1000}/raw`)).status).toBe(404);
    expect((await fetch(`${relayUrl!}/requests/abc/raw`)).status).toBe(400);
  });
});

describe('smee message fields', () => {
  it('joins duplicate headers as Node does and drops hop-by-hop ones', () => {
    expect(smeeHeaders([
      ['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['Content-Type', 'text/plain'], ['content-type', 'x/y'], ['Accept', 'a'],
      ['ACCEPT', 'b'], ['Transfer-Encoding', 'chunked'], ['TE', 'trailers'], ['Trailer', 'X'], ['Upgrade', 'h2c'],
      ['Proxy-Connection', 'keep-alive'], ['__proto__', 'header'],
    ])).toEqual({ 'set-cookie': ['a=1', 'b=2'], 'content-type': 'text/plain', accept: 'a, b', ['__proto__']: 'header' });
  });

  it('parses a JSON body whatever its type, and gives any other as text', () => {
    expect(smeeBody(Buffer.from('{"a":[1,2]}'))).toEqual({ a: [1, 2] });
    expect(smeeBody(Buffer.from(' 12 '))).toBe(12);
    expect(smeeBody(Buffer.from('a=1&b=2'))).toBe('a=1&b=2');
    expect(smeeBody(Buffer.alloc(0))).toBe('');
    expect(smeeBody(Buffer.from([0xff, 0x31]))).toBe('\ufffd1');
  });

  it('reads the query as smee.io does', () => {
    expect(smeeQuery('a=1&a=2&b=x+y&c=%C3%A9&d')).toEqual({ a: ['1', '2'], b: 'x y', c: 'é', d: '' });
    expect(smeeQuery('')).toEqual({});
  });
});

pgSuite('the relay on several instances sharing PostgreSQL', () => {
  let url: string;
  beforeAll(async () => {
    url = await freshSchemaUrl();
  });
  afterAll(async () => {
    await dropSchema(url);
  });

  it('streams on one instance what another captured, and closes when the key is rotated on the other', { timeout: 20_000 }, async () => {
    const a = await startTestServer({ config: { db: url } });
    const b = await startTestServer({ config: { db: url } });
    servers.push(a, b);
    expect((await fetch(`${a.url}/api/bins`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"pg"}' })).status).toBe(201);
    const { relayUrl } = await binOf(b, 'pg');
    const client = await RelayClient.open(relayUrl!);
    await client.ready();
    const ids = [await capture(a, '/b/pg', { body: '{"on":"a"}' }), await capture(b, '/b/pg', { body: '{"on":"b"}' }), await capture(a, '/b/pg')];
    await client.until(() => client.ids().length === 3);
    expect(client.ids()).toEqual(ids);
    expect(client.messages().map((m) => m.body)).toEqual([{ on: 'a' }, { on: 'b' }, '']);
    expect((await fetch(`${a.url}/api/bins/pg/relay-key`, { method: 'POST' })).status).toBe(200);
    await client.ended;
  });
});
