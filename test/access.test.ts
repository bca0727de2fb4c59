import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from './helpers/app';
import { listRoutes, type ApiRoute, type RouterLike } from './helpers/routes';

const TOKEN = 'the-right-token-0123456789abcdef';
const WRONG = 'not-the-token-0123456789abcdefgh';

/** Routes that answer without the token, by design: health, readiness, the OpenAPI document, and the sign-in / sign-out of /api/session. */
const OPEN_ROUTES = ['GET /health', 'GET /ready', 'GET /openapi.json', 'GET /session', 'POST /session', 'DELETE /session'];

const ALL_ROUTES = await (async () => {
  const { app, close } = await makeTestApp();
  const routes = listRoutes(app.api as unknown as RouterLike);
  await close();
  return routes;
})();
const GUARDED_ROUTES = ALL_ROUTES.filter((r) => !OPEN_ROUTES.includes(`${r.method} ${r.path}`));

/** A token-protected app with bin "b1" holding one captured request; returns the request's id too. */
async function fixture(config: Parameters<typeof makeTestApp>[0] = {}): Promise<TestApp & { requestId: number }> {
  const testApp = await makeTestApp({ bins: ['b1'], ...config, config: { token: TOKEN, ...config.config } });
  const captured = await request(testApp.app).post('/b/b1/hook?x=1').send({ hello: 'world' }).expect(200);
  return { ...testApp, requestId: captured.body.id as number };
}

/** Calls a route with its parameters filled in; `auth` sets headers. */
function call(t: TestApp & { requestId: number }, route: ApiRoute, auth: Record<string, string> = {}) {
  const url = '/api' + route.path.replace(':binId', 'b1').replace(':id', String(t.requestId));
  const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete' | 'put';
  let req = request(t.app)[method](url).set(auth);
  // Replay needs a target: one it refuses before connecting shows the call got past access to the handler.
  if (method === 'post' || method === 'patch' || method === 'put') {
    req = req.send(route.path.endsWith('/replay') ? { url: 'ftp://x.invalid/' } : { name: 'renamed' });
  }
  return req;
}

async function sessionCookie(t: TestApp, token = TOKEN): Promise<string> {
  const res = await request(t.app).post('/api/session').send({ token }).expect(204);
  return String(res.headers['set-cookie'][0]).split(';')[0];
}

const opened: TestApp[] = [];
const tmpDirs: string[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.store.close();
  for (const dir of tmpDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the /api routes, listed from the app', () => {
  it('finds every route, and only health and the session routes are open', () => {
    expect(GUARDED_ROUTES.length).toBeGreaterThanOrEqual(10);
    expect(ALL_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining([
      ...OPEN_ROUTES, 'GET /bins', 'POST /bins', 'GET /bins/:binId', 'PATCH /bins/:binId', 'DELETE /bins/:binId',
      'GET /bins/:binId/requests', 'DELETE /bins/:binId/requests', 'GET /bins/:binId/requests/:id',
      'GET /bins/:binId/requests/:id/raw', 'GET /bins/:binId/requests/:id/body', 'DELETE /bins/:binId/requests/:id',
    ]));
  });

  it.each(GUARDED_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s answers 401 JSON without a token and with a wrong one',
    async (_name, route) => {
      const t = await fixture();
      opened.push(t);
      for (const auth of [{}, { Authorization: `Bearer ${WRONG}` }, { Cookie: 'hooklens_session=1.forged' }] as Record<string, string>[]) {
        const res = await call(t, route, auth);
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body.error).toEqual(expect.any(String));
      }
      // Nothing was changed by the refused calls.
      expect((await t.store.getBin('b1')).name).toBe('b1');
      expect((await t.store.getBin('b1')).requestCount).toBe(1);
    },
  );

  it.each(GUARDED_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s answers with the Bearer token and with the session cookie',
    async (_name, route) => {
      for (const auth of ['bearer', 'cookie'] as const) {
        const t = await fixture();
        opened.push(t);
        const headers: Record<string, string> = auth === 'bearer' ? { Authorization: `Bearer ${TOKEN}` } : { Cookie: await sessionCookie(t) };
        const res = await call(t, route, headers);
        expect(route.path.endsWith('/replay') ? [400] : [200, 201, 204]).toContain(res.status);
      }
    },
  );

  it('answers an unknown /api path 401 without the token, and a JSON 404 with it', async () => {
    const t = await fixture();
    opened.push(t);
    expect((await request(t.app).get('/api/nope').expect(401)).body.error).toEqual(expect.any(String));
    await request(t.app).get('/api/nope').set('Authorization', `Bearer ${TOKEN}`).expect(404).expect('Content-Type', /json/);
  });
});

describe('open without a token', () => {
  it('answers /api/health and capture without a token, also after the address was locked out', async () => {
    const t = await fixture();
    opened.push(t);
    expect((await request(t.app).get('/api/health').expect(200)).body.ok).toBe(true);
    for (let i = 0; i < 10; i++) await request(t.app).get('/api/bins').set('Authorization', `Bearer ${WRONG}`).expect(401);
    await request(t.app).get('/api/bins').set('Authorization', `Bearer ${WRONG}`).expect(429);
    await request(t.app).get('/api/health').expect(200);
    const res = await request(t.app).post('/b/b1').set('Authorization', `Bearer ${WRONG}`).send('{"a":1}').expect(200);
    expect(res.body).toEqual({ ok: true, id: expect.any(Number) });
  });
});

describe('POST /api/session', () => {
  it('sets an HttpOnly, SameSite=Strict cookie, not Secure over plain http', async () => {
    const t = await fixture();
    opened.push(t);
    const res = await request(t.app).post('/api/session').send({ token: TOKEN }).expect(204);
    const cookie = String(res.headers['set-cookie'][0]);
    expect(cookie).toMatch(/^hooklens_session=[^;]+;/);
    expect(cookie).toMatch(/; HttpOnly(;|$)/);
    expect(cookie).toMatch(/; SameSite=Strict(;|$)/);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).not.toMatch(/Secure/);
    const state = await request(t.app).get('/api/session').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(state.body).toEqual({ authRequired: true, authenticated: true });
  });

  it('marks the cookie Secure when X-Forwarded-Proto says https and --trust-proxy is on, not otherwise', async () => {
    const trusting = await fixture({ config: { trustProxy: true } });
    const ignoring = await fixture();
    opened.push(trusting, ignoring);
    const viaProxy = await request(trusting.app).post('/api/session').set('X-Forwarded-Proto', 'https').send({ token: TOKEN }).expect(204);
    expect(String(viaProxy.headers['set-cookie'][0])).toMatch(/; Secure(;|$)/);
    const forged = await request(ignoring.app).post('/api/session').set('X-Forwarded-Proto', 'https').send({ token: TOKEN }).expect(204);
    expect(String(forged.headers['set-cookie'][0])).not.toMatch(/Secure/);
  });

  it('refuses a wrong token with 401 and sets no cookie; DELETE clears the cookie', async () => {
    const t = await fixture();
    opened.push(t);
    const wrong = await request(t.app).post('/api/session').send({ token: WRONG }).expect(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body.error).not.toContain(WRONG);
    const out = await request(t.app).delete('/api/session').expect(204);
    expect(String(out.headers['set-cookie'][0])).toMatch(/^hooklens_session=;.*Max-Age=0/);
  });

  it('answers 403 to a sign-in from another site, without counting it as a failed attempt', async () => {
    const t = await fixture();
    opened.push(t);
    for (let i = 0; i < 12; i++) {
      await request(t.app).post('/api/session').set('Origin', 'https://evil.example').send({ token: WRONG }).expect(403);
    }
    await request(t.app).post('/api/session').send({ token: TOKEN }).expect(204);
  });

  it('answers 403 to a state change from another site, even with a valid cookie', async () => {
    const t = await fixture();
    opened.push(t);
    const cookie = await sessionCookie(t);
    await request(t.app).delete('/api/bins/b1').set('Cookie', cookie).set('Origin', 'https://evil.example').expect(403);
    expect((await t.store.hasBin('b1'))).toBe(true);
    await request(t.app).delete('/api/bins/b1').set('Cookie', cookie).set('Origin', 'http://127.0.0.1').set('Host', '127.0.0.1').expect(204);
  });
});

describe('failed attempts', () => {
  it('answers 429 to wrong tokens after 10 from one address, not to another address, and never to the right token', async () => {
    const t = await fixture({ config: { trustProxy: true } });
    opened.push(t);
    const from = (address: string) => ({ 'X-Forwarded-For': address });
    for (let i = 0; i < 10; i++) {
      await request(t.app).get('/api/bins').set(from('203.0.113.7')).set('Authorization', `Bearer ${WRONG}${i}`).expect(401);
    }
    const limited = await request(t.app).get('/api/bins').set(from('203.0.113.7')).set('Authorization', `Bearer ${WRONG}`).expect(429);
    expect(limited.body.error).toMatch(/too many/);
    await request(t.app).post('/api/session').set(from('203.0.113.7')).send({ token: WRONG }).expect(429);
    await request(t.app).get('/api/bins').set(from('198.51.100.1')).set('Authorization', `Bearer ${WRONG}`).expect(401);
    await request(t.app).get('/api/bins').set(from('203.0.113.7')).set('Authorization', `Bearer ${TOKEN}`).expect(200);
    await request(t.app).post('/api/session').set(from('203.0.113.7')).send({ token: TOKEN }).expect(204);
  });

  it('lets the owner sign in through a tunnel (every client 127.0.0.1) after 25 wrong guesses from strangers', async () => {
    const t = await fixture();
    opened.push(t);
    for (let i = 0; i < 25; i++) {
      const guess = i % 2 === 0
        ? request(t.app).post('/api/session').send({ token: `${WRONG}${i}` })
        : request(t.app).get('/api/bins').set('Authorization', `Bearer ${WRONG}${i}`);
      expect([401, 429]).toContain((await guess).status);
    }
    await request(t.app).get('/api/bins').set('Authorization', `Bearer ${WRONG}`).expect(429);
    const cookie = await sessionCookie(t);
    await request(t.app).get('/api/bins').set('Cookie', cookie).expect(200);
    await request(t.app).get('/api/bins').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    // A flood of guesses past the limit writes nothing more: the count stays where the limit stopped it.
    expect(await t.store.failureCount('127.0.0.1', Date.now(), 15 * 60_000)).toBe(10);
  });

  it('counts an IPv6 /64 as one client, and an IPv4-mapped address as its IPv4 one', async () => {
    const t = await fixture({ config: { trustProxy: true } });
    opened.push(t);
    for (let i = 0; i < 10; i++) {
      await request(t.app).get('/api/bins').set('X-Forwarded-For', `2001:db8:1:2::${i + 1}`).set('Authorization', `Bearer ${WRONG}`).expect(401);
    }
    await request(t.app).get('/api/bins').set('X-Forwarded-For', '2001:db8:1:2:ffff::99').set('Authorization', `Bearer ${WRONG}`).expect(429);
    await request(t.app).get('/api/bins').set('X-Forwarded-For', '2001:db8:1:3::1').set('Authorization', `Bearer ${WRONG}`).expect(401);
    for (let i = 0; i < 10; i++) {
      await request(t.app).get('/api/bins').set('X-Forwarded-For', '::ffff:192.0.2.5').set('Authorization', `Bearer ${WRONG}`).expect(401);
    }
    await request(t.app).get('/api/bins').set('X-Forwarded-For', '192.0.2.5').set('Authorization', `Bearer ${WRONG}`).expect(429);
  });

  it('counts wrong tokens sent to POST and GET /api/session too', async () => {
    const t = await fixture();
    opened.push(t);
    for (let i = 0; i < 5; i++) await request(t.app).post('/api/session').send({ token: WRONG }).expect(401);
    for (let i = 0; i < 5; i++) {
      const res = await request(t.app).get('/api/session').set('Authorization', `Bearer ${WRONG}`).expect(200);
      expect(res.body).toEqual({ authRequired: true, authenticated: false });
    }
    await request(t.app).get('/api/session').set('Authorization', `Bearer ${WRONG}`).expect(429);
    await request(t.app).post('/api/session').send({ token: WRONG }).expect(429);
  });
});

describe('failed attempts and sessions', () => {
  it('never lock out a valid session cookie, though strangers behind the same tunnel exhaust the attempts', async () => {
    const t = await fixture();
    opened.push(t);
    const signIn = await request(t.app).post('/api/session').send({ token: TOKEN }).expect(204);
    const cookie = signIn.headers['set-cookie'][0].split(';')[0];
    for (let i = 0; i < 12; i++) await request(t.app).get('/api/bins').set('Authorization', `Bearer ${WRONG}`);
    await request(t.app).get('/api/bins').set('Authorization', `Bearer ${WRONG}`).expect(429);
    await request(t.app).get('/api/bins').set('Cookie', cookie).expect(200);
  });

  it('count the address the trusted proxy added, whatever the client wrote before it in X-Forwarded-For', async () => {
    const t = await fixture({ config: { trustProxy: true } });
    opened.push(t);
    for (let i = 0; i < 10; i++) {
      await request(t.app).get('/api/bins').set('X-Forwarded-For', `10.9.8.${i}, 203.0.113.7`).set('Authorization', `Bearer ${WRONG}`).expect(401);
    }
    await request(t.app).get('/api/bins').set('X-Forwarded-For', '192.0.2.99, 203.0.113.7').set('Authorization', `Bearer ${WRONG}`).expect(429);
  });
});

describe('reading bodies', () => {
  it('answers 401, not a body error, to a request without the token whatever its body', async () => {
    const t = await fixture();
    opened.push(t);
    await request(t.app).post('/api/bins').set('Content-Type', 'application/json').send('{broken').expect(401);
    await request(t.app).post('/api/bins').set('Content-Type', 'text/plain').send('{"id":"x"}').expect(401);
    await request(t.app).post('/api/bins').set('Content-Type', 'application/json').send(`{"name":"${'x'.repeat(70_000)}"}`).expect(401);
    await request(t.app).post('/api/bins').set('Authorization', `Bearer ${TOKEN}`).set('Content-Type', 'application/json').send('{broken').expect(400);
  });

  it('takes https from the proxy\'s own X-Forwarded-Proto entry, not the client\'s', async () => {
    const t = await fixture({ config: { trustProxy: true } });
    opened.push(t);
    const claimed = await request(t.app).post('/api/session').set('X-Forwarded-Proto', 'https, http').send({ token: TOKEN }).expect(204);
    expect(claimed.headers['set-cookie'][0]).not.toMatch(/Secure/);
    const real = await request(t.app).post('/api/session').set('X-Forwarded-Proto', 'http, https').send({ token: TOKEN }).expect(204);
    expect(real.headers['set-cookie'][0]).toMatch(/; Secure/);
  });
});

describe('CORS', () => {
  it('sends no Access-Control-Allow-* header from the API, capture or viewer, preflights included', async () => {
    const t = await fixture();
    opened.push(t);
    const evil = { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'DELETE' };
    const responses = await Promise.all([
      request(t.app).get('/api/health').set(evil),
      request(t.app).get('/api/bins').set(evil).set('Authorization', `Bearer ${TOKEN}`),
      request(t.app).get('/api/bins').set(evil),
      request(t.app).options('/api/bins').set(evil),
      request(t.app).options('/api/bins/b1').set(evil).set('Authorization', `Bearer ${TOKEN}`),
      request(t.app).post('/api/session').set(evil).send({ token: TOKEN }),
      request(t.app).post('/b/b1').set(evil).send('{}'),
      request(t.app).options('/b/b1').set(evil),
      request(t.app).get('/').set(evil),
    ]);
    for (const res of responses) {
      expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('open loopback mode (no token, loopback host)', () => {
  it('answers requests addressed to localhost, 127.0.0.1 and [::1], on any port', async () => {
    const t = await makeTestApp({ bins: ['b1'] });
    opened.push(t);
    expect(t.access.required).toBe(false);
    for (const host of ['localhost', 'localhost:8080', '127.0.0.1:9', '[::1]', '[::1]:8080', 'LOCALHOST:1']) {
      await request(t.app).get('/api/bins').set('Host', host).expect(200);
    }
  });

  it('answers 401, saying how to set a token, to a request addressed to another host', async () => {
    const t = await makeTestApp({ bins: ['b1'] });
    opened.push(t);
    for (const host of ['evil.example', 'evil.example:8080', '127.0.0.1.evil.example', 'localhost.evil.example', 'abc.ngrok.io',
      'localhost:8080@evil.com', 'localhost@evil.com', 'evil.com@localhost:8080', 'localhost:8080/evil', 'localhost:', 'localhost:8080:9']) {
      const res = await request(t.app).get('/api/bins').set('Host', host).expect(401);
      expect(res.body.error).toMatch(/--token/);
      expect(res.body.error).toMatch(/HOOKLENS_TOKEN/);
    }
    // Capture and health still answer: senders come through tunnels.
    await request(t.app).post('/b/b1').set('Host', 'abc.ngrok.io').send('{}').expect(200);
    await request(t.app).get('/api/health').set('Host', 'abc.ngrok.io').expect(200);
  });

  it('answers 401 to a request that came through a proxy or tunnel that rewrote Host to localhost', async () => {
    const t = await makeTestApp({ bins: ['b1'] });
    opened.push(t);
    for (const [name, value] of [['X-Forwarded-For', '198.51.100.4'], ['Forwarded', 'for=198.51.100.4'], ['X-Forwarded-Host', 'abc.ngrok.io'],
      ['Cf-Connecting-Ip', '198.51.100.4'], ['X-Real-Ip', '198.51.100.4'], ['Via', '1.1 tunnel'], ['True-Client-IP', '198.51.100.4'],
      ['X-Client-IP', '198.51.100.4'], ['X-Forwarded-Proto', 'https'], ['Fastly-Client-IP', '198.51.100.4']]) {
      const res = await request(t.app).get('/api/bins').set('Host', 'localhost:8080').set(name, value).expect(401);
      expect(res.body.error).toMatch(/--token/);
    }
    await request(t.app).post('/b/b1').set('Host', 'localhost').set('X-Forwarded-For', '198.51.100.4').send('{}').expect(200);
    await request(t.app).get('/api/health').set('Host', 'abc.ngrok.io').expect(200);
  });
});

describe('a generated token', () => {
  function dbFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'hooklens-access-'));
    tmpDirs.push(dir);
    return join(dir, 'hooklens.db');
  }

  function rawBytes(file: string): string {
    return ['', '-wal', '-shm'].map((suffix) => (existsSync(file + suffix) ? readFileSync(file + suffix).toString('latin1') : '')).join('');
  }

  it.each([
    ['host 0.0.0.0', { host: '0.0.0.0' }],
    ['--public-url on a loopback host', { publicUrl: 'https://hooks.example.com' }],
  ])('is made for %s, kept as its SHA-256 only, and survives a restart', async (_name, exposure) => {
    const db = dbFile();
    const first = await makeTestApp({ config: { ...exposure, db } });
    const token = first.access.generatedToken!;
    expect(first.access.required).toBe(true);
    // At least 128 random bits: base64url carries 6 bits a character.
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length * 6).toBeGreaterThanOrEqual(128);
    expect((await first.store.getSetting('token_sha256'))).toBe(createHash('sha256').update(token).digest('hex'));
    await request(first.app).get('/api/bins').expect(401);
    await request(first.app).get('/api/bins').set('Authorization', `Bearer ${token}`).expect(200);
    const cookie = await sessionCookie(first, token);
    expect(rawBytes(db)).not.toContain(token);
    await first.store.close();
    expect(rawBytes(db)).not.toContain(token);

    const second = await makeTestApp({ config: { ...exposure, db } });
    opened.push(second);
    expect(second.access.generatedToken).toBeNull();
    expect(second.access.required).toBe(true);
    await request(second.app).get('/api/bins').set('Authorization', `Bearer ${token}`).expect(200);
    await request(second.app).get('/api/bins').set('Cookie', cookie).expect(200);
    await request(second.app).get('/api/bins').expect(401);
  });

  it('is replaced by --reset-token, which ends the old token and its sessions', async () => {
    const db = dbFile();
    const first = await makeTestApp({ config: { host: '0.0.0.0', db } });
    const old = first.access.generatedToken!;
    const cookie = await sessionCookie(first, old);
    await first.store.close();

    const reset = await makeTestApp({ config: { host: '0.0.0.0', db, resetToken: true } });
    opened.push(reset);
    const fresh = reset.access.generatedToken!;
    expect(fresh).toEqual(expect.any(String));
    expect(fresh).not.toBe(old);
    expect((await reset.store.getSetting('token_sha256'))).toBe(createHash('sha256').update(fresh).digest('hex'));
    await request(reset.app).get('/api/bins').set('Authorization', `Bearer ${old}`).expect(401);
    await request(reset.app).get('/api/bins').set('Cookie', cookie).expect(401);
    await request(reset.app).get('/api/bins').set('Authorization', `Bearer ${fresh}`).expect(200);
  });

  it('ends a session on sign-out: its old cookie is refused, also after a restart', async () => {
    const db = dbFile();
    const first = await makeTestApp({ config: { token: TOKEN, db } });
    const signedOut = await sessionCookie(first);
    const kept = await sessionCookie(first);
    await request(first.app).delete('/api/session').set('Cookie', signedOut).expect(204);
    await request(first.app).get('/api/bins').set('Cookie', signedOut).expect(401);
    const state = await request(first.app).get('/api/session').set('Cookie', signedOut).expect(200);
    expect(state.body).toEqual({ authRequired: true, authenticated: false });
    await request(first.app).get('/api/bins').set('Cookie', kept).expect(200);
    expect(rawBytes(db)).not.toContain(signedOut.split('=')[1]);
    await first.store.close();

    const restarted = await makeTestApp({ config: { token: TOKEN, db } });
    opened.push(restarted);
    await request(restarted.app).get('/api/bins').set('Cookie', signedOut).expect(401);
    await request(restarted.app).get('/api/bins').set('Cookie', kept).expect(200);
  });

  it('is not made on a loopback host, nor when --token is set', async () => {
    const loopback = await makeTestApp();
    const withToken = await makeTestApp({ config: { host: '0.0.0.0', token: TOKEN } });
    opened.push(loopback, withToken);
    expect(loopback.access.generatedToken).toBeNull();
    expect(loopback.access.required).toBe(false);
    expect(withToken.access.generatedToken).toBeNull();
    expect(withToken.access.required).toBe(true);
    expect((await withToken.store.getSetting('token_sha256'))).toBeNull();
  });
});

describe('the viewer', () => {
  async function viewerApp() {
    const dir = mkdtempSync(join(tmpdir(), 'hooklens-viewer-'));
    tmpDirs.push(dir);
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/main.js"></script></head><body><div id="root"></div></body></html>');
    writeFileSync(join(dir, 'assets', 'main.js'), 'export {};');
    const t = await makeTestApp({ viewerDir: dir });
    opened.push(t);
    return t.app;
  }

  function directives(csp: string): Map<string, string[]> {
    return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));
  }

  it.each(['/', '/bins/b1', '/assets/main.js'])('serves %s with a strict CSP, nosniff and no referrer', async (path) => {
    const res = await request(await viewerApp()).get(path).expect(200);
    const csp = directives(String(res.headers['content-security-policy']));
    const scripts = csp.get('script-src') ?? csp.get('default-src')!;
    expect(scripts).toContain("'self'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(scripts).not.toContain('*');
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('sends /raw and /body sandboxed, so captured HTML cannot run in the viewer origin', async () => {
    const t = await makeTestApp({ bins: ['b1'] });
    opened.push(t);
    const { body } = await request(t.app).post('/b/b1').set('Content-Type', 'text/html').send('<script>alert(1)</script>').expect(200);
    for (const part of ['raw', 'body']) {
      const res = await request(t.app).get(`/api/bins/b1/requests/${body.id}/${part}`).expect(200);
      expect(res.headers['content-security-policy']).toMatch(/(^|;\s*)sandbox(;|$)/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-type']).not.toMatch(/html/);
    }
  });
});
