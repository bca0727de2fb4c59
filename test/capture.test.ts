import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../shared/types';
import { makeTestApp, startTestServer, type TestApp, type TestServer } from './helpers/app';
import { sendRaw } from './helpers/raw';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function fetchCaptured(app: TestApp['app'], binId: string, id: number): Promise<CapturedRequest> {
  const res = await request(app).get(`/api/bins/${binId}/requests/${id}`).expect(200);
  return res.body as CapturedRequest;
}

describe('ANY /b/:binId', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('captures %s and answers {ok, id} after storing it', async (method) => {
    const { app } = await makeTestApp({ bins: ['zd'] });
    const res = await request(app)[method.toLowerCase() as 'get'](`/b/zd/hooks/ticket?x=1&y=%20`).send(method === 'GET' ? undefined : '{"a":1}');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ ok: true, id: expect.any(Number) });
    const captured = await fetchCaptured(app, 'zd', res.body.id);
    expect(captured).toMatchObject({ method, path: '/hooks/ticket', query: 'x=1&y=%20', url: '/b/zd/hooks/ticket?x=1&y=%20', binId: 'zd' });
  });

  it('captures HEAD and stores it though the answer has no body', async () => {
    const { app, store } = await makeTestApp({ bins: ['zd'] });
    await request(app).head('/b/zd').expect(200);
    const { requests } = (await store.listRequests('zd', { limit: 10 }));
    expect(requests.map((r) => [r.method, r.path])).toEqual([['HEAD', '/']]);
  });

  it('keeps header order, case and duplicates exactly as received, and the request-target as sent', async () => {
    const server = await startTestServer({ bins: ['raw'] });
    try {
      const res = await sendRaw(server.port, [
        'POST /b/raw/a//b/%7e?q=1&q=2&empty= HTTP/1.1',
        'Host: 127.0.0.1',
        'X-MiXeD-CaSe: One',
        'x-zendesk-webhook-id: 01F1KRFQ6BG29CNWFR60NK5FNY',
        'X-Dup: first',
        'Accept: */*',
        'X-Dup: second',
        'Content-Length: 2',
        'Connection: close',
        '',
        'hi',
      ].join('\r\n'));
      expect(res.status).toBe(200);
      const id = JSON.parse(res.body).id as number;
      const captured = await fetchCaptured(server.app, 'raw', id);
      expect(captured.url).toBe('/b/raw/a//b/%7e?q=1&q=2&empty=');
      expect(captured.path).toBe('/a//b/%7e');
      expect(captured.query).toBe('q=1&q=2&empty=');
      expect(captured.httpVersion).toBe('1.1');
      expect(captured.headers).toEqual([
        ['Host', '127.0.0.1'],
        ['X-MiXeD-CaSe', 'One'],
        ['x-zendesk-webhook-id', '01F1KRFQ6BG29CNWFR60NK5FNY'],
        ['X-Dup', 'first'],
        ['Accept', '*/*'],
        ['X-Dup', 'second'],
        ['Content-Length', '2'],
        ['Connection', 'close'],
      ]);
      expect(captured.remoteAddress).toMatch(/127\.0\.0\.1/);
    } finally {
      await server.close();
    }
  });

  it('round-trips a body with NUL and 0xFF bytes byte for byte', async () => {
    const { app } = await makeTestApp({ bins: ['bin'] });
    const body = Buffer.from([0x00, 0xff, 0x10, 0x00, 0xfe, 0x80, 0x7f, 0x00]);
    const res = await request(app).post('/b/bin').set('Content-Type', 'application/octet-stream').send(body).expect(200);
    const captured = await fetchCaptured(app, 'bin', res.body.id);
    expect(captured.body.sha256).toBe(sha256(body));
    expect(Buffer.from(captured.body.base64, 'base64').equals(body)).toBe(true);
    expect(captured.body.text).toBeNull();
    expect(captured.size).toBe(body.length);
    const download = await request(app).get(`/api/bins/bin/requests/${res.body.id}/body`).buffer(true)
      .parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); });
    expect(sha256(download.body as Buffer)).toBe(sha256(body));
  });

  it('gives text null for a body that is not UTF-8, and the text for one that is', async () => {
    const { app } = await makeTestApp({ bins: ['bin'] });
    const latin1 = await request(app).post('/b/bin').set('Content-Type', 'text/plain').send(Buffer.from('caf\xe9', 'latin1'));
    expect((await fetchCaptured(app, 'bin', latin1.body.id)).body.text).toBeNull();
    const utf8 = await request(app).post('/b/bin').set('Content-Type', 'text/plain').send(Buffer.from('café ✓', 'utf8'));
    expect((await fetchCaptured(app, 'bin', utf8.body.id)).body.text).toBe('café ✓');
  });

  it('answers 413 and keeps the first bytes when the body is too large', async () => {
    const { app } = await makeTestApp({ bins: ['bin'], config: { maxBody: 1024 } });
    const body = Buffer.alloc(5000, 'abcdefghij');
    const res = await request(app).post('/b/bin').set('Content-Type', 'text/plain').send(body);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'body larger than 1024 bytes', id: expect.any(Number) });
    const captured = await fetchCaptured(app, 'bin', res.body.id);
    expect(captured.body.truncated).toBe(true);
    expect(captured.size).toBe(5000);
    expect(Buffer.from(captured.body.base64, 'base64').equals(body.subarray(0, 1024))).toBe(true);
    expect(captured.headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1]).toBe('5000');
  });

  it('stores a body of exactly the limit whole', async () => {
    const { app } = await makeTestApp({ bins: ['bin'], config: { maxBody: 1024 } });
    const res = await request(app).post('/b/bin').send(Buffer.alloc(1024, 'x')).expect(200);
    expect((await fetchCaptured(app, 'bin', res.body.id)).body.truncated).toBe(false);
  });

  it('answers 404 for an unknown bin and stores nothing', async () => {
    const { app, store } = await makeTestApp({ bins: ['bin'] });
    const res = await request(app).post('/b/nope/x').send('{}').expect(404);
    expect(res.body).toEqual({ error: 'no such bin: nope' });
    await request(app).post('/b/bad%20id').send('{}').expect(404);
    for (const path of ['/b', '/b/', '/b//x']) {
      const res = await request(app).post(path).send('{}').expect(404);
      expect(res.body).toEqual({ error: 'no bin id: capture URLs are /b/<binId>' });
    }
    expect((await store.getBin('bin')).requestCount).toBe(0);
  });

  it('captures a chunked body without Content-Length', async () => {
    const server: TestServer = await startTestServer({ bins: ['bin'] });
    try {
      const res = await sendRaw(server.port, 'POST /b/bin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
      expect(res.status).toBe(200);
      const captured = await fetchCaptured(server.app, 'bin', JSON.parse(res.body).id);
      expect(captured.body.text).toBe('hello world');
    } finally {
      await server.close();
    }
  });

  it('answers 503 and stores nothing when bodies in flight would pass the memory budget, and gives the room back', async () => {
    const { app, store } = await makeTestApp({ bins: ['bin'], config: { maxBody: 10_000 }, bodyBudget: 3000 });
    const res = await request(app).post('/b/bin').send(Buffer.alloc(5000, 'x')).expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error).toMatch(/^too many large bodies are arriving at once/);
    expect((await store.getBin('bin')).requestCount).toBe(0);
    for (let i = 0; i < 3; i++) await request(app).post('/b/bin').send(Buffer.alloc(900, 'y')).expect(200);
    expect((await store.getBin('bin')).requestCount).toBe(3);
  });

  it('shows a UTF-8 header value decoded, keeps a Latin-1 one as it is, and /raw keeps the bytes', async () => {
    const server = await startTestServer({ bins: ['raw'] });
    try {
      const head = Buffer.from('POST /b/raw HTTP/1.1\r\nHost: x\r\nX-Utf8: caf', 'latin1');
      const res = await sendRaw(server.port, Buffer.concat([head, Buffer.from('é', 'utf8'), Buffer.from('\r\nX-Latin1: caf\xe9\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 'latin1')]));
      const id = JSON.parse(res.body).id as number;
      const captured = await fetchCaptured(server.app, 'raw', id);
      expect(captured.headers).toContainEqual(['X-Utf8', 'café']);
      expect(captured.headers).toContainEqual(['X-Latin1', 'caf\u00e9']);
      const raw = await request(server.app).get(`/api/bins/raw/requests/${id}/raw`).buffer(true)
        .parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); });
      expect((raw.body as Buffer).includes(Buffer.from('X-Utf8: caf\u00c3\u00a9', 'latin1'))).toBe(true);
      expect((raw.body as Buffer).includes(Buffer.from('X-Latin1: caf\xe9\r\n', 'latin1'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('answers a WebSocket upgrade to a capture URL with a JSON 400 instead of dropping it', async () => {
    const server = await startTestServer({ bins: ['bin'] });
    try {
      const res = await sendRaw(server.port, 'GET /b/bin/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error).toMatch(/^capture does not take WebSocket upgrades/);
    } finally {
      await server.close();
    }
  });

  it('gives back the room a capture held when it passes the budget midway or is aborted', async () => {
    const server = await startTestServer({ bins: ['bin'], config: { maxBody: 10_000 }, bodyBudget: 3000 });
    const open = async () => {
      const accepted = once(server.server, 'connection') as Promise<[Socket]>;
      const client = connect(server.port, '127.0.0.1');
      const [serverSide] = await accepted;
      return { client, serverSide };
    };
    const head = (length: number) => `POST /b/bin HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
    try {
      // 600 bytes take 1800 of the budget (three times their bytes); 600 more would pass it: 503, and all is given back.
      const overflow = await open();
      const answer = new Promise<string>((resolve) => {
        let text = '';
        overflow.client.on('data', (c: Buffer) => (text += c.toString())).on('close', () => resolve(text));
      });
      overflow.client.write(head(1200) + 'a'.repeat(600));
      await expect.poll(() => overflow.serverSide.bytesRead).toBeGreaterThan(600);
      overflow.client.end('b'.repeat(600));
      expect(await answer).toMatch(/^HTTP\/1\.1 503/);
      // An aborted capture gives its bytes back too.
      const aborted = await open();
      aborted.client.write(head(1000) + 'c'.repeat(900));
      await expect.poll(() => aborted.serverSide.bytesRead).toBeGreaterThan(900);
      const closed = once(aborted.serverSide, 'close');
      aborted.client.destroy();
      await closed;
      // Were any of those bytes still counted, 900 more (2700 of the budget) would not fit in 3000.
      expect((await sendRaw(server.port, head(900) + 'd'.repeat(900))).status).toBe(200);
      expect((await sendRaw(server.port, head(900) + 'e'.repeat(900))).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
