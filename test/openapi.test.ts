import { createHmac } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { newRequest } from './store/requests';
import { makeTestApp, type TestApp } from './helpers/app';
import { listRoutes, type RouterLike } from './helpers/routes';

const opened: TestApp[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
}

async function documentOf(t: TestApp): Promise<Document> {
  return (await request(t.app).get('/api/openapi.json').expect(200)).body as Document;
}

/** A validator of answers against the document's own schemas (formats are OpenAPI annotations here). */
function validatorFor(doc: Document) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(doc, 'openapi.json');
  /** Validates `body` as the document says `method path` answers with `status`; throws naming what differs. */
  return (method: string, path: string, status: number, body: unknown): void => {
    const pointer = `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`;
    const validate = ajv.getSchema(`openapi.json#${pointer}`);
    if (!validate) throw new Error(`the document has no JSON schema for ${method.toUpperCase()} ${path} → ${status}`);
    if (!validate(body)) throw new Error(`${method.toUpperCase()} ${path} → ${status} differs from the document: ${ajv.errorsText(validate.errors)}`);
  };
}

describe('GET /api/openapi.json', () => {
  it('is OpenAPI 3.1, needs no token, and names every route of the API, and nothing else', async () => {
    const t = await makeTestApp({ config: { token: 'openapi-test-token-0123456789' } });
    opened.push(t);
    const doc = await documentOf(t);
    expect(doc.openapi).toBe('3.1.0');
    const routed = listRoutes(t.app.api as unknown as RouterLike)
      .map((r) => `${r.method} /api${r.path.replace(/:(\w+)/g, '{$1}')}`);
    // Served outside the API router: the live stream's upgrade (by the HTTP server), the metrics and the relay (by the app).
    routed.push('GET /api/live', 'GET /metrics', 'GET /relay/{key}', 'GET /relay/{key}/requests/{id}/raw');
    await request(t.app).get('/metrics').set('Authorization', 'Bearer openapi-test-token-0123456789').expect(200);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).filter((key) => key !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(routed.sort());
  });

  it('describes what the API really answers: every JSON answer of every route validates against its schema', async () => {
    const t = await makeTestApp({ bins: ['zd'], config: { maxBody: 64 } });
    opened.push(t);
    const check = validatorFor(await documentOf(t));
    const expectValid = async (method: 'get' | 'post' | 'patch' | 'delete', url: string, path: string, status: number, body?: object) => {
      const call = request(t.app)[method](url);
      const res = await (body === undefined ? call : call.send(body)).expect(status);
      if (res.headers['content-type']?.startsWith('application/json')) check(method, path, status, res.body);
      return res;
    };
    // Captures of every kind: Zendesk credentials and signature, a JWT, a truncated body, a redacted-looking query.
    const timestamp = new Date().toISOString();
    const body = '{"type":"ticket.updated"}';
    await request(t.app).post('/b/zd/hook?api_key=k').set({
      Authorization: `Basic ${Buffer.from('jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv').toString('base64')}`,
      'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
      'X-Zendesk-Webhook-Signature': createHmac('sha256', 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==').update(timestamp + body).digest('base64'),
      'X-Zendesk-Account-Id': '123',
      'Content-Type': 'application/json',
    }).send(body).expect(200);
    await request(t.app).post('/b/zd').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxfQ.c2ln').send('x').expect(200);
    await request(t.app).post('/b/zd').send('y'.repeat(100)).expect(413);
    // Trailers after a chunked body (as capture stores them; supertest cannot send them).
    await t.store.insertRequests([newRequest('zd', 1, { trailers: [['X-Checksum', 'sha1=abc']] })], 1_000);

    await expectValid('get', '/api/health', '/api/health', 200);
    await expectValid('get', '/api/ready', '/api/ready', 200);
    await expectValid('get', '/api/session', '/api/session', 200);
    await expectValid('get', '/api/bins', '/api/bins', 200);
    await expectValid('post', '/api/bins', '/api/bins', 201, { name: 'Second' });
    await expectValid('post', '/api/bins', '/api/bins', 409, { id: 'zd' });
    await expectValid('post', '/api/bins', '/api/bins', 400, { id: 'not valid' });
    await expectValid('get', '/api/bins/zd', '/api/bins/{binId}', 200);
    await expectValid('get', '/api/bins/nope', '/api/bins/{binId}', 404);
    await expectValid('patch', '/api/bins/zd', '/api/bins/{binId}', 200, { name: 'Zendesk', signingSecrets: { zendesk: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==' } });
    await expectValid('patch', '/api/bins/zd', '/api/bins/{binId}', 400, { signingSecrets: { nope: 'x' } });
    const page = await expectValid('get', '/api/bins/zd/requests?limit=10', '/api/bins/{binId}/requests', 200);
    await expectValid('get', '/api/bins/zd/requests?limit=0', '/api/bins/{binId}/requests', 400);
    const found = await expectValid('get', `/api/bins/zd/requests?q=${encodeURIComponent('method:POST -nothing "zendesk"')}`, '/api/bins/{binId}/requests', 200);
    expect(found.body.total).toBeGreaterThan(0);
    await expectValid('get', `/api/bins/zd/requests?q=${encodeURIComponent('"open')}`, '/api/bins/{binId}/requests', 400);
    for (const { id } of page.body.requests as { id: number }[]) {
      await expectValid('get', `/api/bins/zd/requests/${id}`, '/api/bins/{binId}/requests/{id}', 200);
    }
    await expectValid('get', '/api/bins/zd/requests/999999', '/api/bins/{binId}/requests/{id}', 404);
    await expectValid('get', '/api/bins/zd/har', '/api/bins/{binId}/har', 200);
    await expectValid('get', `/api/bins/zd/har?ids=${page.body.requests[0].id},999999`, '/api/bins/{binId}/har', 200);
    await expectValid('get', '/api/bins/zd/har?ids=x', '/api/bins/{binId}/har', 400);
    await expectValid('get', '/api/bins/nope/har', '/api/bins/{binId}/har', 404);
    await expectValid('get', `/api/bins/zd/requests/${page.body.requests[0].id}/curl?to=ftp://x`, '/api/bins/{binId}/requests/{id}/curl', 400);
    await expectValid('get', '/api/bins/zd/requests/999999/curl', '/api/bins/{binId}/requests/{id}/curl', 404);
    await expectValid('delete', `/api/bins/zd/requests/${page.body.requests[0].id}`, '/api/bins/{binId}/requests/{id}', 204);
    await expectValid('delete', '/api/bins/zd/requests', '/api/bins/{binId}/requests', 204);
    await expectValid('get', '/api/bins/zd/requests/abc/raw', '/api/bins/{binId}/requests/{id}/raw', 400);
    await expectValid('get', '/api/bins/zd/requests/abc/body', '/api/bins/{binId}/requests/{id}/body', 400);
    const relay = new URL((await request(t.app).get('/api/bins/zd').expect(200)).body.relayUrl as string).pathname;
    await expectValid('get', `${relay}?after=x`, '/relay/{key}', 400);
    await expectValid('get', '/relay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '/relay/{key}', 404);
    await expectValid('get', `${relay}/requests/abc/raw`, '/relay/{key}/requests/{id}/raw', 400);
    await expectValid('get', `${relay}/requests/999999/raw`, '/relay/{key}/requests/{id}/raw', 404);
    await expectValid('post', '/api/session', '/api/session', 204, { token: 'anything' });
    await expectValid('delete', '/api/session', '/api/session', 204);
    const notJson = await request(t.app).post('/api/bins').set('Content-Type', 'text/plain').send('x').expect(415);
    check('post', '/api/bins', 415, notJson.body);
    await expectValid('delete', '/api/bins/zd', '/api/bins/{binId}', 204);
  });

  it('describes the refusals too: no token, a wrong one, too many', async () => {
    const t = await makeTestApp({ config: { token: 'openapi-test-token-0123456789' } });
    opened.push(t);
    const check = validatorFor(await documentOf(t));
    for (const path of ['/api/bins', '/api/bins/{binId}', '/api/bins/{binId}/requests']) {
      const res = await request(t.app).get(path.replace('{binId}', 'b')).expect(401);
      check('get', path, 401, res.body);
    }
    for (let i = 0; i < 10; i++) await request(t.app).get('/api/bins').set('Authorization', `Bearer wrong-token-${i}-0123456789`).expect(401);
    check('get', '/api/bins', 429, (await request(t.app).get('/api/bins').set('Authorization', 'Bearer x-0123456789abcdef').expect(429)).body);
    check('get', '/api/session', 429, (await request(t.app).get('/api/session').set('Authorization', 'Bearer x-0123456789abcdef').expect(429)).body);
  });

  it('fails the check for an answer with a field the document does not name', async () => {
    const t = await makeTestApp({ bins: ['b'] });
    opened.push(t);
    const check = validatorFor(await documentOf(t));
    const bin = (await request(t.app).get('/api/bins/b').expect(200)).body as Record<string, unknown>;
    expect(() => check('get', '/api/bins/{binId}', 200, bin)).not.toThrow();
    expect(() => check('get', '/api/bins/{binId}', 200, { ...bin, undocumented: 1 })).toThrow(/must NOT have additional properties/);
  });
});
