import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useLiveServer, type LiveClient } from './helpers/live';

const TOKEN = 'live-stream-token-0123456789abcdef';

const live = useLiveServer();
const { start, connect } = live;
/** Sockets of refused upgrades; terminated after each test, before the server closes. */
const sockets: WebSocket[] = [];

afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

/** Tries an upgrade that the server should refuse; resolves with the HTTP answer, rejects if it opens. */
function refusal(url: string, options: WebSocket.ClientOptions = {}): Promise<{ status: number; body: { error?: string } }> {
  const ws = new WebSocket(url, options);
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', reject);
    ws.on('unexpected-response', (req, res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as { error?: string } });
      });
    });
  });
}

async function sessionCookie(): Promise<string> {
  const res = await fetch(`${live.server.url}/api/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: TOKEN }),
  });
  expect(res.status).toBe(204);
  return res.headers.getSetCookie()[0].split(';')[0];
}

/** Subscribes, captures one request and waits for it: the connection is really usable. */
async function expectLive(client: LiveClient): Promise<void> {
  client.send({ type: 'subscribe', binId: 'bin' });
  await client.sync();
  const res = await fetch(`${live.server.url}/b/bin`, { method: 'POST', body: '{"n":1}' });
  const { id } = (await res.json()) as { id: number };
  await client.until(() => client.requestIds('bin').includes(id));
}

describe('/api/live with a token set', () => {
  it('refuses an upgrade without a token with 401', async () => {
    const server = await start({ bins: ['bin'], config: { token: TOKEN } });
    const { status, body } = await refusal(server.liveUrl);
    expect(status).toBe(401);
    expect(body.error).toMatch(/token/);
  });

  it('refuses an upgrade with a wrong token, or a forged cookie, with 401', async () => {
    const server = await start({ bins: ['bin'], config: { token: TOKEN } });
    expect((await refusal(server.liveUrl, { headers: { Authorization: 'Bearer wrong-token-0123456789abcdef' } })).status).toBe(401);
    expect((await refusal(server.liveUrl, { headers: { Cookie: 'hooklens_session=1.AAAA' } })).status).toBe(401);
  });

  it('refuses upgrades with 429 after repeated wrong tokens, and still takes the right one', async () => {
    const server = await start({ bins: ['bin'], config: { token: TOKEN } });
    for (let i = 0; i < 10; i++) {
      expect((await refusal(server.liveUrl, { headers: { Authorization: `Bearer wrong-token-${i}-0123456789` } })).status).toBe(401);
    }
    expect((await refusal(server.liveUrl, { headers: { Authorization: 'Bearer wrong-token-again-0123456789' } })).status).toBe(429);
    await expectLive(await connect({ headers: { Authorization: `Bearer ${TOKEN}` } }));
  });

  it('closes a connection when its session signs out: at once here, at the next heartbeat on another instance', async () => {
    const server = await start({ bins: ['bin'], config: { token: TOKEN }, heartbeatMs: 100 });
    const [hereCookie, elsewhereCookie] = [await sessionCookie(), await sessionCookie()];
    const here = await connect({ headers: { Cookie: hereCookie } });
    const elsewhere = await connect({ headers: { Cookie: elsewhereCookie } });
    const bearer = await connect({ headers: { Authorization: `Bearer ${TOKEN}` } });
    const [hereClosed, elsewhereClosed] = [once(here.ws, 'close'), once(elsewhere.ws, 'close')];

    expect((await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { Cookie: hereCookie } })).status).toBe(204);
    const [code, reason] = (await hereClosed) as [number, Buffer];
    expect(code).toBe(1008);
    expect(reason.toString()).toMatch(/signed out/);
    // Signed out by another instance: the store knows, and this one asks it at each heartbeat.
    const digest = createHash('sha256').update(elsewhereCookie.split('=')[1]).digest('hex');
    await server.store.revokeSession(digest, Date.now() + 60_000, Date.now());
    expect(((await elsewhereClosed) as [number])[0]).toBe(1008);
    // The Bearer connection, and the token, stay.
    await expectLive(bearer);
  });

  it('accepts the Bearer token', async () => {
    await start({ bins: ['bin'], config: { token: TOKEN } });
    await expectLive(await connect({ headers: { Authorization: `Bearer ${TOKEN}` } }));
  });

  it('accepts the session cookie from its own origin', async () => {
    const server = await start({ bins: ['bin'], config: { token: TOKEN } });
    const cookie = await sessionCookie();
    await expectLive(await connect({ headers: { Cookie: cookie }, origin: server.url }));
  });

  it('refuses a valid session cookie sent from another site\'s page', async () => {
    const server = await start({ bins: ['bin'], config: { token: TOKEN } });
    const cookie = await sessionCookie();
    for (const origin of ['https://evil.example', `http://127.0.0.1.evil.example:${server.port}`, 'null']) {
      const { status, body } = await refusal(server.liveUrl, { headers: { Cookie: cookie }, origin });
      expect(status).toBe(403);
      expect(body.error).toMatch(/own pages/);
    }
  });
});

describe('/api/live in open loopback mode', () => {
  it('accepts a connection addressed to localhost, and refuses another Host with 401', async () => {
    const server = await start({ bins: ['bin'] });
    await expectLive(await connect({ origin: server.url }));
    const { status, body } = await refusal(server.liveUrl, { headers: { Host: 'evil.example' } });
    expect(status).toBe(401);
    expect(body.error).toMatch(/--token/);
  });

  it('refuses a page of another site (a browser sends the Origin) with 403', async () => {
    const server = await start({ bins: ['bin'] });
    expect((await refusal(server.liveUrl, { origin: 'https://evil.example' })).status).toBe(403);
  });
});

describe('/api/live limits', () => {
  it('closes a connection that sends a message larger than maxPayload with 1009', async () => {
    await start({ bins: ['bin'], config: { token: TOKEN } });
    const client = await connect({ headers: { Authorization: `Bearer ${TOKEN}` } });
    const closed = once(client.ws, 'close') as Promise<[number, Buffer]>;
    client.send(JSON.stringify({ type: 'subscribe', binId: 'bin', padding: 'x'.repeat(64 * 1024) }));
    const [code] = await closed;
    expect(code).toBe(1009);
  });
});
