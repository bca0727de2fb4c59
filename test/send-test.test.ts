import { createHash } from 'node:crypto';
import net from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeTestApp, type TestApp } from './helpers/app';

const TOKEN = 'send-test-token-0123456789abcdef';
const opened: TestApp[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const t of opened.splice(0)) await t.close();
});

async function app(config: Parameters<typeof makeTestApp>[0] = {}): Promise<TestApp> {
  const t = await makeTestApp({ bins: ['zd'], ...config });
  opened.push(t);
  return t;
}

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

describe('POST /api/bins/:binId/send-test', () => {
  it('stores the request into the bin as given: headers in order and case, duplicates kept, method, path, query and body', async () => {
    const t = await app();
    const headers = [
      ['authorization', basic('you@example.com/token', 'sent-token-1')],
      ['X-Custom', 'one'],
      ['Content-Type', 'application/json'],
      ['x-custom', 'two'],
      ['X-CUSTOM', 'three'],
    ];
    const res = await request(t.app).post('/api/bins/zd/send-test')
      .send({ method: 'PUT', path: '/hooks/zendesk?a=1&b=2', headers, body: '{"name":"test webhook"}' }).expect(201);
    expect(res.body).toEqual({ id: expect.any(Number) });
    const stored = (await request(t.app).get(`/api/bins/zd/requests/${res.body.id}`).expect(200)).body;
    expect(stored.headers).toEqual(headers);
    expect(stored).toMatchObject({
      method: 'PUT', path: '/hooks/zendesk', query: 'a=1&b=2', url: '/b/zd/hooks/zendesk?a=1&b=2',
      contentType: 'application/json', size: 23, remoteAddress: 'hooklens (send-test)',
    });
    expect(Buffer.from(stored.body.base64, 'base64').toString()).toBe('{"name":"test webhook"}');
    expect(stored.body.sha256).toBe(createHash('sha256').update('{"name":"test webhook"}').digest('hex'));
    // Analysed as any capture: the credential is recognised, never shown in clear.
    const credential = stored.analysis.credentials[0];
    expect(credential.kind).toBe('zendesk-api-token');
    expect(credential.secret.sha256).toBe(createHash('sha256').update('sent-token-1').digest('hex'));
    expect(JSON.stringify(stored.analysis)).not.toContain('sent-token-1');
    // It is in the bin's list like a capture.
    const list = (await request(t.app).get('/api/bins/zd/requests').expect(200)).body;
    expect(list.requests.map((r: { id: number }) => r.id)).toEqual([res.body.id]);
  });

  it('defaults to POST / with no headers and an empty body', async () => {
    const t = await app();
    const { id } = (await request(t.app).post('/api/bins/zd/send-test').send({}).expect(201)).body;
    const stored = (await request(t.app).get(`/api/bins/zd/requests/${id}`).expect(200)).body;
    expect(stored).toMatchObject({ method: 'POST', path: '/', query: '', url: '/b/zd', headers: [], size: 0, contentType: null });
  });

  it('verifies a Zendesk signature computed for the body and the bin\'s secret, like a capture', async () => {
    const t = await app();
    await request(t.app).patch('/api/bins/zd').send({ signingSecrets: { zendesk: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==' } });
    const { id } = (await request(t.app).post('/api/bins/zd/send-test').send({
      headers: [
        ['X-Zendesk-Webhook-Signature', 'ZSRg6vOX1oNH4MGA/3eaV8olds/BPX3336Rmq+1qkbo='],
        ['X-Zendesk-Webhook-Signature-Timestamp', '2021-03-25T05:09:27Z'],
      ],
      body: '{"name":"test webhook"}',
    }).expect(201)).body;
    const stored = (await request(t.app).get(`/api/bins/zd/requests/${id}`).expect(200)).body;
    expect(stored.analysis.signatures[0]).toMatchObject({ provider: 'zendesk', status: 'verified' });
  });

  it('never opens a connection: no target is accepted, and the only sockets opened are the test\'s own calls', async () => {
    const t = await app();
    // Each supertest call opens one socket to its own ephemeral server; send-test must open none besides.
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    const refused = await request(t.app).post('/api/bins/zd/send-test').send({ url: 'http://169.254.169.254/latest/meta-data/' }).expect(400);
    expect(refused.body.error).toMatch(/"url"/);
    const { id } = (await request(t.app).post('/api/bins/zd/send-test').send({ headers: [['Host', 'internal.example']] }).expect(201)).body;
    expect(connect).toHaveBeenCalledTimes(2);
    connect.mockRestore();
    const stored = (await request(t.app).get(`/api/bins/zd/requests/${id}`).expect(200)).body;
    expect(stored.remoteAddress).toBe('hooklens (send-test)');
    expect(stored.headers).toEqual([['Host', 'internal.example']]);
  });

  it.each([
    ['a header value with CR LF', { headers: [['X-A', 'ok\r\nX-Injected: 1']] }, /"headers"\[0\]/],
    ['a header value with LF', { headers: [['X-A', 'a\nb']] }, /"headers"\[0\]/],
    ['a header value beyond Latin-1', { headers: [['X-A', 'caf\u00e9 \u2603']] }, /"headers"\[0\]/],
    ['a header name with a space', { headers: [['X A', 'v']] }, /"headers"\[0\]/],
    ['an empty header name', { headers: [['', 'v']] }, /"headers"\[0\]/],
    ['a pair of three', { headers: [['a', 'b', 'c']] }, /"headers"\[0\]/],
    ['a number as a value', { headers: [['X-B', 'ok'], ['X-A', 1]] }, /"headers"\[1\]/],
    ['headers as an object', { headers: { 'X-A': 'v' } }, /"headers"/],
    ['101 headers', { headers: Array.from({ length: 101 }, (_, i) => [`X-${i}`, 'v']) }, /"headers".*100/],
    ['a body over 256 KB', { body: 'x'.repeat(256 * 1024 + 1) }, /"body"/],
    ['a body that is not a string', { body: { a: 1 } }, /"body"/],
    ['a path without the leading slash', { path: 'hooks' }, /"path"/],
    ['a path with a space', { path: '/a b' }, /"path"/],
    ['a path with CR LF', { path: '/a\r\nb' }, /"path"/],
    ['a path beyond ASCII', { path: '/caf\u00e9' }, /"path"/],
    ['a method with a space', { method: 'GE T' }, /"method"/],
    ['an empty method', { method: '' }, /"method"/],
    ['a target URL', { url: 'http://127.0.0.1:22/' }, /"url"/],
  ])('answers 400 naming the field for %s, and stores nothing', async (_name, body, message) => {
    const t = await app();
    const res = await request(t.app).post('/api/bins/zd/send-test').send(body).expect(400);
    expect(res.body.error).toMatch(message);
    expect((await t.store.getBin('zd')).requestCount).toBe(0);
  });

  it('answers 404 for a bin that does not exist', async () => {
    const t = await app();
    const res = await request(t.app).post('/api/bins/nope/send-test').send({}).expect(404);
    expect(res.body.error).toMatch(/nope/);
  });

  it('needs the token, and refuses another site\'s page, storing nothing', async () => {
    const t = await app({ config: { token: TOKEN } });
    await request(t.app).post('/api/bins/zd/send-test').send({}).expect(401);
    await request(t.app).post('/api/bins/zd/send-test').set('Authorization', 'Bearer wrong-token-0123456789abcdefgh').send({}).expect(401);
    await request(t.app).post('/api/bins/zd/send-test').set({ Authorization: `Bearer ${TOKEN}`, Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })
      .send({}).expect(403);
    expect((await t.store.getBin('zd')).requestCount).toBe(0);
    await request(t.app).post('/api/bins/zd/send-test').set('Authorization', `Bearer ${TOKEN}`).send({}).expect(201);
    expect((await t.store.getBin('zd')).requestCount).toBe(1);
  });
});
