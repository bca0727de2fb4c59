/**
 * Search (`GET /api/bins/{binId}/requests?q=`) through the API, one suite run on every engine: SQLite in memory, and
 * PostgreSQL in a fresh schema per test (HOOKLENS_TEST_PG_URL; see test/helpers/pg.ts).
 */
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../server/config';
import { sweepExpired } from '../server/services/retention';
import type { RequestPage } from '../shared/types';
import { makeTestApp, type TestApp } from './helpers/app';
import { dropSchema, freshSchemaUrl, pgSuite } from './helpers/pg';
import { newRequest } from './store/requests';

interface Engine {
  /** Where the test app keeps its database, and what removes it afterwards. */
  database(): Promise<{ db: string; remove(): Promise<void> }>;
}

const engines: Record<string, Engine> = {
  sqlite: { database: async () => ({ db: ':memory:', remove: async () => {} }) },
  postgres: {
    async database() {
      const url = await freshSchemaUrl('hl_search');
      return { db: url, remove: () => dropSchema(url) };
    },
  },
};

const SECRET = 'bin-signing-secret-for-search';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

function searchSuite(engine: Engine): void {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  let clock = Date.parse('2026-12-01T08:00:00.000Z');
  /** A test app on a fresh database with bins b1 and b2; the clock moves 1 s per capture unless set. */
  async function open(config: Partial<Config> = {}): Promise<TestApp> {
    clock = Date.parse('2026-12-01T08:00:00.000Z');
    const { db, remove } = await engine.database();
    const t = await makeTestApp({ bins: ['b1', 'b2'], config: { db, ...config }, now: () => clock });
    cleanups.push(remove, () => t.close());
    return t;
  }

  interface Capture {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    bin?: string;
  }
  async function capture(t: TestApp, { method = 'POST', path = '/', headers = {}, body, bin = 'b1' }: Capture = {}): Promise<number> {
    clock += 1000;
    let call = request(t.app)[method.toLowerCase() as 'post'](`/b/${bin}${path === '/' ? '' : path}`).set(headers);
    if (body !== undefined) call = call.send(body);
    const res = await call;
    expect(res.status).toBeLessThan(500);
    return res.body.id as number;
  }
  async function search(t: TestApp, q: string, params = '', bin = 'b1'): Promise<RequestPage & { total: number }> {
    const res = await request(t.app).get(`/api/bins/${bin}/requests?q=${encodeURIComponent(q)}${params}`);
    if (res.status !== 200) throw new Error(`${q} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as RequestPage & { total: number };
  }
  const ids = async (t: TestApp, q: string, params = ''): Promise<number[]> => (await search(t, q, params)).requests.map((r) => r.id);
  async function problem(t: TestApp, q: string): Promise<string> {
    const res = await request(t.app).get(`/api/bins/b1/requests?q=${encodeURIComponent(q)}`).expect(400);
    return res.body.error as string;
  }

  describe('words', () => {
    it('finds a whole word or the start of one, in any case, in method, path, query, header names and values, and the body', async () => {
      const t = await open();
      const inMethod = await capture(t, { method: 'PATCH' });
      const inPath = await capture(t, { path: '/hooks/Tickets/update' });
      const inQuery = await capture(t, { path: '/q?colour=magenta' });
      const inHeaderName = await capture(t, { headers: { 'X-Frobnicate': '1' } });
      const inHeaderValue = await capture(t, { headers: { 'X-Note': 'Printer on FIRE' } });
      const inBody = await capture(t, { headers: { 'Content-Type': 'application/json' }, body: '{"subject":"Quokka sighting"}' });
      expect(await ids(t, 'patch')).toEqual([inMethod]);
      expect(await ids(t, 'TICKETS')).toEqual([inPath]);
      expect(await ids(t, 'magenta')).toEqual([inQuery]);
      expect(await ids(t, 'frobnicate')).toEqual([inHeaderName]);
      expect(await ids(t, 'fire')).toEqual([inHeaderValue]);
      expect(await ids(t, 'quokka')).toEqual([inBody]);
      // The start of a word, never its middle or end; and no stemming.
      expect(await ids(t, 'quok')).toEqual([inBody]);
      expect(await ids(t, 'okka')).toEqual([]);
      expect(await ids(t, 'quokkas')).toEqual([]);
      expect(await ids(t, 'sighted')).toEqual([]);
    });

    it('needs every term, and finds words of other scripts and percent-encoded ones', async () => {
      const t = await open();
      const both = await capture(t, { path: '/caf%C3%A9?name=J%C3%BCrgen+Wei%C3%9F', body: 'alpha beta' });
      await capture(t, { body: 'alpha gamma' });
      expect(await ids(t, 'alpha beta')).toEqual([both]);
      expect(await ids(t, 'CAFÉ jürgen weiß')).toEqual([both]);
      const japanese = await capture(t, { headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'お知らせ 東京' });
      expect(await ids(t, '東京')).toEqual([japanese]);
    });

    it('finds words joined by other characters next to each other, each the start of a word', async () => {
      const t = await open();
      const email = await capture(t, { body: '{"requester":"jdoe@example.com"}' });
      await capture(t, { body: '{"a":"jdoe","b":"example.com"}' });
      expect(await ids(t, 'jdoe@example.com')).toEqual([email]);
      expect(await ids(t, 'jdoe@exa')).toEqual([email]);
      expect(await ids(t, 'x-zendesk')).toEqual([]);
    });

    it('indexes the first 64 KB of a text body, and no binary body', async () => {
      const t = await open();
      const long = await capture(t, { body: `early ${'x '.repeat(40_000)} beyondthemark` });
      await capture(t, { headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from([0xff, 0xfe, ...Buffer.from(' binaryword ')]) });
      expect(await ids(t, 'early')).toEqual([long]);
      expect(await ids(t, 'beyondthemark')).toEqual([]);
      expect(await ids(t, 'binaryword')).toEqual([]);
    });
  });

  describe('phrases', () => {
    it('finds the quoted words next to each other and in that order, whole words only', async () => {
      const t = await open();
      const phrase = await capture(t, { body: 'the printer is on fire today' });
      await capture(t, { body: 'fire on is printer the' });
      const fine = await capture(t, { body: 'the printer is fine, on the fire escape' });
      expect(await ids(t, '"printer is on fire"')).toEqual([phrase]);
      expect(await ids(t, '"PRINTER IS"')).toEqual([fine, phrase]);
      expect(await ids(t, '"printer is on fi"')).toEqual([]);
      expect(await ids(t, '"on fire"')).toEqual([phrase]);
    });
  });

  describe('qualifiers', () => {
    it('method: matches the method, whatever the case typed', async () => {
      const t = await open();
      const put = await capture(t, { method: 'PUT' });
      await capture(t, { method: 'POST' });
      expect(await ids(t, 'method:put')).toEqual([put]);
      expect(await ids(t, 'method:PUT')).toEqual([put]);
      expect(await ids(t, 'method:PU')).toEqual([]);
    });

    it('path: is equal without a wildcard; * is any run of characters, / included, and ? one character', async () => {
      const t = await open();
      const a = await capture(t, { path: '/hooks/zendesk/tickets' });
      const b = await capture(t, { path: '/hooks/x' });
      const c = await capture(t, { path: '/hooksy' });
      const d = await capture(t, { path: '/a[1]%_b' });
      const root = await capture(t, { path: '/?q=1' });
      expect(await ids(t, 'path:/hooks/x')).toEqual([b]);
      expect(await ids(t, 'path:/hooks')).toEqual([]);
      expect(await ids(t, 'path:/hooks/*')).toEqual([b, a]);
      expect(await ids(t, 'path:/hooks*')).toEqual([c, b, a]);
      expect(await ids(t, 'path:/hooks/?')).toEqual([b]);
      expect(await ids(t, 'path:*tickets')).toEqual([a]);
      expect(await ids(t, 'path:/a[1]%_b')).toEqual([d]);
      expect(await ids(t, 'path:/a[1]*')).toEqual([d]);
      expect(await ids(t, 'path:/a?1]%_?')).toEqual([d]);
      expect(await ids(t, 'path:/')).toEqual([root]);
    });

    it('header:name finds a header whatever the case of its name; header:name=value its exact value', async () => {
      const t = await open();
      const json = await capture(t, { headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'abc-123' }, body: '{}' });
      const upper = await capture(t, { headers: { 'content-type': 'Application/JSON', 'X-Empty': '' }, body: '{}' });
      await capture(t, { body: 'no content type' });
      expect(await ids(t, 'header:x-request-id')).toEqual([json]);
      expect(await ids(t, 'header:X-REQUEST-ID=abc-123')).toEqual([json]);
      expect(await ids(t, 'header:x-request-id=ABC-123')).toEqual([]);
      expect(await ids(t, 'header:x-request-id=abc')).toEqual([]);
      expect(await ids(t, 'header:content-type=application/json')).toEqual([json]);
      expect(await ids(t, 'header:content-type="Application/JSON"')).toEqual([upper]);
      expect(await ids(t, 'header:x-empty=""')).toEqual([upper]);
      expect(await ids(t, '-header:content-type=application/json method:POST')).toHaveLength(2);
    });

    it('auth: finds each credential kind, and none', async () => {
      const t = await open();
      const basic = await capture(t, { headers: { Authorization: `Basic ${b64('jdoe:hunter2')}` } });
      const zendesk = await capture(t, { headers: { Authorization: `Basic ${b64('jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv')}` } });
      const bearer = await capture(t, { headers: { Authorization: 'Bearer opaque-token-value-123456' } });
      const none = await capture(t);
      expect(await ids(t, 'auth:basic')).toEqual([basic]);
      expect(await ids(t, 'auth:zendesk-api-token')).toEqual([zendesk]);
      expect(await ids(t, 'auth:bearer')).toEqual([bearer]);
      expect(await ids(t, 'auth:none')).toEqual([none]);
      expect(await ids(t, '-auth:none')).toEqual([bearer, zendesk, basic]);
      expect(await ids(t, 'auth:jwt')).toEqual([]);
    });

    it('provider: finds the sender its headers name', async () => {
      const t = await open();
      const zendesk = await capture(t, { headers: { 'User-Agent': 'Zendesk Webhook', 'X-Zendesk-Account-Id': '1' } });
      const github = await capture(t, { headers: { 'X-GitHub-Event': 'push' } });
      await capture(t);
      expect(await ids(t, 'provider:zendesk')).toEqual([zendesk]);
      expect(await ids(t, 'provider:GitHub')).toEqual([github]);
      expect(await ids(t, 'provider:stripe')).toEqual([]);
    });

    it('after: and before: compare strictly with the time received; a date is its midnight UTC', async () => {
      const t = await open();
      clock = Date.parse('2026-11-30T23:59:58.000Z');
      const lateNov = await capture(t); // 23:59:59
      const midnight = await capture(t); // 00:00:00.000 on Dec 1
      const dec1 = await capture(t); // 00:00:01
      clock = Date.parse('2026-12-02T11:59:59.000Z');
      const dec2 = await capture(t); // 12:00:00
      expect(await ids(t, 'after:2026-12-01')).toEqual([dec2, dec1]);
      expect(await ids(t, 'before:2026-12-01')).toEqual([lateNov]);
      expect(await ids(t, 'after:2026-11-30T23:59:59Z before:2026-12-02')).toEqual([dec1, midnight]);
      expect(await ids(t, 'after:2026-12-02T13:00:00+02:00')).toEqual([dec2]);
      expect(await ids(t, '-before:2026-12-02T12:00:00Z')).toEqual([dec2]);
    });
  });

  describe('exclusions', () => {
    it('leaves out what a term excluded with - matches: words, phrases and qualifiers', async () => {
      const t = await open();
      const ping = await capture(t, { method: 'GET', path: '/health', body: undefined });
      const ticket = await capture(t, { body: 'ticket created' });
      const other = await capture(t, { body: 'ticket updated' });
      expect(await ids(t, '-health')).toEqual([other, ticket]);
      expect(await ids(t, 'ticket -"ticket created"')).toEqual([other]);
      expect(await ids(t, '-method:GET')).toEqual([other, ticket]);
      expect(await ids(t, '-method:POST -ticket')).toEqual([ping]);
      expect(await ids(t, '-path:/health -ticket')).toEqual([]);
    });
  });

  describe('total and paging', () => {
    it('answers total, the number that match, on every page; pages with limit, before and after among the matches', async () => {
      const t = await open();
      const matching: number[] = [];
      for (let i = 0; i < 7; i++) {
        matching.push(await capture(t, { body: `match number ${i}` }));
        await capture(t, { body: `other ${i}` });
      }
      await capture(t, { bin: 'b2', body: 'match in another bin' });
      const first = await search(t, 'match', '&limit=3');
      expect(first).toMatchObject({ hasMore: true, total: 7 });
      expect(first.requests.map((r) => r.id)).toEqual([matching[6], matching[5], matching[4]]);
      const second = await search(t, 'match', `&limit=3&before=${matching[4]}`);
      expect(second).toMatchObject({ hasMore: true, total: 7 });
      expect(second.requests.map((r) => r.id)).toEqual([matching[3], matching[2], matching[1]]);
      const last = await search(t, 'match', `&limit=3&before=${matching[1]}`);
      expect(last).toMatchObject({ hasMore: false, total: 7, requests: [expect.objectContaining({ id: matching[0] })] });
      const newer = await search(t, 'match', `&after=${matching[4]}`);
      expect(newer.requests.map((r) => r.id)).toEqual([matching[6], matching[5]]);
      expect((await search(t, 'match method:POST', '&limit=1')).total).toBe(7);
      expect((await search(t, 'nothing-like-this')).total).toBe(0);
      // Without q (or with an empty one), total is the bin's count.
      expect((await request(t.app).get('/api/bins/b1/requests?limit=1').expect(200)).body).toMatchObject({ total: 14, hasMore: true });
      expect((await search(t, '', '&limit=1')).total).toBe(14);
    });

    it('searches only the bin asked for, and answers 404 for an unknown one', async () => {
      const t = await open();
      await capture(t, { bin: 'b2', body: 'elsewhere' });
      expect(await ids(t, 'elsewhere')).toEqual([]);
      expect((await search(t, 'elsewhere', '', 'b2')).total).toBe(1);
      await request(t.app).get('/api/bins/nope/requests?q=x').expect(404);
    });
  });

  describe('invalid queries', () => {
    it('answers 400 naming what is wrong and where', async () => {
      const t = await open();
      expect(await problem(t, 'printer "on fire')).toBe('unterminated quote at character 9');
      expect(await problem(t, 'printer colour:red')).toMatch(/^unknown qualifier "colour:" at character 9 /);
      expect(await problem(t, 'method:')).toBe('empty value for "method:" at character 1');
      expect(await problem(t, 'x after:2026-02-30')).toMatch(/^bad date "2026-02-30" for "after:" at character 3: /);
      expect(await problem(t, 'sig:great')).toMatch(/^unknown signature status "great" for "sig:" at character 1 /);
      expect(await problem(t, 'auth:password')).toMatch(/^unknown credential kind "password" for "auth:" at character 1 /);
      expect((await request(t.app).get('/api/bins/b1/requests?q=a&q=b').expect(400)).body.error).toBe('"q" must be given once, as text');
    });

    it('treats index and SQL syntax in words as text, never as syntax', async () => {
      const t = await open();
      const near = await capture(t, { body: 'NEAR(alpha beta) OR gamma^2 AND NOT delta* col:on "quoted"' });
      await capture(t, { body: 'alpha' });
      for (const q of ['NEAR(alpha', 'OR', 'gamma^2', 'NOT', 'delta*', '"col:on"', '"\\"quoted"', '*', '(', ')', '^', 'a:"b"x', "'", '\\', ';',
        "'; DROP TABLE requests; --", 'x" OR 1=1 --', '{bin} :', 'AND', '"NEAR" "AND"', 'zz', 'zq', 'zh']) {
        const res = await request(t.app).get(`/api/bins/b1/requests?q=${encodeURIComponent(q)}`);
        expect([200, 400], q).toContain(res.status);
      }
      expect(await ids(t, 'NEAR(alpha')).toEqual([near]);
      expect(await ids(t, 'OR AND NOT')).toEqual([near]);
      expect(await ids(t, 'gamma^2')).toEqual([near]);
      expect(await ids(t, '"col:on"')).toEqual([near]);
      expect(await ids(t, 'delta*')).toEqual([near]);
      expect(await ids(t, "'; DROP TABLE requests; --")).toEqual([]);
      expect((await search(t, '* ^ ( )')).total).toBe(2);
      // Still there.
      expect((await request(t.app).get('/api/bins/b1/requests').expect(200)).body.total).toBe(2);
    });
  });

  describe('keeping up with captures and deletes', () => {
    it('finds a capture as soon as it is acknowledged', async () => {
      const t = await open();
      for (let i = 0; i < 5; i++) {
        const id = await capture(t, { body: `fresh-${i}` });
        expect(await ids(t, `fresh-${i}`)).toEqual([id]);
      }
    });

    it('no longer finds a deleted request, the requests of a cleared bin, nor those of a deleted bin made again', async () => {
      const t = await open();
      const gone = await capture(t, { body: 'doomed one' });
      const kept = await capture(t, { body: 'doomed two' });
      expect(await ids(t, 'doomed')).toEqual([kept, gone]);
      await request(t.app).delete(`/api/bins/b1/requests/${gone}`).expect(204);
      expect(await search(t, 'doomed')).toMatchObject({ total: 1, requests: [expect.objectContaining({ id: kept })] });
      await request(t.app).delete('/api/bins/b1/requests').expect(204);
      expect((await search(t, 'doomed')).total).toBe(0);
      const later = await capture(t, { body: 'doomed three' });
      expect(await ids(t, 'doomed')).toEqual([later]);

      await capture(t, { bin: 'b2', body: 'bin going away' });
      await request(t.app).delete('/api/bins/b2').expect(204);
      await request(t.app).post('/api/bins').send({ id: 'b2' }).expect(201);
      expect((await search(t, 'going', '', 'b2')).total).toBe(0);
    });

    it('no longer finds what --max-requests, the TTL sweep and --max-stored removed', async () => {
      const t = await open({ maxRequests: 3, maxBody: 1024, maxStored: 4 * 1024 });
      const evicted = await capture(t, { body: 'evictable 0' });
      for (let i = 1; i <= 3; i++) await capture(t, { body: `evictable ${i}` });
      expect(await search(t, 'evictable')).toMatchObject({ total: 3 });
      expect(await ids(t, 'evictable')).not.toContain(evicted);

      await capture(t, { bin: 'b2', body: 'aging' });
      clock += 3_600_000;
      await capture(t, { bin: 'b2', body: 'aging young' });
      expect(await sweepExpired(t.store, t.requests, 1_800_000, clock)).toBeGreaterThan(0);
      expect((await search(t, 'aging', '', 'b2')).total).toBe(1);

      // Each body is about 1 KB: four more push the oldest out of the 4 KB the database may hold.
      for (let i = 0; i < 4; i++) await capture(t, { bin: 'b2', body: `bulky ${i} ${'y'.repeat(900)}` });
      await t.requests.drain();
      const left = await search(t, 'bulky', '', 'b2');
      expect(left.total).toBeLessThan(4);
      expect(left.total).toBe(left.requests.length);
      expect((await search(t, 'young', '', 'b2')).total).toBe(0);
    });
  });

  describe('signatures', () => {
    const body = '{"type":"ticket.created"}';
    const timestamp = '2026-12-01T08:00:00Z';
    const signed = (secret: string) => ({
      'X-Zendesk-Webhook-Signature': createHmac('sha256', secret).update(timestamp + body).digest('base64'),
      'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
      'Content-Type': 'application/json',
    });

    it('sig: follows the bin\'s secrets: a secret added later verifies requests captured before it', async () => {
      const t = await open();
      const ours = await capture(t, { headers: signed(SECRET), body });
      const test = await capture(t, { headers: signed('dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=='), body });
      const unsigned = await capture(t, { body });
      expect(await ids(t, 'sig:no-secret')).toEqual([ours]);
      expect(await ids(t, 'sig:verified')).toEqual([test]);
      expect(await ids(t, 'sig:none')).toEqual([unsigned]);
      expect(await ids(t, '-sig:none')).toEqual([test, ours]);

      await request(t.app).patch('/api/bins/b1').send({ signingSecrets: { zendesk: SECRET } }).expect(200);
      await t.signatures.idle();
      expect(await ids(t, 'sig:verified')).toEqual([test, ours]);
      expect(await ids(t, 'sig:no-secret')).toEqual([]);
      // Captured with the secret in place: judged with it at once.
      const later = await capture(t, { headers: signed(SECRET), body });
      expect(await ids(t, 'sig:verified')).toEqual([later, test, ours]);

      await request(t.app).patch('/api/bins/b1').send({ signingSecrets: { zendesk: 'another-secret' } }).expect(200);
      await t.signatures.idle();
      expect(await ids(t, 'sig:mismatch')).toEqual([later, ours]);
      // The list and the detail say the same as the search.
      const detail = (await request(t.app).get(`/api/bins/b1/requests/${ours}`).expect(200)).body;
      expect(detail.analysis.signatures.map((s: { status: string }) => s.status)).toEqual(['mismatch']);
      expect(await ids(t, 'provider:zendesk sig:mismatch')).toEqual([later, ours]);
    });

    it('rechecks with the newest secret when the secrets change while a recheck runs, and announces the bin when done', async () => {
      const t = await open();
      const headers = Object.entries(signed(SECRET)) as [string, string][];
      for (let i = 0; i < 450; i += 150) {
        await t.store.insertRequests(Array.from({ length: 150 }, (_, k) => newRequest('b1', i + k, { headers, body: Buffer.from(body) })), 1_000);
      }
      expect((await search(t, 'sig:no-secret')).total).toBe(450);
      const published = vi.spyOn(t.bus, 'publish');
      // The second change lands while the first recheck is still going (a chunk is 200 requests).
      await request(t.app).patch('/api/bins/b1').send({ signingSecrets: { zendesk: 'first-try' } }).expect(200);
      await request(t.app).patch('/api/bins/b1').send({ signingSecrets: { zendesk: SECRET } }).expect(200);
      await t.signatures.idle();
      expect((await search(t, 'sig:verified')).total).toBe(450);
      expect(await t.store.binsToRecheck()).toEqual([]);
      const binMessages = published.mock.calls.flatMap(([events]) => events).filter((e) => e.type === 'bin' && e.bin.id === 'b1');
      expect(binMessages.length).toBeGreaterThanOrEqual(3);
    });
  });
}

describe('Search on SQLite', () => {
  searchSuite(engines.sqlite);
});

pgSuite('Search on PostgreSQL', () => {
  searchSuite(engines.postgres);
});
