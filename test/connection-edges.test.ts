import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './helpers/app';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Writes `bytes` on one connection and resolves with everything the server sent until it closed it (or 3 s). */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 3_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes);
  });
}

/** The status lines of the responses, in order (a body is not followed by a line break). */
const statusLines = (text: string): string[] => [...text.matchAll(/HTTP\/1\.1 \d{3} [^\r]*/g)].map((m) => m[0]);

describe('one connection, several requests', () => {
  it('answers a stored request 200 although the next one on the same connection is malformed, then 400', async () => {
    server = await startTestServer({ bins: ['bin'] });
    const good = 'POST /b/bin/first HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"a":"b"}';
    const bad = 'POST /b/bin/second HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n';
    const answered = await exchange(server.port, good + bad);
    expect(statusLines(answered)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 400 Bad Request']);
    const stored = await server.store.listRequests('bin', { limit: 10 });
    expect(stored.requests.map((r) => r.path)).toEqual(['/first']);
  });

  it('answers every request before the malformed one, however long each takes, then it, once, whatever follows', async () => {
    server = await startTestServer({ bins: ['bin'] });
    const post = (bin: string, n: number) => `POST /b/${bin}/${n} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n${n}`;
    const junk = 'NOT HTTP AT ALL\r\n'.repeat(40);
    // The 404 is answered at once; the capture after it only once committed, after the 404 has finished.
    const answered = await exchange(server.port, post('nope', 1) + post('bin', 2) + junk);
    expect(statusLines(answered)).toEqual(['HTTP/1.1 404 Not Found', 'HTTP/1.1 200 OK', 'HTTP/1.1 400 Bad Request']);
    expect((await server.store.listRequests('bin', { limit: 10 })).requests.map((r) => r.path)).toEqual(['/2']);
  });

  it('answers pipelined good requests in order, each after its commit', async () => {
    server = await startTestServer({ bins: ['bin'] });
    const one = (n: number) => `POST /b/bin/${n} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n${n}`;
    const answered = await exchange(server.port, one(1) + one(2) + one(3).replace('Host: x', 'Host: x\r\nConnection: close'));
    expect(statusLines(answered)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
    const ids = [...answered.matchAll(/"id":(\d+)/g)].map((m) => Number(m[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('CONNECT', () => {
  it('is answered 405 with a JSON reason, not left without an answer', async () => {
    server = await startTestServer({ bins: ['bin'] });
    const answered = await exchange(server.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(statusLines(answered)).toEqual(['HTTP/1.1 405 Method Not Allowed']);
    expect(answered).toMatch(/\{"error":"hooklens is not a proxy: CONNECT is not supported[^"]*"\}/);
  });
});

describe('connections from one address', () => {
  it('are limited to its share: the idle sockets past it get 503, and other senders still get in', async () => {
    server = await startTestServer({ bins: ['bin'], connectionsPerAddress: 20 });
    const opened = await Promise.all(Array.from({ length: 25 }, () => new Promise<{ socket: Socket; answer: Promise<string> }>((resolve) => {
      // Another loopback address than the legitimate sender below: Linux routes all of 127/8 to lo.
      const socket = connect({ port: server!.port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => resolve({ socket, answer }));
      const answer = new Promise<string>((done) => {
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('close', () => done(text));
      });
    })));
    try {
      // The refused ones are answered and closed at once; the others stay open, idle.
      const isClosed = (o: (typeof opened)[number]): boolean => o.socket.destroyed || o.socket.readableEnded;
      await vi.waitFor(() => expect(opened.filter(isClosed)).toHaveLength(5));
      const closed = opened.filter(isClosed);
      for (const o of closed) expect(await o.answer).toMatch(/^HTTP\/1\.1 503 .*more than 20 open connections from this address/s);
      const res = await fetch(`${server.url}/b/bin`, { method: 'POST', body: 'still in' });
      expect(res.status).toBe(200);
      // Once some close, that address may connect again.
      const connections = (): Promise<number> => new Promise((resolve, reject) => server!.server.getConnections((err, count) => (err ? reject(err) : resolve(count))));
      const before = await connections();
      opened.filter((o) => !closed.includes(o)).slice(0, 3).forEach((o) => o.socket.destroy());
      await vi.waitFor(async () => expect(await connections()).toBe(before - 3));
      const again = connect({ port: server.port, host: '127.0.0.1', localAddress: '127.0.0.2' });
      again.write('POST /b/bin HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx');
      const text = await new Promise<string>((resolve) => {
        let out = '';
        again.on('data', (chunk) => (out += chunk.toString()));
        again.on('close', () => resolve(out));
      });
      expect(text).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      for (const o of opened) o.socket.destroy();
    }
  });
});
