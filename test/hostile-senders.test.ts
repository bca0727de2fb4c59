import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './helpers/app';
import { sendRaw } from './helpers/raw';

let server: TestServer | undefined;
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];

afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

/** Forces a full collection, so that what is measured is what is held, not garbage not yet collected. */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Memory that holding bodies would grow: the JS heap and the Buffers outside it. */
function heldBytes(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function headerLines(count: number): string {
  return Array.from({ length: count }, (_, i) => `X-Header-${i}: value-${i}\r\n`).join('');
}

describe('a slow sender', () => {
  it('is disconnected when its headers trickle in a byte a second, long before they are complete', async () => {
    server = await startTestServer({ bins: ['bin'], headersTimeoutMs: 1000 });
    const request = Buffer.from(`POST /b/bin HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'s'.repeat(100)}\r\nContent-Length: 0\r\n\r\n`);
    const socket = connect(server.port, '127.0.0.1');
    sockets.push(socket);
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => {});
    let sent = 0;
    // The sender, not a wait: one byte a second, as a Slowloris client does.
    const drip = (): void => void (sent < request.length && socket.write(request.subarray(sent, ++sent)));
    drip();
    timers.push(setInterval(drip, 1000));
    await once(socket, 'close');
    // Ordering, not timing: the server hung up while most of the headers were still to come.
    expect(sent).toBeLessThan(request.length / 2);
    expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 408 /);
    expect((await server.store.getBin('bin')).requestCount).toBe(0);
  });
});

describe('senders that announce large bodies and send nothing', () => {
  it('hold none of the body budget: a capture with a body still gets in', async () => {
    const maxBody = 10 * 1024 * 1024;
    server = await startTestServer({ bins: ['bin'], config: { maxBody }, bodyBudget: 3 * maxBody });
    for (let i = 0; i < 6; i++) {
      const socket = connect(server.port, '127.0.0.1');
      sockets.push(socket);
      socket.on('error', () => {});
      await once(socket, 'connect');
      socket.write(`POST /b/bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${maxBody}\r\n\r\nx`);
    }
    // The six are read (their one byte each) before this one: each connection is served in turn.
    await vi.waitFor(() => expect(server!.trackedConnections()).toBeGreaterThanOrEqual(6));
    const res = await fetch(`${server.url}/b/bin`, { method: 'POST', body: 'k'.repeat(1024) });
    expect(res.status).toBe(200);
  });
});

describe('oversized headers', () => {
  it('answers 431 to more than 500 header lines, and stores nothing', async () => {
    server = await startTestServer({ bins: ['bin'] });
    const res = await sendRaw(server.port, `GET /b/bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headerLines(499)}\r\n`);
    expect(res.status).toBe(431);
    expect(res.head).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(res.body)).toEqual({ error: expect.any(String) });
    expect((await server.store.getBin('bin')).requestCount).toBe(0);
  });

  it('takes exactly 500 header lines, every one of them stored', async () => {
    server = await startTestServer({ bins: ['bin'] });
    const res = await sendRaw(server.port, `GET /b/bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headerLines(498)}\r\n`);
    expect(res.status).toBe(200);
    const { id } = JSON.parse(res.body) as { id: number };
    expect((await server.store.getRequest('bin', id)).headers).toHaveLength(500);
  });

  it('answers 431 to more than 64 KB of headers, on capture and on the API', async () => {
    server = await startTestServer({ bins: ['bin'] });
    for (const path of ['/b/bin', '/api/bins', '/api/live']) {
      const res = await sendRaw(server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Big: ${'b'.repeat(65 * 1024)}\r\n\r\n`);
      expect(res.status).toBe(431);
      expect(res.body).not.toContain('bbbb');
    }
    expect((await server.store.getBin('bin')).requestCount).toBe(0);
  });
});

describe('malformed requests', () => {
  it('answers 400 JSON to a malformed request line', async () => {
    server = await startTestServer({ bins: ['bin'] });
    for (const line of ['GARBAGE\r\n\r\n', 'GET /b/bin HTTP/9.9\r\n\r\n', 'GET  HTTP/1.1\r\n\r\n', 'GET /b/b in HTTP/1.1\r\nHost: x\r\n\r\n']) {
      const res = await sendRaw(server.port, line);
      expect(res.status).toBe(400);
      expect(res.head).toMatch(/content-type: application\/json/i);
      expect(JSON.parse(res.body)).toEqual({ error: expect.any(String) });
    }
  });

  it('does not echo a header value in the error for a malformed header', async () => {
    server = await startTestServer({ bins: ['bin'] });
    const secret = 'sk_live_hostile0123456789abcdef';
    const res = await sendRaw(server.port, `POST /b/bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${secret}\x01\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(res.head + res.body).not.toContain(secret);
  });
});

describe('a flood of large bodies', () => {
  it('answers 50 concurrent 2 MB posts 413, keeps the first 64 KB of each, and holds far less than it was sent', async () => {
    const maxBody = 64 * 1024;
    server = await startTestServer({ bins: ['bin'], config: { maxBody } });
    const body = Buffer.alloc(2 * 1024 * 1024, 'x');
    body.write('first-bytes');
    const senders = 50;
    collectGarbage();
    const before = heldBytes();
    let peak = before;
    const post = (): Promise<{ status: number; id: number }> => new Promise((resolve, reject) => {
      const req = httpRequest(`${server!.url}/b/bin`, { method: 'POST', agent: false, headers: { 'Content-Length': body.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          // While the rest of the flood is still arriving: what the server holds for it at this moment.
          collectGarbage();
          peak = Math.max(peak, heldBytes());
          resolve({ status: res.statusCode ?? 0, id: (JSON.parse(Buffer.concat(chunks).toString()) as { id: number }).id });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
    const answers = await Promise.all(Array.from({ length: senders }, post));
    collectGarbage();
    const after = heldBytes();

    expect(answers.every((a) => a.status === 413)).toBe(true);
    for (const { id } of answers) {
      const stored = (await server.store.getRequest('bin', id));
      expect(stored).toMatchObject({ truncated: true, size: body.length });
      expect(stored.body.length).toBe(maxBody);
      expect(stored.body.subarray(0, 11).toString()).toBe('first-bytes');
    }
    const sent = senders * body.length;
    // Bounded, not measured to the byte: what is held during the flood (sampled as each answer arrives) and
    // after it stays a small fraction of the 100 MB that arrived.
    expect(after - before).toBeLessThan(sent * 0.1);
    expect(peak - before).toBeLessThan(sent * 0.25);
  });
});
