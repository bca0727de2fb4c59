import { once } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { useServerProcesses } from './helpers/process';
import WebSocket from 'ws';
import type { createApp } from '../server/app';
import { captureLogLine } from '../server/capture/log-line';
import { makeTestApp, type TestApp } from './helpers/app';
import { sendRaw } from './helpers/raw';


const { tmpDb, startServer, stopAndRead } = useServerProcesses('hooklens-logs-');
const apps: TestApp[] = [];

afterEach(async () => {
  for (const t of apps.splice(0)) await t.store.close();
});

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const b64url = (text: string): string => Buffer.from(text).toString('base64url');

/** Every form a secret could leak in: as is, base64 and base64url of it, and of the Basic pair it was sent in. */
function leakForms(secrets: string[], basicPairs: string[]): string[] {
  return [...secrets, ...secrets.flatMap((s) => [b64(s), b64url(s)]), ...basicPairs.map(b64), ...basicPairs.map(b64url)];
}

const SECRETS = {
  zendeskToken: 'ZdTok3nAbCdEfGhIjKlMnOpQrStUvWxYz0123456',
  bearer: 'ghp_LogSecretBearer0123456789abcdefABCDEF',
  apiKey: 'xk_live_apikey_9f8e7d6c5b4a39281706f5e4',
  queryKey: 'qk_3b9f1c2d8e7a6b5c4d3e2f1a0b9c8d7e',
  queryToken: 'qt_a1b2c3d4e5f60718293a4b5c6d7e8f90',
  serverToken: 'the-servers-own-token-0f1e2d3c4b5a69788796',
};
const BASIC_PAIR = `jdoe@example.com/token:${SECRETS.zendeskToken}`;

describe('the server log', () => {
  it('holds none of the credential values sent to capture, API and error paths, nor their base64 forms', async () => {
    const server = await startServer(['--db', tmpDb(), '--max-body', '1kb'], { HOOKLENS_TOKEN: SECRETS.serverToken });
    const auth = { Authorization: `Bearer ${SECRETS.serverToken}` };
    const bins = (await (await fetch(`${server.url}/api/bins`, { headers: auth })).json()) as { bins: { id: string }[] };
    const bin = bins.bins[0].id;
    const query = `?api_key=${SECRETS.queryKey}&token=${SECRETS.queryToken}`;
    const credentialHeaders: Record<string, string>[] = [
      { Authorization: `Basic ${b64(BASIC_PAIR)}` },
      { Authorization: `Bearer ${SECRETS.bearer}` },
      { 'X-API-Key': SECRETS.apiKey },
    ];
    const statuses: number[] = [];
    const send = async (path: string, init: RequestInit): Promise<void> => {
      const res = await fetch(`${server.url}${path}`, init);
      await res.arrayBuffer();
      statuses.push(res.status);
    };
    for (const headers of credentialHeaders) {
      // Stored, then too large, then to a bin that does not exist.
      await send(`/b/${bin}/hook${query}`, { method: 'POST', headers, body: '{"ok":true}' });
      await send(`/b/${bin}${query}`, { method: 'POST', headers, body: 'x'.repeat(4096) });
      await send(`/b/no-such-bin/x${query}`, { method: 'POST', headers, body: '{}' });
      // The API: bad JSON with the right token, a wrong token, a cross-site state change.
      await send(`/api/bins${query}`, { method: 'POST', headers: { ...auth, ...headers, 'Content-Type': 'application/json' }, body: `{"id": "${SECRETS.apiKey}` });
      await send(`/api/bins/${bin}${query}`, { headers });
      await send('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: SECRETS.bearer }) });
      await send(`/api/bins${query}`, { method: 'POST', headers: { ...auth, ...headers, Origin: 'https://evil.example' }, body: '{}' });
    }
    // The capture log is on, and says what came in without the values.
    expect(server.output()).toMatch(/#\d+ POST \/b\/\S+\/hook\?api_key=\[redacted\]&token=\[redacted\] → 200/);
    // Bytes the HTTP parser refuses, carrying a credential.
    const raw = await sendRaw(server.port, `POST /b/${bin}${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ${SECRETS.apiKey}\x01\r\n\r\n`);
    statuses.push(raw.status);
    expect(statuses).toEqual(expect.arrayContaining([200, 413, 404, 400, 401, 403]));

    const output = await stopAndRead(server);
    expect(output).toMatch(/hooklens listening on/);
    for (const form of leakForms(Object.values(SECRETS), [BASIC_PAIR])) expect(output).not.toContain(form);
  });
});

describe('the capture log line', () => {
  async function loggingApp(): Promise<{ app: ReturnType<typeof createApp>; lines: string[] }> {
    const lines: string[] = [];
    const t = await makeTestApp({ bins: ['bin'], log: (line) => lines.push(line) });
    apps.push(t);
    return { app: t.app, lines };
  }

  it('says id, method, target and status, with credential query values redacted', async () => {
    const { app, lines } = await loggingApp();
    const stored = await request(app).post(`/b/bin/hook?a=1&api_key=${SECRETS.queryKey}&access_token=${SECRETS.queryToken}`)
      .set('Authorization', `Bearer ${SECRETS.bearer}`).send('{}').expect(200);
    await request(app).get(`/b/nope?token=${SECRETS.queryToken}`).expect(404);
    expect(lines).toEqual([
      `#${stored.body.id} POST /b/bin/hook?a=1&api_key=[redacted]&access_token=[redacted] → 200`,
      'GET /b/nope?token=[redacted] → 404',
    ]);
    for (const form of leakForms(Object.values(SECRETS), [])) expect(lines.join('\n')).not.toContain(form);
  });

  it('escapes control characters and cuts a long target', async () => {
    const { app, lines } = await loggingApp();
    await request(app).post(`/b/bin/${'p'.repeat(400)}`).send('{}').expect(200);
    expect(lines[0]).toMatch(/^#\d+ POST \/b\/bin\/p+… → 200$/);
    expect(lines[0].length).toBeLessThan(340);
    // Node's parser refuses control bytes in the target; the line escapes them anyway, should one get through.
    expect(captureLogLine(7, 'GET', { binId: 'bin', path: '/\x1b[2J\x9b31m\n', query: '' }, 200))
      .toBe('#7 GET /b/bin/\\x1b[2J\\x9b31m\\x0a → 200');
  });

  it('redacts a credential written where the bin id goes, when no such bin stored the request', async () => {
    const { app, lines } = await loggingApp();
    await request(app).post('/b/mybin;access_token=s3cr3tValueQ1w2E3').send('{}').expect(404);
    await request(app).post('/b/ghp_abcdefghijklmnopqrstuvwxyz0123456789').send('{}').expect(404);
    expect(lines.join('\n')).not.toMatch(/s3cr3tValueQ1w2E3|abcdefghijklmnopqrstuvwxyz0123456789/);
    expect(lines[0]).toMatch(/^POST \/b\/mybin;access_token=\[redacted\] → 404$/);
    expect(lines[1]).toMatch(/^POST \/b\/ghp_\[redacted\] → 404$/);
    // A stored capture names its bin as it is.
    await request(app).post('/b/bin/x').send('{}').expect(200);
    expect(lines[2]).toMatch(/^#\d+ POST \/b\/bin\/x → 200$/);
  });
});

describe('npm start -- --host 0.0.0.0', () => {
  it('prints a generated token once, with an explanation; the API needs it; a restart keeps its hash and prints none', async () => {
    const db = tmpDb();
    const first = await startServer(['--host', '0.0.0.0', '--db', db]);
    const health = await fetch(`${first.url}/api/health`);
    expect(health.status).toBe(200);
    expect((await fetch(`${first.url}/api/bins`)).status).toBe(401);
    expect((await fetch(`${first.url}/api/bins/x/requests`)).status).toBe(401);
    // No live stream without the token.
    const live = new WebSocket(`ws://127.0.0.1:${first.port}/api/live`);
    const [upgrade, refused] = (await once(live, 'unexpected-response')) as [ClientRequest, IncomingMessage];
    expect(refused.statusCode).toBe(401);
    upgrade.destroy();
    // A Zendesk-style delivery needs no token.
    const binId = /capture\s+\S+\/b\/(\S+)\n/.exec(first.output())![1];
    const delivery = await fetch(`${first.url}/b/${binId}`, {
      method: 'POST',
      headers: { Authorization: `Basic ${b64(BASIC_PAIR)}`, 'Content-Type': 'application/json', 'X-Zendesk-Webhook-Id': '01F1KRFQ6BG29CNWFR60NK5FNY' },
      body: '{"type":"zen:event-type:ticket.created"}',
    });
    expect(delivery.status).toBe(200);
    const output = await stopAndRead(first);
    const tokens = [...output.matchAll(/access token\s+(\S+)/g)].map((m) => m[1]);
    expect(tokens).toHaveLength(1);
    const [token] = tokens;
    expect(token.length * 6).toBeGreaterThanOrEqual(128);
    expect(output.split(token)).toHaveLength(2);
    expect(output).toMatch(/need a token/);
    expect(output).toMatch(/only its hash is stored/);

    const second = await startServer(['--host', '0.0.0.0', '--db', db]);
    expect((await fetch(`${second.url}/api/bins`)).status).toBe(401);
    expect((await fetch(`${second.url}/api/bins`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const again = await stopAndRead(second);
    expect(again).not.toMatch(/access token\s+\S/);
    expect(again).not.toContain(token);
    expect(again).toMatch(/need the token printed at an earlier start[^]*--reset-token/);
  });
});
