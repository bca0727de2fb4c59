import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bin, RequestSummary } from '../shared/types';
import { makeTestApp, startTestServer, type TestServer } from './helpers/app';
import { dropSchema, freshSchemaUrl, pgSuite } from './helpers/pg';
import { sendRaw } from './helpers/raw';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(): Promise<TestServer> {
  const started = await startTestServer({ bins: ['zd'] });
  servers.push(started);
  return started;
}

async function setResponse(s: TestServer, response: unknown): Promise<Bin> {
  const res = await request(s.app).patch('/api/bins/zd').send({ response }).expect(200);
  return res.body as Bin;
}

async function latest(s: TestServer): Promise<RequestSummary> {
  const res = await request(s.app).get('/api/bins/zd/requests?limit=1').expect(200);
  return (res.body as { requests: RequestSummary[] }).requests[0];
}

/** POSTs `body` to the capture URL with Node's http and resolves with the status, raw header pairs and body. */
function post(s: TestServer, path: string, body: string, headers: Record<string, string> = {}):
  Promise<{ status: number; rawHeaders: string[]; body: Buffer; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${s.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode!, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), ms: performance.now() - started,
      }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('a bin response', () => {
  it('answers the status, the headers in order and case with {id} replaced, and the text body, after storing the request', async () => {
    const s = await server();
    const bin = await setResponse(s, {
      status: 401, headers: [['WWW-Authenticate', 'Basic realm="hooklens"'], ['x-REQUEST', 'req-{id}'], ['X-Dup', 'a'], ['X-Dup', 'b']],
      body: 'denied {id}',
    });
    expect(bin.response).toEqual({
      status: 401, headers: [['WWW-Authenticate', 'Basic realm="hooklens"'], ['x-REQUEST', 'req-{id}'], ['X-Dup', 'a'], ['X-Dup', 'b']],
      body: 'denied {id}', delayMs: 0,
    });
    const answer = await post(s, '/b/zd/hook', '{"ticket":1}');
    const stored = await latest(s);
    expect(answer.status).toBe(401);
    expect(answer.body.toString()).toBe(`denied ${stored.id}`);
    const pairs = [];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) pairs.push([answer.rawHeaders[i], answer.rawHeaders[i + 1]]);
    expect(pairs.slice(2, 6)).toEqual([['WWW-Authenticate', 'Basic realm="hooklens"'], ['x-REQUEST', `req-${stored.id}`], ['X-Dup', 'a'], ['X-Dup', 'b']]);
    expect(pairs).toContainEqual(['Content-Type', 'text/plain; charset=utf-8']);
    expect(pairs).toContainEqual(['X-Content-Type-Options', 'nosniff']);
    expect(pairs).toContainEqual(['Content-Security-Policy', 'sandbox']);
    expect(pairs).toContainEqual(['Content-Length', String(answer.body.length)]);
    expect(stored).toMatchObject({ path: '/hook', status: 401 });
  });

  it('sends a base64 body as bytes (octet-stream without a Content-Type), {id} left alone', async () => {
    const s = await server();
    const bytes = Buffer.from([0, 255, 0x7b, 0x69, 0x64, 0x7d, 10]);
    await setResponse(s, { status: 202, body: { base64: bytes.toString('base64') } });
    const answer = await post(s, '/b/zd', '{}');
    expect(answer.status).toBe(202);
    expect(answer.body.equals(bytes)).toBe(true);
    expect(answer.rawHeaders).toContain('application/octet-stream');
  });

  it('keeps the default JSON body when only the status is set, and answers 204 without a body', async () => {
    const s = await server();
    await setResponse(s, { status: 500 });
    const failed = await post(s, '/b/zd', '{}');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body.toString())).toEqual({ ok: true, id: (await latest(s)).id });
    await setResponse(s, { status: 204, body: 'ignored' });
    const empty = await sendRaw(s.port, 'POST /b/zd HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(empty.status).toBe(204);
    expect(empty.body).toBe('');
    expect((await latest(s)).status).toBe(204);
  });

  it('waits delayMs before answering, with the request already stored', async () => {
    const s = await server();
    await setResponse(s, { status: 200, body: 'late', delayMs: 600 });
    const pending = post(s, '/b/zd', '{"slow":true}');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await latest(s))?.size).toBe(13);
    const answer = await pending;
    expect(answer.body.toString()).toBe('late');
    expect(answer.ms).toBeGreaterThanOrEqual(550);
  });

  it('sends a 1xx setting as an interim answer, then the default final one (stored as what was answered)', async () => {
    const s = await server();
    await setResponse(s, { status: 102, headers: [['X-Step', 'one-{id}']] });
    const res = await sendRaw(s.port, 'POST /b/zd HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    const { id } = await latest(s);
    // sendRaw splits at the first blank line: the interim answer's.
    expect(res.head).toBe(`HTTP/1.1 102 Processing\r\nX-Step: one-${id}`);
    const final = res.body.split('\r\n\r\n');
    expect(final[0]).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(JSON.parse(final[1])).toEqual({ ok: true, id });
    expect((await latest(s)).status).toBe(200);
  });

  it('puts the sandbox headers first, so that an owner-set X-Content-Type-Options cannot come before nosniff', async () => {
    const s = await server();
    await setResponse(s, { status: 200, headers: [['X-Content-Type-Options', 'none'], ['Content-Type', 'text/html']], body: '<script>1</script>' });
    const answer = await post(s, '/b/zd', '{}');
    const sniff = answer.rawHeaders.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === 'x-content-type-options' ? [answer.rawHeaders[i + 1]] : []));
    expect(sniff).toEqual(['nosniff', 'none']);
    expect(answer.rawHeaders.slice(0, 4)).toEqual(['X-Content-Type-Options', 'nosniff', 'Content-Security-Policy', 'sandbox']);
  });

  it('answers at once the captures waiting out a delay when the server stops (they are stored)', async () => {
    const s = await server();
    await setResponse(s, { status: 429, body: 'slow down', delayMs: 30_000 });
    const pending = post(s, '/b/zd', '{}');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    await s.stop();
    const answer = await pending;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(answer.status).toBe(429);
    expect(answer.body.toString()).toBe('slow down');
  });

  it('logs and counts a delayed capture whose sender left before the answer', async () => {
    const lines: string[] = [];
    const s = await startTestServer({ bins: ['zd'], log: (line) => lines.push(line) });
    servers.push(s);
    await setResponse(s, { status: 500, delayMs: 300 });
    const req = httpRequest(`${s.url}/b/zd`, { method: 'POST' });
    req.on('error', () => {});
    req.end('{}');
    await new Promise((resolve) => setTimeout(resolve, 100));
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lines).toEqual([expect.stringMatching(/→ 500/)]);
  });

  it('lets a 413 win over the setting, and stores the status it answered', async () => {
    const s = await startTestServer({ bins: ['zd'], config: { maxBody: 10 } });
    servers.push(s);
    await setResponse(s, { status: 401 });
    const answer = await post(s, '/b/zd', '{"much more than ten bytes":1}');
    expect(answer.status).toBe(413);
    expect(await latest(s)).toMatchObject({ status: 413 });
  });

  it('restores the default with null, and reports it on the bin', async () => {
    const s = await server();
    await setResponse(s, { status: 503 });
    expect((await setResponse(s, null)).response).toBeNull();
    const answer = await post(s, '/b/zd', '{}');
    expect(answer.status).toBe(200);
    expect(answer.rawHeaders).toContain('nosniff');
    expect((await request(s.app).get('/api/bins/zd').expect(200)).body.response).toBeNull();
    // Renaming leaves the setting as it is.
    await setResponse(s, { status: 418 });
    const renamed = await request(s.app).patch('/api/bins/zd').send({ name: 'teapot' }).expect(200);
    expect(renamed.body.response).toMatchObject({ status: 418 });
  });

  it.each([
    [{ status: 101 }, '"response.status" must be an integer from 100 to 599, except 101'],
    [{ status: 600 }, '"response.status"'],
    [{ status: '200' }, '"response.status"'],
    [{ delayMs: 30_001 }, '"response.delayMs" must be an integer from 0 to 30000'],
    [{ headers: [['Content-Length', '5']] }, '"response.headers[0]": Content-Length is set by hooklens'],
    [{ headers: [['Transfer-Encoding', 'chunked']] }, 'Transfer-Encoding is set by hooklens'],
    [{ headers: [['ok', 'fine'], ['Bad Name', 'x']] }, '"response.headers[1]": "Bad Name" is not a header name'],
    [{ headers: [['X-Split', 'a\r\nSet-Cookie: evil=1']] }, '"response.headers[0]": the value holds a line break'],
    [{ headers: [['X-Emoji', '😀']] }, 'beyond U+00FF'],
    [{ headers: { 'X-A': '1' } }, '"response.headers" must be an array of [name, value] pairs'],
    [{ body: 5 }, '"response.body" must be a string (UTF-8) or {"base64": "…"}'],
    [{ body: { base64: 'not base64!' } }, '"response.body.base64" is not base64'],
    [{ body: 'x'.repeat(256 * 1024 + 1) }, '"response.body" is larger than 262144 bytes'],
    [{ sttaus: 200 }, '"response.sttaus" is not a setting'],
    ['401', '"response" must be an object'],
  ])('refuses %j with a 400 naming the field, and changes nothing', async (response, message) => {
    const { app } = await makeTestApp({ bins: ['zd'] });
    await request(app).patch('/api/bins/zd').send({ response: { status: 429, headers: [['Retry-After', '5']] } }).expect(200);
    const res = await request(app).patch('/api/bins/zd').send({ response, name: 'changed' }).expect(400);
    expect(res.body.error).toContain(message);
    const bin = (await request(app).get('/api/bins/zd').expect(200)).body as Bin;
    expect(bin).toMatchObject({ name: 'zd', response: { status: 429, headers: [['Retry-After', '5']], delayMs: 0 } });
  });

});

pgSuite('a bin response on PostgreSQL', () => {
  let url: string;
  beforeAll(async () => {
    url = await freshSchemaUrl();
  });
  afterAll(async () => {
    await dropSchema(url);
  });

  it('set through one instance, answers captures on another within a second', async () => {
    const a = await startTestServer({ config: { db: url }, bins: ['shared'] });
    const b = await startTestServer({ config: { db: url } });
    servers.push(a, b);
    const before = await fetch(`${b.url}/b/shared`, { method: 'POST', body: '{}' });
    expect(before.status).toBe(200);
    await request(a.app).patch('/api/bins/shared').send({ response: { status: 503, headers: [['Retry-After', '9']] } }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = await fetch(`${b.url}/b/shared`, { method: 'POST', body: '{}' });
    expect(after.status).toBe(503);
    expect(after.headers.get('retry-after')).toBe('9');
    const listed = (await request(b.app).get('/api/bins/shared/requests').expect(200)).body as { requests: RequestSummary[] };
    expect(listed.requests.map((r) => r.status)).toEqual([503, 200]);
  });
});

describe('the relay key', () => {
  it('is rotated by POST /api/bins/{binId}/relay-key, which answers the bin with its new relay URL', async () => {
    const { app } = await makeTestApp({ bins: ['zd'] });
    const before = (await request(app).get('/api/bins/zd').expect(200)).body as Bin;
    expect(before.relayUrl).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/relay\/[\w-]{32}$/);
    const after = (await request(app).post('/api/bins/zd/relay-key').expect(200)).body as Bin;
    expect(after.relayUrl).toMatch(/\/relay\/[\w-]{32}$/);
    expect(after.relayUrl).not.toBe(before.relayUrl);
    await request(app).post('/api/bins/nope/relay-key').expect(404);
  });
});
