import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/app';

let server: TestServer;
afterEach(() => server?.close());

/** A raw connection to the test server, and the server's side of it once accepted. */
async function open(): Promise<{ client: Socket; serverSide: Socket }> {
  const accepted = once(server.server, 'connection') as Promise<[Socket]>;
  const client = connect(server.port, '127.0.0.1');
  await once(client, 'connect');
  const [serverSide] = await accepted;
  return { client, serverSide };
}

/** Collects what the client receives until the server closes the connection. */
function readAll(client: Socket): Promise<string> {
  let text = '';
  client.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  return once(client, 'close').then(() => text);
}

describe('graceful stop', () => {
  it('closes a connection that never sent a byte, and answers one whose request was arriving', async () => {
    server = await startTestServer({ bins: ['bin'] });
    const idle = await open();
    const arriving = await open();
    const idleClosed = once(idle.client, 'close');
    const answer = readAll(arriving.client);
    arriving.client.write('POST /b/bin/late HTTP/1.1\r\nHost: x\r\nContent-Le');
    await expect.poll(() => arriving.serverSide.bytesRead).toBeGreaterThan(0);
    const stopped = server.stop();
    await idleClosed;
    arriving.client.write('ngth: 2\r\n\r\nok');
    expect(await answer).toMatch(/^HTTP\/1\.1 200 [^]*"ok":true/);
    await stopped;
    expect((await server.store.listRequests('bin', { limit: 5 })).requests.map((r) => r.path)).toEqual(['/late']);
  });

  it('follows no connection once aborted captures are gone', async () => {
    server = await startTestServer({ bins: ['bin'] });
    const aborted = await Promise.all(Array.from({ length: 20 }, () => open()));
    for (const { client } of aborted) client.write('POST /b/bin HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf');
    await Promise.all(aborted.map(({ serverSide }) => expect.poll(() => serverSide.bytesRead).toBeGreaterThan(50)));
    await Promise.all(aborted.map(({ client, serverSide }) => {
      const closed = once(serverSide, 'close');
      client.destroy();
      return closed;
    }));
    // The responses' own close events come after the sockets': let them run.
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.trackedConnections()).toBe(0);
  });
});
