import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCredentials, maskQuery, redactCredentials } from '../shared/auth';
import type { CapturedRequest, RequestSummary } from '../shared/types';
import { deriveColumns } from '../server/store/derive';
import { useServerProcesses, type ServerProcess } from './helpers/process';
import { newRequest } from './store/requests';
import { sendRaw } from './helpers/raw';

/*
 * Issue 14, item 4: credentials that escaped the capture log line and --redact-secrets. Each class is sent to a
 * real server over a raw socket (the bytes exactly as written), then looked for in three places: what the server
 * printed, the bytes of the SQLite file with its -wal and -shm, and what the API answers. Every secret is a
 * distinctive string, so that finding it anywhere means it leaked.
 */

const BIN = 'classes';

const b64url = (text: string | Buffer): string => Buffer.from(text).toString('base64url');

/** A JWT whose payload and signature segments are the secret parts (its header segment is kept by design). */
function jwt(subject: string): { token: string; secrets: string[] } {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub: subject, exp: 4102444800 }));
  const signature = b64url(createHmac('sha256', `key-${subject}`).update(`${head}.${body}`).digest());
  return { token: `${head}.${body}.${signature}`, secrets: [body, signature] };
}

const GHP_PATH = 'PathGhpTok3nQ7w8E9r0T1y2U3i4O5p6A7s8';
const GHP_QUERY_SHAPE = 'QryGhpTok3nZ1x2C3v4B5n6M7a8S9d0F1g2H3';
const GHP_ENCODED = 'EncGhpTok3nL4k5J6h7G8f9D0s1A2p3O4i5U6';
const GHP_MATRIX = 'MtxGhpTok3nY7t6R5e4W3q2A1s2D3f4G5h6J7';
const GHP_USER = 'UsrGhpTok3nK8j7H6g5F4d3S2a1Q0w9E8r7T6';
const PATH_JWT = jwt('path-jwt-subject-4471');
const MATRIX_JWT = jwt('matrix-jwt-subject-9182');
const SLACK_BODY = '7731990442-PathSlackBotTok3nRq8';
const STRIPE_BODY = 'PathStr1peLiveKeyX9c8V7b6N5m4';
const GLPAT_BODY = 'PathGlpatEmbedded7Hj6Kl5Zx4';
const DISCORD_SECRET = 'Xk9vQ2mL7pR4tW8zB3nF6hJ1sD5gK0aYcE7uI2oP9wQ';

/** One capture: the request-target and headers as sent, the secrets it carries (as they appear in the bytes). */
interface Example {
  target: string;
  headers?: [string, string][];
  secrets: string[];
}

/** Every class the adversarial run found, several shapes each. */
const CLASSES: Record<string, Example[]> = {
  'a query credential after ";"': [
    { target: `/b/${BIN}/semi?a=1;token=semiTokA1b2C3d4x`, secrets: ['semiTokA1b2C3d4x'] },
    { target: `/b/${BIN}/semi?page=2;api_key=semiKeyE5f6G7h8y;x=1`, secrets: ['semiKeyE5f6G7h8y'] },
    { target: `/b/${BIN}/semi?a=1&b=2;access_token=semiAccI9j0K1l2z`, secrets: ['semiAccI9j0K1l2z'] },
    { target: `/b/${BIN}/semi?q=x;password=semiPwdM3n4O5p6w&z=1`, secrets: ['semiPwdM3n4O5p6w'] },
  ],
  'bracketed, nested, percent-encoded, camel-case and repeated query names': [
    { target: `/b/${BIN}/names?api_key[]=brkKeyQ1w2E3r4t`, secrets: ['brkKeyQ1w2E3r4t'] },
    { target: `/b/${BIN}/names?auth[token]=brkAuthT5y6U7i8o&auth[type]=basic`, secrets: ['brkAuthT5y6U7i8o'] },
    { target: `/b/${BIN}/names?credentials.password=dotPwdO9p0A1s2d&user[password]=nestPwdF1g2H3j4k`, secrets: ['dotPwdO9p0A1s2d', 'nestPwdF1g2H3j4k'] },
    { target: `/b/${BIN}/names?api%5Fkey=encKeyD3f4G5h6j&%61ccess_token=encAccJ7k8L9z0x`, secrets: ['encKeyD3f4G5h6j', 'encAccJ7k8L9z0x'] },
    { target: `/b/${BIN}/names?token=repFirstX1c2V3b4n&token=repSecondN5m6Q7w8e`, secrets: ['repFirstX1c2V3b4n', 'repSecondN5m6Q7w8e'] },
    { target: `/b/${BIN}/names?x=ghp_${GHP_QUERY_SHAPE}&x=repShapeE9r0T1y2u`, secrets: [GHP_QUERY_SHAPE, 'repShapeE9r0T1y2u'] },
    { target: `/b/${BIN}/names?apiKey=camelKeyU3i4O5p6a&hub.verify_token=hubVerP7a8S9d0f`, secrets: ['camelKeyU3i4O5p6a', 'hubVerP7a8S9d0f'] },
  ],
  'a token in a path segment or a matrix parameter': [
    { target: `/b/${BIN}/hooks/ghp_${GHP_PATH}`, secrets: [GHP_PATH] },
    { target: `/b/${BIN}/jwt/${PATH_JWT.token}/events`, secrets: PATH_JWT.secrets },
    { target: `/b/${BIN}/slack/xoxb-${SLACK_BODY}`, secrets: [SLACK_BODY] },
    { target: `/b/${BIN}/stripe/sk_live_${STRIPE_BODY}?event=1`, secrets: [STRIPE_BODY] },
    { target: `/b/${BIN}/files/report.glpat-${GLPAT_BODY}.json`, secrets: [GLPAT_BODY] },
    { target: `/b/${BIN}/enc/ghp%5F${GHP_ENCODED}`, secrets: [GHP_ENCODED] },
    { target: `/b/${BIN}/discord/112233445566/${DISCORD_SECRET}`, secrets: [DISCORD_SECRET] },
    { target: `/b/${BIN}/m;token=matrixTokV9Qz3Wx;v=1/end`, secrets: ['matrixTokV9Qz3Wx'] },
    { target: `/b/${BIN}/m;api_key=matrixKeyL4p8Rt2;k=ghp_${GHP_MATRIX}/x;session=${MATRIX_JWT.token}`, secrets: ['matrixKeyL4p8Rt2', GHP_MATRIX, ...MATRIX_JWT.secrets] },
  ],
  'a provider token header hooklens had no name for': [
    {
      target: `/b/${BIN}/zendesk`,
      headers: [['X-Zendesk-Api-Token', 'zdHdrTok9Qm2Xv7Lp4Rs8'], ['X-Zendesk-Webhook-Id', '01F1KRFQ6BG29CNWFR60NK5FNY']],
      secrets: ['zdHdrTok9Qm2Xv7Lp4Rs8'],
    },
    {
      target: `/b/${BIN}/providers`,
      headers: [
        ['X-Figma-Token', 'figmaHdrTokA1s2D3f4'],
        ['X-Postmark-Server-Token', 'postmarkHdrG5h6J7k8'],
        ['X-Algolia-API-Key', 'algoliaHdrL9z0X1c2'],
        ['Circle-Token', 'circleHdrV3b4N5m6'],
        ['X-Hasura-Admin-Secret', 'hasuraHdrQ7w8E9r0'],
      ],
      secrets: ['figmaHdrTokA1s2D3f4', 'postmarkHdrG5h6J7k8', 'algoliaHdrL9z0X1c2', 'circleHdrV3b4N5m6', 'hasuraHdrQ7w8E9r0'],
    },
    {
      target: `/b/${BIN}/providers`,
      headers: [
        ['X-Telegram-Bot-Api-Secret-Token', 'telegramHdrT1y2U3i4'],
        ['X-TrackerToken', 'trackerHdrO5p6A7s8'],
        ['X-Master-Key', 'masterHdrD9f0G1h2'],
        ['DD-Application-Key', 'ddAppHdrJ3k4L5z6'],
        ['X-Sentry-Auth', 'Sentry sentry_key=sentryHdrX7c8V9b0'],
        ['X-Authorization', 'Bearer xAuthzHdrN1m2Q3w4'],
      ],
      secrets: ['telegramHdrT1y2U3i4', 'trackerHdrO5p6A7s8', 'masterHdrD9f0G1h2', 'ddAppHdrJ3k4L5z6', 'sentryHdrX7c8V9b0', 'xAuthzHdrN1m2Q3w4'],
    },
  ],
  "the user-info of an absolute-form request-target": [
    { target: `http://admin:uiPassW0rdQ9x8@127.0.0.1/b/${BIN}/u1`, secrets: ['uiPassW0rdQ9x8'] },
    { target: `http://admin:p@ss-uiAt7Yh6Gt5@127.0.0.1/b/${BIN}/u2`, secrets: ['ss-uiAt7Yh6Gt5'] },
    { target: `https://ghp_${GHP_USER}@example.com/b/${BIN}/u3`, secrets: [GHP_USER] },
    { target: `http://deploy:uiPct%40Rf4Ed3Ws2@example.com:8443/b/${BIN}/u4?page=1`, secrets: ['Rf4Ed3Ws2'] },
  ],
};

const { tmpDb, startServer, stopAndRead } = useServerProcesses('hooklens-classes-');

/** The database as raw bytes: the main file, its WAL and the shared-memory index, whichever exist. */
function databaseBytes(db: string): string {
  return ['', '-wal', '-shm'].map((suffix) => (existsSync(db + suffix) ? readFileSync(db + suffix).toString('latin1') : '')).join('\n');
}

/** Sends one capture exactly as written; answers the stored request's id. */
async function capture(server: ServerProcess, example: Example): Promise<number> {
  const headers = (example.headers ?? []).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  const raw = await sendRaw(
    server.port,
    `POST ${example.target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n${headers}Content-Length: 2\r\n\r\n{}`,
  );
  expect(raw.status, `${example.target} → ${raw.head}`).toBe(200);
  return (JSON.parse(raw.body) as { id: number }).id;
}

/** Creates the bin and sends every example of a class; answers the ids, in order. */
async function captureAll(server: ServerProcess, examples: Example[]): Promise<number[]> {
  const created = await fetch(`${server.url}/api/bins`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: BIN, name: 'classes' }),
  });
  expect(created.status).toBe(201);
  const ids: number[] = [];
  for (const example of examples) ids.push(await capture(server, example));
  return ids;
}

/** Everything the API answers about the bin's requests: the list, each request's JSON and its raw form. */
async function apiAnswers(server: ServerProcess, ids: number[]): Promise<{ text: string; requests: CapturedRequest[] }> {
  const list = await fetch(`${server.url}/api/bins/${BIN}/requests?limit=100`);
  expect(list.status).toBe(200);
  const listed = (await list.json()) as { requests: RequestSummary[] };
  expect(listed.requests.map((r) => r.id).sort((a, b) => a - b)).toEqual(ids);
  const requests: CapturedRequest[] = [];
  const raws: string[] = [];
  for (const id of ids) {
    const res = await fetch(`${server.url}/api/bins/${BIN}/requests/${id}`);
    expect(res.status).toBe(200);
    requests.push((await res.json()) as CapturedRequest);
    raws.push(await (await fetch(`${server.url}/api/bins/${BIN}/requests/${id}/raw`)).text());
  }
  return { text: JSON.stringify(listed) + JSON.stringify(requests) + raws.join('\n'), requests };
}

function leaks(text: string, secrets: string[]): string[] {
  return secrets.filter((secret) => text.includes(secret));
}

describe.each(Object.entries(CLASSES))('--redact-secrets and the capture log with %s', (_name, examples) => {
  const secrets = examples.flatMap((example) => example.secrets);

  it('keeps every secret out of the log line, the database file, its WAL and -shm, and the API', async () => {
    const db = tmpDb();
    const server = await startServer(['--db', db, '--redact-secrets']);
    const ids = await captureAll(server, examples);

    const api = await apiAnswers(server, ids);
    const whileRunning = leaks(databaseBytes(db), secrets);
    const output = await stopAndRead(server);
    expect({
      log: leaks(output, secrets),
      database: [...new Set([...whileRunning, ...leaks(databaseBytes(db), secrets)])],
      api: leaks(api.text, secrets),
    }).toEqual({ log: [], database: [], api: [] });
    for (const id of ids) expect(output).toMatch(new RegExp(`#${id} POST /b/${BIN}/\\S* → 200`));
    for (const request of api.requests) expect((request as CapturedRequest & { redacted?: boolean }).redacted).toBe(true);
  });

  it('is what keeps them out of the database: without it they are stored as sent, but never logged', async () => {
    const db = tmpDb();
    const server = await startServer(['--db', db]);
    await captureAll(server, examples);
    const stored = databaseBytes(db);
    for (const secret of secrets) expect(stored).toContain(secret);
    expect(leaks(await stopAndRead(server), secrets)).toEqual([]);
  });
});

describe('what --redact-secrets stores instead', () => {
  it('keeps names, prefixes, the route and the user name, and reports what it found', async () => {
    const server = await startServer(['--db', tmpDb(), '--redact-secrets']);
    const examples = [
      CLASSES['a query credential after ";"'][0],
      CLASSES['bracketed, nested, percent-encoded, camel-case and repeated query names'][1],
      CLASSES['a token in a path segment or a matrix parameter'][0],
      CLASSES['a token in a path segment or a matrix parameter'][7],
      CLASSES['a provider token header hooklens had no name for'][0],
      CLASSES['the user-info of an absolute-form request-target'][0],
    ];
    const ids = await captureAll(server, examples);
    const { requests } = await apiAnswers(server, ids);
    const [semi, nested, path, matrix, header, userinfo] = requests;

    expect(semi).toMatchObject({ query: 'a=1;token=[redacted]', url: `/b/${BIN}/semi?a=1;token=[redacted]` });
    expect(semi.analysis.credentials).toEqual([expect.objectContaining({ location: { in: 'query', name: 'token' } })]);

    expect(nested.query).toBe('auth[token]=[redacted]&auth[type]=basic');
    expect(nested.analysis.credentials.map((c) => c.location)).toEqual([{ in: 'query', name: 'auth[token]' }]);

    expect(path).toMatchObject({ path: '/hooks/ghp_[redacted]', url: `/b/${BIN}/hooks/ghp_[redacted]` });
    expect(path.analysis.warnings).toEqual([expect.objectContaining({ code: 'credential-in-path', message: expect.stringMatching(/GitHub personal access token/) })]);

    expect(matrix).toMatchObject({ path: '/m;token=[redacted];v=1/end', url: `/b/${BIN}/m;token=[redacted];v=1/end` });

    expect(header.headers).toContainEqual(['X-Zendesk-Api-Token', '[redacted]']);
    expect(header.headers).toContainEqual(['X-Zendesk-Webhook-Id', '01F1KRFQ6BG29CNWFR60NK5FNY']);
    expect(header.analysis.credentials).toEqual([expect.objectContaining({ kind: 'api-key', location: { in: 'header', name: 'X-Zendesk-Api-Token' } })]);

    expect(userinfo).toMatchObject({ url: `http://admin:[redacted]@127.0.0.1/b/${BIN}/u1`, path: '/u1' });
    expect(userinfo.analysis.warnings).toEqual([expect.objectContaining({ code: 'credential-in-userinfo', message: expect.stringMatching(/password for "admin"/) })]);

    const output = await stopAndRead(server);
    expect(output).toContain(`#${ids[0]} POST /b/${BIN}/semi?a=1;token=[redacted] → 200`);
    expect(output).toContain(`#${ids[2]} POST /b/${BIN}/hooks/ghp_[redacted] → 200`);
    expect(output).toContain(`#${ids[3]} POST /b/${BIN}/m;token=[redacted];v=1/end → 200`);
    expect(output).toContain(`#${ids[5]} POST /b/${BIN}/u1 → 200`);
  });
});

describe('the shared decoder on the same classes', () => {
  it('redacts, reports and masks exactly the credential parameters, whatever separates or nests them', () => {
    const query = 'a=1;token=t0k&b=2&api_key[]=k1&auth[type]=basic&auth[token]=t2&sort[key]=name&API%2DKEY=k3&pageToken=p&x=ghp_' +
      `${GHP_QUERY_SHAPE}&x=second`;
    expect(redactCredentials({ headers: [], query }).query).toBe(
      'a=1;token=[redacted]&b=2&api_key[]=[redacted]&auth[type]=basic&auth[token]=[redacted]&sort[key]=name&API%2DKEY=[redacted]&pageToken=p&x=ghp_[redacted]&x=[redacted]',
    );
    const reported = decodeCredentials({ headers: [], query, secure: true }).credentials.map((c) => c.location.name);
    expect(reported).toEqual(['token', 'api_key[]', 'auth[token]', 'API-KEY', 'x', 'x']);
    const masked = maskQuery(query);
    expect(masked).toMatch(/^a=1;token=•••&b=2&api_key\[\]=••&auth\[type\]=basic&auth\[token\]=••&sort\[key\]=name&API%2DKEY=••&pageToken=p&x=ghp_•+\w{4}&x=•+$/);
  });

  it('keeps the route before the path it was given, and the separators, case and escapes of the rest', () => {
    const target = `http://me:pw@h/b/${BIN}/a%2Fb/ghp_${GHP_PATH};v=1?x=1;Token=2`;
    expect(redactCredentials({ headers: [], query: 'x=1;Token=2', path: `/a%2Fb/ghp_${GHP_PATH};v=1`, target })).toEqual({
      headers: [],
      query: 'x=1;Token=[redacted]',
      path: '/a%2Fb/ghp_[redacted];v=1',
      target: `http://me:[redacted]@h/b/${BIN}/a%2Fb/ghp_[redacted];v=1?x=1;Token=[redacted]`,
      redacted: true,
    });
    // A bin id that looks like a secret is the route, not a credential.
    const longBin = 'Zq8Lw2Nf7Rt4Vx9Bk3Hm6Jp1Sd5Gc0YaQ';
    expect(redactCredentials({ headers: [], query: '', path: '/x', target: `/b/${longBin}/x` }).target).toBe(`/b/${longBin}/x`);
    expect(redactCredentials({ headers: [], query: '', path: '/', target: `/b/${longBin}` }).target).toBe(`/b/${longBin}`);
    expect(redactCredentials({ headers: [], query: '', path: `/ghp_${GHP_PATH}`, target: `/b/${longBin}/ghp_${GHP_PATH}` }).target).toBe(`/b/${longBin}/ghp_[redacted]`);
  });

  it('leaves ordinary paths, names and headers alone', () => {
    const headers: [string, string][] = [['X-Event-Key', 'repo:push'], ['Idempotency-Key', 'abc'], ['X-Api-Key-Id', 'k-1'], ['X-Zendesk-Account-Id', '123']];
    expect(redactCredentials({ headers, query: 'page=2;sort=asc&filter[key]=name&next_page_token=abc', path: '/orders/12345/items;v=2', target: '/b/x/orders/12345/items;v=2' })).toEqual({
      headers, query: 'page=2;sort=asc&filter[key]=name&next_page_token=abc', path: '/orders/12345/items;v=2', target: '/b/x/orders/12345/items;v=2', redacted: false,
    });
  });

  it('never throws, and never reports a decoder failure, whatever the path and target hold', () => {
    const piece = fc.oneof(fc.string(), fc.constantFrom('/', ';', '=', '?', '@', ':', '%', '%2F', 'eyJ', '.', 'ghp_', `ghp_${GHP_PATH}`, PATH_JWT.token, 'http://', '[', ']'));
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, text, (path, target, query) => {
        const redacted = redactCredentials({ headers: [], query, path, target });
        expect(typeof redacted.path).toBe('string');
        expect(typeof redacted.target).toBe('string');
        const decoded = decodeCredentials({ headers: [], query, path, target, secure: true, now: 0 });
        expect(decoded.warnings.filter((w) => w.code === 'decoder-failed')).toEqual([]);
        expect(JSON.stringify(decoded)).not.toContain(GHP_PATH);
      }),
      // Seeded, so that CI reruns the same cases; 80,000 unseeded runs passed when this was written.
      { numRuns: 3_000, seed: 20261205 },
    );
  });

  it('never names a parameter or user that holds a token in what it reports (cases fast-check found)', () => {
    for (const [path, target] of [
      [`/0ghp_${GHP_PATH}:=ghp_${GHP_PATH}`, ''],
      ['', `http:// ghp_${GHP_PATH}!: @`],
      ['', `http://@ghp_${GHP_PATH}: @`],
    ]) {
      const decoded = decodeCredentials({ headers: [], query: '', path, target, secure: true, now: 0 });
      expect(decoded.warnings.length).toBeGreaterThan(0);
      expect(JSON.stringify(decoded)).not.toContain(GHP_PATH);
    }
  });

  it('stays linear on long hostile targets', () => {
    for (const unit of ['eyJ_', 'eyJa.', 'ghp_', 'xoxb-', ';a=', '%ZZ', '/', 'a[', 'Zq8Lw2Nf7Rt4Vx9Bk3Hm6Jp1Sd5Gc0Ya;']) {
      const text = unit.repeat(Math.ceil(16_000 / unit.length)).slice(0, 16_000);
      const started = performance.now();
      redactCredentials({ headers: [], query: text, path: `/${text}`, target: `http://u:p@h/b/x/${text}?${text}` });
      decodeCredentials({ headers: [], query: text, path: `/${text}`, target: `/b/x/${text}`, secure: true, now: 0 });
      // Generous: a quadratic pass over 16 kB takes seconds, a linear one a few milliseconds.
      expect(performance.now() - started, unit).toBeLessThan(1000);
    }
  });
});

describe('trailers after a chunked body', () => {
  it('are redacted like headers by --redact-secrets, also when nothing else in the request is a credential', () => {
    const request = newRequest(BIN, 1, { trailers: [['X-Checksum', 'sha1=2aae6c35'], ['Authorization', 'Bearer trailerTokZ8x7C6v5B4n3']] });
    const redacted = deriveColumns(request, { redactSecrets: true, secrets: {}, publicUrl: null });
    expect(JSON.stringify(redacted.trailers)).not.toContain('trailerTokZ8x7C6v5B4n3');
    expect(redacted.trailers?.[0]).toEqual(['X-Checksum', 'sha1=2aae6c35']);
    expect(redacted.trailers?.[1][0]).toBe('Authorization');
    expect(redacted.headers).toEqual(request.headers);
    expect(deriveColumns(request, { redactSecrets: false, secrets: {}, publicUrl: null }).trailers).toEqual(request.trailers);
  });
});
