import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
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
