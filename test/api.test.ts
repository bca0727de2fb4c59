import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Bin, RequestPage } from '../shared/types';
import { makeTestApp, type TestApp } from './helpers/app';

async function capture(app: TestApp['app'], binId: string, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((await request(app).post(`/b/${binId}/n/${i}`).send({ i }).expect(200)).body.id);
  return ids;
}

describe('GET /api/health', () => {
  it('answers ok and the version', async () => {
    const { app } = await makeTestApp();
    const res = await request(app).get('/api/health').expect(200);
    expect(res.body).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});

describe('caching', () => {
  it('tells browsers and proxies to keep no API answer: a request holds credentials', async () => {
    const { app } = await makeTestApp({ bins: ['c'] });
    const [id] = await capture(app, 'c', 1);
    for (const path of ['/api/bins', '/api/bins/c/requests', `/api/bins/c/requests/${id}`, '/api/bins/c/requests?q=n']) {
      expect((await request(app).get(path).expect(200)).headers['cache-control'], path).toBe('no-store');
    }
  });
});

describe('/api/bins', () => {
  it('creates a bin with a random unguessable id, and lists bins newest first', async () => {
    let clock = 1_000;
    const { app } = await makeTestApp({ now: () => clock++ });
    const first = await request(app).post('/api/bins').send({}).expect(201);
    const second = await request(app).post('/api/bins').send({ id: 'zendesk-test', name: 'Zendesk' }).expect(201);
    expect(first.body.id).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(second.body).toMatchObject({ id: 'zendesk-test', name: 'Zendesk', requestCount: 0, lastRequestAt: null, signingSecrets: [] });
    expect((second.body as Bin).captureUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/b\/zendesk-test$/);
    const list = await request(app).get('/api/bins').expect(200);
    expect(list.body.bins.map((b: Bin) => b.id)).toEqual(['zendesk-test', first.body.id]);
  });

  it('answers 409 for a taken id and 400 for an invalid one', async () => {
    const { app } = await makeTestApp({ bins: ['taken'] });
    expect((await request(app).post('/api/bins').send({ id: 'taken' }).expect(409)).body.error).toBe('bin id already taken: taken');
    for (const id of ['', 'has space', 'x'.repeat(65), 'dots.not.ok', 42]) {
      const res = await request(app).post('/api/bins').send({ id }).expect(400);
      expect(res.body.error).toBe('invalid bin id: use 1–64 characters of A-Z a-z 0-9 _ -, or leave "id" out for a random one');
    }
  });

  it('answers 400 with a plain message for a body that is not JSON', async () => {
    const { app } = await makeTestApp();
    const res = await request(app).post('/api/bins').set('Content-Type', 'application/json').send('{nope').expect(400);
    expect(res.body).toEqual({ error: 'the request body is not valid JSON (a JSON object is expected)' });
    await request(app).post('/api/bins').set('Content-Type', 'application/json').send('null').expect(400);
    const plain = await request(app).post('/api/bins').set('Content-Type', 'text/plain').send('{"name":"x"}').expect(415);
    expect(plain.body).toEqual({ error: 'send the body as JSON, with Content-Type: application/json' });
  });

  it('bases capture URLs on --public-url when set', async () => {
    const token = 'test-token-0123456789';
    const { app } = await makeTestApp({ bins: ['b1'], config: { publicUrl: 'https://hooks.example.com', token } });
    const res = await request(app).get('/api/bins/b1').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.captureUrl).toBe('https://hooks.example.com/b/b1');
  });

  it('renames a bin, counts its requests and deletes it with them', async () => {
    const { app, store } = await makeTestApp({ bins: ['b1'] });
    await capture(app, 'b1', 2);
    const patched = await request(app).patch('/api/bins/b1').send({ name: 'Renamed' }).expect(200);
    expect(patched.body).toMatchObject({ name: 'Renamed', requestCount: 2, lastRequestAt: expect.any(String) });
    await request(app).delete('/api/bins/b1').expect(204);
    await request(app).get('/api/bins/b1').expect(404, { error: 'no such bin: b1' });
    await expect(store.listRequests('b1', { limit: 1 })).rejects.toThrow('no such bin: b1');
  });

  it('keeps signing secrets write-only: a bin names the providers, never the values', async () => {
    const { app } = await makeTestApp({ bins: ['b1'] });
    const res = await request(app).patch('/api/bins/b1').send({ signingSecrets: { zendesk: 'zd-secret-value', github: 'gh-secret' } }).expect(200);
    expect(res.body.signingSecrets).toEqual(['github', 'zendesk']);
    expect(JSON.stringify(res.body)).not.toContain('zd-secret-value');
    const removed = await request(app).patch('/api/bins/b1').send({ signingSecrets: { github: null } }).expect(200);
    expect(removed.body.signingSecrets).toEqual(['zendesk']);
    const unknown = await request(app).patch('/api/bins/b1').send({ signingSecrets: { myspace: 'x' } }).expect(400);
    expect(unknown.body.error).toMatch(/^unknown signing provider "myspace"/);
  });
});

describe('GET /api/bins/:binId/requests', () => {
  it('pages newest first with limit, before and after', async () => {
    const { app } = await makeTestApp({ bins: ['b1'] });
    const ids = await capture(app, 'b1', 7);
    const page1 = (await request(app).get('/api/bins/b1/requests?limit=3').expect(200)).body as RequestPage;
    expect(page1.requests.map((r) => r.id)).toEqual([ids[6], ids[5], ids[4]]);
    expect(page1.hasMore).toBe(true);
    const page2 = (await request(app).get(`/api/bins/b1/requests?limit=3&before=${ids[4]}`).expect(200)).body as RequestPage;
    expect(page2.requests.map((r) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    const page3 = (await request(app).get(`/api/bins/b1/requests?limit=3&before=${ids[1]}`).expect(200)).body as RequestPage;
    expect(page3).toEqual({ requests: [expect.objectContaining({ id: ids[0] })], hasMore: false, total: 7 });
    const newer = (await request(app).get(`/api/bins/b1/requests?after=${ids[4]}`).expect(200)).body as RequestPage;
    expect(newer.requests.map((r) => r.id)).toEqual([ids[6], ids[5]]);
    expect(page1.requests[0]).toMatchObject({ binId: 'b1', method: 'POST', path: '/n/6', query: '', contentType: 'application/json', authLabel: null });
    expect(page1.requests[0].receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('answers 400 for a limit out of range and 404 for an unknown bin', async () => {
    const { app } = await makeTestApp({ bins: ['b1'] });
    expect((await request(app).get('/api/bins/b1/requests?limit=501').expect(400)).body.error).toBe('"limit" must be from 1 to 500');
    await request(app).get('/api/bins/b1/requests?limit=0').expect(400);
    expect((await request(app).get('/api/bins/b1/requests?limit=abc').expect(400)).body.error).toBe('"limit" must be from 1 to 500');
    await request(app).get('/api/bins/b1/requests?before=abc').expect(400);
    await request(app).get('/api/bins/nope/requests').expect(404, { error: 'no such bin: nope' });
  });

  it('deletes one request, and clears a bin', async () => {
    const { app } = await makeTestApp({ bins: ['b1'] });
    const ids = await capture(app, 'b1', 3);
    await request(app).delete(`/api/bins/b1/requests/${ids[1]}`).expect(204);
    await request(app).get(`/api/bins/b1/requests/${ids[1]}`).expect(404);
    await request(app).delete(`/api/bins/b1/requests/${ids[1]}`).expect(404);
    expect((await request(app).get('/api/bins/b1/requests').expect(200)).body.requests.map((r: { id: number }) => r.id)).toEqual([ids[2], ids[0]]);
    await request(app).delete('/api/bins/b1/requests').expect(204);
    expect((await request(app).get('/api/bins/b1/requests').expect(200)).body.requests).toEqual([]);
  });
});

describe('GET /api/bins/:binId/requests/:id/raw and /body', () => {
  it('rebuilds the message as received, sandboxed', async () => {
    const { app } = await makeTestApp({ bins: ['b1'] });
    const { body: { id } } = await request(app).post('/b/b1/x?y=1').set('X-Custom', 'Value').set('Content-Type', 'text/html')
      .send('<script>alert(1)</script>').expect(200);
    const raw = await request(app).get(`/api/bins/b1/requests/${id}/raw`).expect(200);
    expect(raw.headers['x-content-type-options']).toBe('nosniff');
    expect(raw.headers['content-security-policy']).toBe('sandbox');
    expect(raw.text).toMatch(/^POST \/b\/b1\/x\?y=1 HTTP\/1\.1\r\n/);
    expect(raw.text).toContain('\r\nX-Custom: Value\r\n');
    expect(raw.text.endsWith('\r\n\r\n<script>alert(1)</script>')).toBe(true);
    const body = await request(app).get(`/api/bins/b1/requests/${id}/body`).expect(200);
    expect(body.headers['content-type']).toBe('application/octet-stream');
    expect(body.headers['content-disposition']).toMatch(/^attachment/);
    expect(body.headers['content-security-policy']).toBe('sandbox');
    expect(body.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('unknown /api paths', () => {
  it('answer a JSON 404, never the viewer page', async () => {
    const { app } = await makeTestApp();
    for (const path of ['/api/nope', '/api/bins/x/y/z/w', '/api/']) {
      const res = await request(app).get(path).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error).toMatch(/^no such/);
    }
  });
});
