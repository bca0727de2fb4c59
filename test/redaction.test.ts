import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useServerProcesses, type ServerProcess } from './helpers/process';
import type { CapturedRequest } from '../shared/types';


const { tmpDb, startServer } = useServerProcesses('hooklens-redact-');

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const b64url = (text: string | Buffer): string => Buffer.from(text).toString('base64url');

const ZENDESK_TOKEN = 'Zd9rEdAcTeDtOkEn0123456789abcdefGHIJKLMN';
const BASIC_PAIR = `jdoe@example.com/token:${ZENDESK_TOKEN}`;
const API_KEY = 'xk_live_redactme_4f3e2d1c0b9a88776655';
const QUERY_TOKEN = 'qat_7c6b5a4938271605f4e3d2c1b0a99887';
const SIGNING_SECRET = 'zendesk-bin-signing-secret-0123456789';

const JWT_PAYLOAD = { sub: 'user-42', iss: 'https://issuer.example', aud: 'hooklens', exp: 4102444800 };
const JWT = (() => {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(JWT_PAYLOAD));
  const signature = b64url(createHmac('sha256', 'jwt-signing-key').update(`${head}.${body}`).digest());
  return `${head}.${body}.${signature}`;
})();
const JWT_SIGNATURE = JWT.split('.')[2];

/** Every form the captured secrets could be stored in: as sent, base64 and base64url, the Basic pair encoded. */
const LEAK_FORMS = [ZENDESK_TOKEN, API_KEY, QUERY_TOKEN, JWT, JWT_SIGNATURE]
  // An unsalted SHA-256 fingerprint would let a leaked database be cracked offline: it must not be there either.
  .flatMap((s) => [s, b64(s), b64url(s), createHash('sha256').update(s).digest('hex')])
  .concat([b64(BASIC_PAIR), b64url(BASIC_PAIR)]);

/** The database as raw bytes: the main file, its WAL and the shared-memory index, whichever exist. */
function databaseBytes(db: string): string {
  return ['', '-wal', '-shm'].map((suffix) => (existsSync(db + suffix) ? readFileSync(db + suffix).toString('latin1') : '')).join('\n');
}

function leaksIn(bytes: string): string[] {
  return LEAK_FORMS.filter((form) => bytes.includes(form));
}

const ZENDESK_BODY = '{"type":"zen:event-type:ticket.created","detail":{"id":"35436"}}';
const ZENDESK_TS = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Creates a bin with a Zendesk signing secret, and sends the four captures; returns the bin and their ids. */
async function captureSecrets(server: ServerProcess): Promise<{ bin: string; ids: Record<'basic' | 'jwt' | 'apiKey' | 'query', number> }> {
  const created = await fetch(`${server.url}/api/bins`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 'redacted-bin', name: 'Zendesk' }),
  });
  expect(created.status).toBe(201);
  const patched = await fetch(`${server.url}/api/bins/redacted-bin`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ signingSecrets: { zendesk: SIGNING_SECRET } }),
  });
  expect(patched.status).toBe(200);
  const capture = async (path: string, headers: Record<string, string>, body = '{"n":1}'): Promise<number> => {
    const res = await fetch(`${server.url}/b/redacted-bin${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
    expect(res.status).toBe(200);
    return ((await res.json()) as { id: number }).id;
  };
  const signature = createHmac('sha256', SIGNING_SECRET).update(ZENDESK_TS + ZENDESK_BODY).digest('base64');
  const ids = {
    // A Zendesk-style delivery: Basic email/token:api_token, signed over the exact body.
    basic: await capture('/zendesk', {
      Authorization: `Basic ${b64(BASIC_PAIR)}`,
      'X-Zendesk-Webhook-Signature': signature,
      'X-Zendesk-Webhook-Signature-Timestamp': ZENDESK_TS,
      'X-Zendesk-Account-Id': '123456',
    }, ZENDESK_BODY),
    jwt: await capture('/jwt', { Authorization: `Bearer ${JWT}` }),
    apiKey: await capture('/key', { 'X-API-Key': API_KEY }),
    query: await capture(`/query?access_token=${QUERY_TOKEN}&page=2`, {}),
  };
  return { bin: 'redacted-bin', ids };
}

async function getRequest(server: ServerProcess, bin: string, id: number): Promise<CapturedRequest & { redacted?: boolean }> {
  const res = await fetch(`${server.url}/api/bins/${bin}/requests/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as CapturedRequest & { redacted?: boolean };
}

describe('--redact-secrets', () => {
  it('keeps no secret value in the database file or its WAL, while running and after SIGTERM', async () => {
    const db = tmpDb();
    const server = await startServer(['--db', db, '--redact-secrets']);
    await captureSecrets(server);
    expect(leaksIn(databaseBytes(db))).toEqual([]);
    expect(await server.stop()).toBe(0);
    expect(leaksIn(databaseBytes(db))).toEqual([]);
  });

  it('still shows that each request was redacted, with the credential label, username and JWT claims', async () => {
    const server = await startServer(['--db', tmpDb(), '--redact-secrets']);
    const { bin, ids } = await captureSecrets(server);

    const basic = await getRequest(server, bin, ids.basic);
    expect(basic.redacted).toBe(true);
    expect(basic.authLabel).toMatch(/Zendesk API token/);
    expect(basic.analysis.credentials[0]).toMatchObject({
      kind: 'zendesk-api-token', username: 'jdoe@example.com', label: 'Zendesk API token for jdoe@example.com',
      secret: { length: ZENDESK_TOKEN.length },
    });
    expect(basic.headers.find(([name]) => name === 'Authorization')).toEqual(['Authorization', `Basic ${b64('jdoe@example.com/token:[redacted]')}`]);

    const jwt = await getRequest(server, bin, ids.jwt);
    expect(jwt.redacted).toBe(true);
    expect(jwt.analysis.credentials[0]).toMatchObject({ kind: 'jwt', jwt: { header: { alg: 'HS256' }, payload: JWT_PAYLOAD } });

    const apiKey = await getRequest(server, bin, ids.apiKey);
    expect(apiKey.redacted).toBe(true);
    expect(apiKey.analysis.credentials[0]).toMatchObject({ kind: 'api-key', location: { in: 'header', name: 'X-API-Key' } });

    const query = await getRequest(server, bin, ids.query);
    expect(query.redacted).toBe(true);
    expect(query.query).toBe('access_token=[redacted]&page=2');
    expect(query.url).toBe('/b/redacted-bin/query?access_token=[redacted]&page=2');
    expect(query.analysis.credentials[0]).toMatchObject({ location: { in: 'query', name: 'access_token' } });

    // Nothing the API answers holds a secret either.
    const answers = JSON.stringify([basic, jwt, apiKey, query]);
    expect(LEAK_FORMS.filter((form) => answers.includes(form))).toEqual([]);
  });

  it('verifies a Zendesk signature over the body: signature headers are not credentials', async () => {
    const server = await startServer(['--db', tmpDb(), '--redact-secrets']);
    const { bin, ids } = await captureSecrets(server);
    const basic = await getRequest(server, bin, ids.basic);
    expect(basic.body.text).toBe(ZENDESK_BODY);
    expect(basic.analysis.signatures).toEqual([
      expect.objectContaining({ provider: 'zendesk', status: 'verified', secretSource: 'bin' }),
    ]);
    expect(basic.analysis.source).toMatchObject({ provider: 'zendesk', accountId: '123456' });
  });

  it('is what keeps them out: without it, the same captures are in the file as sent', async () => {
    const db = tmpDb();
    const server = await startServer(['--db', db]);
    const { bin, ids } = await captureSecrets(server);
    expect((await getRequest(server, bin, ids.basic)).redacted).toBeUndefined();
    const stored = [b64(BASIC_PAIR), JWT, API_KEY, QUERY_TOKEN];
    for (const form of stored) expect(databaseBytes(db)).toContain(form);
    expect(await server.stop()).toBe(0);
    for (const form of stored) expect(databaseBytes(db)).toContain(form);
  });
});
