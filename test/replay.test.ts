import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type RequestOptions, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { NO_REPLAY_ALLOW, parseReplayAllow, type ReplayAllow } from '../server/replay/address';
import type { Resolver } from '../server/replay/guard';
import type { ReplayAnswer } from '../shared/types';
import { realConnector, ReplayService, type Connector } from '../server/replay/service';
import { startTestServer, type TestServer } from './helpers/app';
import { sendRaw } from './helpers/raw';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const LOOPBACK = parseReplayAllow('127.0.0.1')!;
const TOKEN = 'replay-test-token-0123456789';

/** What a target received. */
interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A local HTTP target on a free loopback port that records each request, then lets `answer` respond (or not). */
async function startTarget(answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.end('ok')) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
      answer(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port, url: `http://127.0.0.1:${port}`, received };
}

/** A TCP target that answers each connection with `onSocket` (garbage, an early close…). */
async function startTcpTarget(onSocket: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

/** The hooklens server with bin b1, and an app on its core whose replay has the given parts. */
async function startHooklens(options: { allow?: ReplayAllow; resolve?: Resolver; connect?: Connector; timeoutMs?: number; maxBody?: number; token?: string } = {}) {
  const server: TestServer = await startTestServer({ bins: ['b1'], config: { maxBody: options.maxBody ?? 1024 * 1024, token: options.token ?? null } });
  closers.push(() => server.close());
  const replay = new ReplayService({ allow: options.allow ?? NO_REPLAY_ALLOW, resolve: options.resolve, connect: options.connect, timeoutMs: options.timeoutMs });
  return { server, app: createApp({ ...server, replay }) };
}

/** Captures raw bytes through the real capture path; answers the request id. */
async function captureRaw(server: TestServer, head: string[], body: Buffer = Buffer.alloc(0)): Promise<number> {
  const res = await sendRaw(server.port, Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), body]));
  const id = (JSON.parse(res.body) as { id: number }).id;
  expect(id).toEqual(expect.any(Number));
  return id;
}

async function captureSimple(server: TestServer): Promise<number> {
  return captureRaw(server, ['POST /b/b1/hook HTTP/1.1', 'Host: capture.example', 'Content-Type: text/plain', 'Content-Length: 5', 'Connection: close'], Buffer.from('hello'));
}

/** A resolver that records what it is asked and a connector that records what it would dial, dialling nothing. */
function spies(table: Record<string, string[]> = {}) {
  const asked: string[] = [];
  const dialled: RequestOptions[] = [];
  const resolve: Resolver = async (hostname) => {
    asked.push(hostname);
    if (table[hostname]) return table[hostname];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };
  const connect: Connector = (options) => {
    dialled.push(options);
    throw new Error('this test dials nothing');
  };
  return { asked, dialled, resolve, connect };
}

/** A connector that records what it dials, and where the pinned lookup points, then dials it for real (to loopback). */
function recordingConnector() {
  const dialled: { host?: string | null; pinned: string }[] = [];
  const connect: Connector = (options) => {
    options.lookup!(String(options.host), { all: true }, (_err, address) => {
      dialled.push({ host: options.host, pinned: (address as { address: string }[])[0].address });
    });
    return realConnector(options);
  };
  return { dialled, connect };
}

/** Validates an answer against the OpenAPI document's schema for the replay route. */
async function checkDocumented(app: ReturnType<typeof createApp>, status: number, body: unknown): Promise<void> {
  const doc = (await request(app).get('/api/openapi.json').expect(200)).body as object;
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(doc, 'openapi.json');
  const validate = ajv.getSchema(`openapi.json#/paths/~1api~1bins~1{binId}~1requests~1{id}~1replay/post/responses/${status}/content/application~1json/schema`)!;
  expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
}

describe('POST /api/bins/:binId/requests/:id/replay: what goes out', () => {
  it('sends the request as received: method, joined path and query, headers in order and case with duplicates, the bytes of a latin1 value, the body', async () => {
    const target = await startTarget((_req, res) => void res.writeHead(201, [['X-Answer', 'yes'], ['x-answer', 'again']]).end('created'));
    const { server, app } = await startHooklens({ allow: LOOPBACK });
    const body = Buffer.from([0x00, 0xff, 0x7b, 0x22, 0xe2, 0x98, 0x83, 0x0a]);
    const nonAscii = Buffer.from('café ☃', 'utf8');
    const id = await captureRaw(server, [
      'PUT /b/b1/hooks/ticket?x=1&y=%20 HTTP/1.1', 'Host: capture.example', 'X-Dup: one', 'x-dup: two',
      `X-Name: ${nonAscii.toString('latin1')}`, 'Connection: close', 'Keep-Alive: timeout=5', 'Proxy-Authorization: Basic eDp5',
      'TE: trailers', 'Content-Type: application/octet-stream', `Content-Length: ${body.length}`, 'X-Last: z',
    ], body);

    const res = await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: `${target.url}/base?k=v` }).expect(200);

    expect(target.received).toHaveLength(1);
    const got = target.received[0];
    expect(got.method).toBe('PUT');
    expect(got.url).toBe('/base/hooks/ticket?k=v&x=1&y=%20');
    expect(got.rawHeaders).toEqual([
      'Host', `127.0.0.1:${target.port}`, 'X-Dup', 'one', 'x-dup', 'two', 'X-Name', nonAscii.toString('latin1'),
      'Content-Type', 'application/octet-stream', 'Content-Length', String(body.length), 'X-Last', 'z',
      'Connection', 'close', // node:http's own, for this one connection
    ]);
    expect(Buffer.from(got.rawHeaders[7], 'latin1').equals(nonAscii)).toBe(true);
    expect(sha256(got.body)).toBe(sha256(body));

    const answer = res.body as ReplayAnswer;
    expect(answer).toMatchObject({ status: 201, body: { base64: Buffer.from('created').toString('base64'), truncated: false } });
    expect(answer.headers.slice(0, 2)).toEqual([['X-Answer', 'yes'], ['x-answer', 'again']]);
    expect(answer.ms).toEqual(expect.any(Number));
    await checkDocumented(app, 200, answer);
  });

  it('sends the target path alone for a capture at the bin\'s root, and a body-less GET with Content-Length 0', async () => {
    const target = await startTarget();
    const { server, app } = await startHooklens({ allow: LOOPBACK });
    const id = await captureRaw(server, ['GET /b/b1 HTTP/1.1', 'Host: capture.example', 'Connection: close']);
    await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: `${target.url}/base` }).expect(200);
    expect(target.received[0]).toMatchObject({ method: 'GET', url: '/base' });
    expect(target.received[0].rawHeaders).toEqual(['Host', `127.0.0.1:${target.port}`, 'Content-Length', '0', 'Connection', 'close']);
  });

  it('sends a truncated capture as stored, with the stored length', async () => {
    const target = await startTarget();
    const { server, app } = await startHooklens({ allow: LOOPBACK, maxBody: 64 });
    const body = Buffer.alloc(100, 'a');
    const res = await sendRaw(server.port, Buffer.concat([Buffer.from(
      'POST /b/b1 HTTP/1.1\r\nHost: capture.example\r\nContent-Length: 100\r\nConnection: close\r\n\r\n', 'latin1'), body]));
    expect(res.status).toBe(413);
    const { id } = JSON.parse(res.body) as { id: number };
    await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: target.url }).expect(200);
    expect(target.received[0].body.equals(body.subarray(0, 64))).toBe(true);
    expect(target.received[0].rawHeaders).toContain('64');
  });

  it('connects to the address it checked and never looks the name up again (no DNS rebinding)', async () => {
    const target = await startTarget();
    let answers = 0;
    // The first answer is checked; a second lookup would get a name that the system cannot resolve at all.
    const resolve: Resolver = async () => (answers++ === 0 ? ['127.0.0.1'] : ['10.0.0.1']);
    const { dialled, connect } = recordingConnector();
    const { server, app } = await startHooklens({ allow: LOOPBACK, resolve, connect });
    const id = await captureSimple(server);
    await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: `http://rebind.test:${target.port}/` }).expect(200);
    expect(answers).toBe(1);
    expect(dialled).toEqual([{ host: 'rebind.test', pinned: '127.0.0.1' }]);
    expect(target.received[0].rawHeaders.slice(0, 2)).toEqual(['Host', `rebind.test:${target.port}`]);
  });

  it('tries every checked address of a name in turn when the first cannot be reached', async () => {
    const target = await startTarget();
    // 127.0.0.2 answers nothing on the target's port (refused); 127.0.0.1 is the target.
    const resolve: Resolver = async () => ['127.0.0.2', '127.0.0.1'];
    const { server, app } = await startHooklens({ allow: parseReplayAllow('127.0.0.0/8')!, resolve });
    const id = await captureSimple(server);
    await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: `http://two.test:${target.port}/` }).expect(200);
    expect(target.received).toHaveLength(1);
  });

  it('takes --replay-allow from the configuration (the app\'s own replay service)', async () => {
    const target = await startTarget();
    const server = await startTestServer({ bins: ['b1'], config: { replayAllow: parseReplayAllow('127.0.0.0/8')! } });
    closers.push(() => server.close());
    const id = await captureSimple(server);
    await request(server.app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: target.url }).expect(200);
    expect(target.received).toHaveLength(1);
  });
});

describe('POST /api/bins/:binId/requests/:id/replay: the answer', () => {
  it('returns a 3xx as it is, without following it', async () => {
    const target = await startTarget((req, res) => {
      if (req.url!.startsWith('/start')) res.writeHead(302, { Location: '/elsewhere' }).end();
      else res.end('followed');
    });
    const { server, app } = await startHooklens({ allow: LOOPBACK });
    const id = await captureSimple(server);
    const res = await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: `${target.url}/start` }).expect(200);
    expect(res.body.status).toBe(302);
    expect(res.body.headers).toContainEqual(['Location', '/elsewhere']);
    expect(target.received.map((r) => r.url)).toEqual(['/start/hook']);
  });

  it('keeps the first 1 MB of a longer answer, says it is truncated, and stops reading', async () => {
    const big = Buffer.alloc(1.5 * 1024 * 1024, 'x');
    const target = await startTarget((_req, res) => void res.end(big));
    const { server, app } = await startHooklens({ allow: LOOPBACK });
    const id = await captureSimple(server);
    const res = await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: target.url }).expect(200);
    const kept = Buffer.from(res.body.body.base64 as string, 'base64');
    expect(kept.length).toBe(1024 * 1024);
    expect(kept.equals(big.subarray(0, 1024 * 1024))).toBe(true);
    expect(res.body.body.truncated).toBe(true);
    await checkDocumented(app, 200, res.body);
  });

  it('stops reading an endless answer at 1 MB and closes the connection', async () => {
    let closedEarly: Promise<boolean> | null = null;
    const target = await startTarget((_req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 'y');
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      closedEarly = new Promise((resolve) => res.on('close', () => resolve(!res.writableFinished)));
      pump();
    });
    const { server, app } = await startHooklens({ allow: LOOPBACK });
    const id = await captureSimple(server);
    const res = await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: target.url }).expect(200);
    expect(res.body.body.truncated).toBe(true);
    expect(Buffer.from(res.body.body.base64 as string, 'base64').length).toBe(1024 * 1024);
    expect(await closedEarly).toBe(true);
  });

  it('answers 504 naming the timeout when the target does not answer in time', async () => {
    const target = await startTarget(() => {}); // never answers
    const { server, app } = await startHooklens({ allow: LOOPBACK, timeoutMs: 200 });
    const id = await captureSimple(server);
    const res = await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: target.url }).expect(504);
    expect(res.body.error).toBe('timeout: the target did not answer within 200 ms');
    expect(target.received).toHaveLength(1);
    await checkDocumented(app, 504, res.body);
  });

  it('answers 504 when the name takes longer than the whole timeout to resolve', async () => {
    const { server, app } = await startHooklens({ timeoutMs: 100, resolve: () => new Promise<string[]>(() => {}) });
    const id = await captureSimple(server);
    const res = await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: 'http://slow.example/' }).expect(504);
    expect(res.body.error).toMatch(/^timeout: /);
  });

  it('answers 502 saying what happened: garbage, a close before answering, a close in the middle, a refused connection', async () => {
    const garbage = await startTcpTarget((socket) => socket.once('data', () => socket.end('this is not HTTP\r\n\r\n')));
    const hangUp = await startTcpTarget((socket) => socket.once('data', () => socket.end()));
    const midway = await startTcpTarget((socket) => socket.once('data', () =>
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a part')));
    const closedPort = await startTcpTarget(() => {});
    await closers.pop()!(); // nothing listens there any more
    const { server, app } = await startHooklens({ allow: LOOPBACK });
    const id = await captureSimple(server);
    const replayTo = async (port: number) =>
      (await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: `http://127.0.0.1:${port}/` }).expect(502)).body.error as string;
    expect(await replayTo(garbage)).toMatch(/^the target's answer is not HTTP \(HPE_/);
    expect(await replayTo(hangUp)).toBe(`the target (127.0.0.1:${hangUp}) closed the connection without answering`);
    expect(await replayTo(midway)).toBe('the target closed the connection in the middle of its answer');
    const refusedMessage = await replayTo(closedPort);
    expect(refusedMessage).toBe(`connection refused by 127.0.0.1:${closedPort}: nothing listens there`);
    await checkDocumented(app, 502, { error: refusedMessage });
  });
});

describe('POST /api/bins/:binId/requests/:id/replay: refusals, before any connection', () => {
  const refused: [string, string][] = [
    ['http://127.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://017700000001/', '127.0.0.1 is a loopback address'],
    ['http://127.1/', '127.0.0.1 is a loopback address'],
    ['http://127.0.0.1./', '127.0.0.1 is a loopback address'],
    ['http://[::1]:8080/', '::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is a loopback address (IPv4 127.0.0.1)'],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1 is a loopback address (IPv4 127.0.0.1)'],
    ['http://[::127.0.0.1]/', '::7f00:1 is a loopback address (IPv4 127.0.0.1)'],
    ['http://[0:0:0:0:0:ffff:a00:5]/', '::ffff:a00:5 is a private address (IPv4 10.0.0.5)'],
    ['http://10.0.0.5/', '10.0.0.5 is a private address'],
    ['http://172.16.3.4/', '172.16.3.4 is a private address'],
    ['http://192.168.1.1/', '192.168.1.1 is a private address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
    ['http://[fd00::1]/', 'fd00::1 is a unique-local address'],
    ['http://0.0.0.0/', '0.0.0.0 is an unspecified address'],
    ['http://0/', '0.0.0.0 is an unspecified address'],
    ['http://[::]/', ':: is an unspecified address'],
    ['http://100.64.0.1/', '100.64.0.1 is a carrier-grade NAT address'],
    ['http://224.0.0.1/', '224.0.0.1 is a multicast address'],
    ['http://255.255.255.255/', '255.255.255.255 is a broadcast address'],
    ['http://localhost:3000/', 'localhost is a loopback name'],
    ['http://api.localhost/', 'api.localhost is a loopback name'],
    ['http://private.example/', 'private.example resolves to 10.1.2.3, a private address'],
    ['http://mapped.example/', 'mapped.example resolves to ::ffff:127.0.0.1, a loopback address (IPv4 127.0.0.1)'],
    ['http://half.example/', 'half.example resolves to 192.168.0.9, a private address'],
  ];

  it.each(refused)('refuses %s with a 400 naming the address class, and dials nothing', async (url, why) => {
    const spy = spies({ 'private.example': ['10.1.2.3'], 'mapped.example': ['::ffff:127.0.0.1'], 'half.example': ['93.184.216.34', '192.168.0.9'] });
    const { server, app } = await startHooklens(spy);
    const id = await captureSimple(server);
    const res = await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url }).expect(400);
    expect(res.body.error).toBe(`refused: ${why}; --replay-allow lets replay reach it`);
    expect(spy.dialled).toEqual([]);
    // Addresses are checked as they are written: only names are asked of the resolver.
    expect(spy.asked).toEqual(/\.example\//.test(url) ? [new URL(url).hostname] : []);
    await checkDocumented(app, 400, res.body);
  });

  it('refuses other schemes and a name that does not resolve, and dials nothing', async () => {
    const spy = spies();
    const { server, app } = await startHooklens(spy);
    const id = await captureSimple(server);
    const replay = (url: unknown) => request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url }).expect(400);
    expect((await replay('ftp://example.com/x')).body.error).toBe('refused: replay sends only to http and https URLs, not ftp:');
    expect((await replay('file:///etc/passwd')).body.error).toBe('refused: replay sends only to http and https URLs, not file:');
    expect((await replay('nowhere.invalid/x')).body.error).toBe('"url" must be an absolute http or https URL');
    expect((await replay('http://nowhere.invalid/')).body.error).toBe('cannot resolve nowhere.invalid: ENOTFOUND');
    expect(spy.dialled).toEqual([]);
  });

  it('refuses a public name only after resolving it: the connection goes to the checked address', async () => {
    const spy = spies({ 'public.example': ['93.184.216.34'] });
    const { server, app } = await startHooklens(spy);
    const id = await captureSimple(server);
    // The spy connector dials nothing; that it was called, pinned to the checked address, is what this shows.
    await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: 'https://public.example/in' }).expect(400);
    expect(spy.dialled).toHaveLength(1);
    expect(spy.dialled[0]).toMatchObject({ protocol: 'https:', host: 'public.example', method: 'POST', path: '/in/hook', agent: false });
    const pinned = await new Promise((resolve) => spy.dialled[0].lookup!('public.example', {}, (_e, address) => resolve(address)));
    expect(pinned).toBe('93.184.216.34');
  });
});

describe('POST /api/bins/:binId/requests/:id/replay: the call itself', () => {
  it('answers 400 naming "url" for a body without a string url, and 404 for an unknown bin or request', async () => {
    const spy = spies();
    const { server, app } = await startHooklens(spy);
    const id = await captureSimple(server);
    for (const body of [{ url: 5 }, {}, { url: null }]) {
      const res = await request(app).post(`/api/bins/b1/requests/${id}/replay`).send(body).expect(400);
      expect(res.body.error).toMatch(/^"url" must be a string/);
    }
    await request(app).post(`/api/bins/b1/requests/${id}/replay`).expect(400);
    expect((await request(app).post(`/api/bins/nope/requests/${id}/replay`).send({ url: 'http://x.example/' }).expect(404)).body.error).toMatch(/^no such /);
    const unknown = await request(app).post('/api/bins/b1/requests/999999/replay').send({ url: 'http://x.example/' }).expect(404);
    expect(unknown.body.error).toMatch(/^no such request/);
    await checkDocumented(app, 404, unknown.body);
    await request(app).post('/api/bins/b1/requests/abc/replay').send({ url: 'http://x.example/' }).expect(400);
    expect(spy.asked).toEqual([]);
    expect(spy.dialled).toEqual([]);
  });

  it('needs the access token like every /api call', async () => {
    const target = await startTarget();
    const { server, app } = await startHooklens({ allow: LOOPBACK, token: TOKEN });
    const id = await captureSimple(server);
    await request(app).post(`/api/bins/b1/requests/${id}/replay`).send({ url: target.url }).expect(401);
    expect(target.received).toEqual([]);
    await request(app).post(`/api/bins/b1/requests/${id}/replay`).set('Authorization', `Bearer ${TOKEN}`).send({ url: target.url }).expect(200);
    expect(target.received).toHaveLength(1);
  });
});
