import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { RequestPage, RequestSummary } from '../shared/types';
import { sweepExpired } from '../server/services/retention';
import { startTestServer, type TestServer } from './helpers/app';
import { LiveClient } from './helpers/live';
import { startPrivateCluster, type PrivateCluster } from './helpers/pg-cluster';
import { dropSchema, freshSchemaUrl, pgSuite } from './helpers/pg';
import { startServerProcess, type ServerProcess } from './helpers/process';

const servers: TestServer[] = [];
const processes: ServerProcess[] = [];
const clients: LiveClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Every request of a bin through the REST API, oldest first. */
async function listAll(baseUrl: string, binId: string): Promise<RequestSummary[]> {
  const all: RequestSummary[] = [];
  for (let before: number | undefined; ;) {
    const res = await fetch(`${baseUrl}/api/bins/${binId}/requests?limit=500${before ? `&before=${before}` : ''}`);
    expect(res.status).toBe(200);
    const page = await res.json() as RequestPage;
    all.push(...page.requests);
    if (!page.hasMore) break;
    before = page.requests.at(-1)!.id;
  }
  return all.reverse();
}

async function post(url: string, body: string): Promise<{ status: number; id: number | null }> {
  const res = await fetch(url, { method: 'POST', body });
  const answer = await res.json() as { id?: number };
  return { status: res.status, id: answer.id ?? null };
}

async function follow(server: { liveUrl: string }, binId: string, after?: number): Promise<LiveClient> {
  const client = await LiveClient.connect(server.liveUrl);
  clients.push(client);
  client.send({ type: 'subscribe', binId, ...(after === undefined ? {} : { after }) });
  await client.sync();
  return client;
}

pgSuite('several instances on one PostgreSQL', () => {
  let url: string;
  beforeAll(async () => {
    url = await freshSchemaUrl();
  });
  afterAll(async () => {
    await dropSchema(url);
  });

  it('delivers captures from 16 senders racing on two instances to every live stream in id order, once each, as REST lists them', async () => {
    const a = await startTestServer({ config: { db: url } });
    const b = await startTestServer({ config: { db: url } });
    servers.push(a, b);
    // Created through one instance, captured through both.
    expect((await fetch(`${a.url}/api/bins`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"race"}' })).status).toBe(201);
    const onA = await follow(a, 'race', 0);
    const onB = await follow(b, 'race');
    const lateOnB = { client: null as LiveClient | null };
    const perSender = 20;
    const acknowledged: number[] = [];
    await Promise.all(Array.from({ length: 16 }, async (_, n) => {
      for (let i = 0; i < perSender; i++) {
        const target = (n + i) % 2 === 0 ? a : b;
        const { status, id } = await post(`${target.url}/b/race/s${n}`, JSON.stringify({ n, i }));
        expect(status).toBe(200);
        acknowledged.push(id!);
        // A viewer that joins in the middle, resuming from the start, gets the backlog and the live rest.
        if (n === 0 && i === perSender / 2) lateOnB.client = await follow(b, 'race', 0);
      }
    }));
    const total = 16 * perSender;
    const listed = (await listAll(b.url, 'race')).map((r) => r.id);
    expect(listed).toHaveLength(total);
    expect([...acknowledged].sort((x, y) => x - y)).toEqual(listed);
    expect((await listAll(a.url, 'race')).map((r) => r.id)).toEqual(listed);
    for (const client of [onA, onB, lateOnB.client!]) {
      await client.until(() => client.requestIds('race').length >= total);
      expect(client.requestIds('race')).toEqual(listed);
    }
  });

  it('shares bins, their changes and signing secrets between instances, live', async () => {
    const a = await startTestServer({ config: { db: url } });
    const b = await startTestServer({ config: { db: url } });
    servers.push(a, b);
    const watcher = await follow(b, '-none-');
    const json = { 'Content-Type': 'application/json' };
    expect((await fetch(`${a.url}/api/bins`, { method: 'POST', headers: json, body: '{"id":"shared","name":"Shared"}' })).status).toBe(201);
    await watcher.until((m) => m.some((x) => x.type === 'bin' && x.bin.id === 'shared'));
    await fetch(`${b.url}/api/bins/shared`, { method: 'PATCH', headers: json, body: '{"name":"Renamed","signingSecrets":{"github":"s3cret"}}' });
    const seen = await (await fetch(`${a.url}/api/bins/shared`)).json() as { name: string; signingSecrets: string[] };
    expect(seen).toMatchObject({ name: 'Renamed', signingSecrets: ['github'] });
    expect((await post(`${b.url}/b/shared`, '{}')).status).toBe(200);
    await watcher.until((m) => m.some((x) => x.type === 'bin' && x.bin.id === 'shared' && x.bin.requestCount === 1));
    // A capture stored by the other instance: b reads the new count itself when the capture's notice reaches it.
    expect((await post(`${a.url}/b/shared`, '{}')).status).toBe(200);
    await watcher.until((m) => m.some((x) => x.type === 'bin' && x.bin.id === 'shared' && x.bin.requestCount === 2));
    expect((await fetch(`${a.url}/api/bins/shared`, { method: 'DELETE' })).status).toBe(204);
    await watcher.until((m) => m.some((x) => x.type === 'bin-deleted' && x.binId === 'shared'));
    expect((await post(`${b.url}/b/shared`, '{}')).status).toBe(404);
    // PostgreSQL is backed up with its own tools.
    expect(await (await fetch(`${a.url}/api/backup`)).json()).toEqual({ error: 'this hooklens runs on PostgreSQL: back it up with pg_dump' });
    // b had seen the bin a moment ago; following it now is refused all the same.
    const late = await follow(b, 'shared', 0);
    expect(late.messages).toContainEqual({ type: 'error', message: 'no such bin: shared' });
  });

  it('runs the TTL sweep once per period across instances, and every instance\'s viewers hear what it removed', async () => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const now = () => clock;
    const a = await startTestServer({ config: { db: url, ttlMs: 60_000 }, now });
    const b = await startTestServer({ config: { db: url, ttlMs: 60_000 }, now });
    servers.push(a, b);
    await a.bins.create('ttl', 'ttl');
    const viewer = await follow(b, 'ttl', 0);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await post(`${a.url}/b/ttl`, String(i))).id!);
    clock += 120_000;
    const removed = await Promise.all([sweepExpired(a.store, a.requests, 60_000, clock), sweepExpired(b.store, b.requests, 60_000, clock)]);
    expect(removed.sort()).toEqual([0, 3]);
    await viewer.until((m) => m.filter((x) => x.type === 'request-deleted').length === 3);
    expect(viewer.messages.flatMap((m) => (m.type === 'request-deleted' ? [m.id] : []))).toEqual(ids);
    // The next period is another instance's to take.
    await post(`${a.url}/b/ttl`, 'old soon');
    clock += 61_000;
    expect(await sweepExpired(b.store, b.requests, 60_000, clock)).toBe(1);
    expect(await sweepExpired(a.store, a.requests, 60_000, clock)).toBe(0);
  });

  it('shares the access token, sessions, sign-outs and failed sign-ins between instances', async () => {
    const exposed = { db: url, publicUrl: 'https://hooks.example.com' };
    const a = await startTestServer({ config: exposed });
    const b = await startTestServer({ config: exposed });
    servers.push(a, b);
    const token = a.access.generatedToken ?? b.access.generatedToken;
    expect(token).not.toBeNull();
    // Printed by one of them only.
    expect([a.access.generatedToken, b.access.generatedToken].filter((t) => t !== null)).toHaveLength(1);
    expect((await fetch(`${b.url}/api/bins`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const signIn = await fetch(`${a.url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    expect(signIn.status).toBe(204);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    expect((await fetch(`${b.url}/api/bins`, { headers: { Cookie: cookie } })).status).toBe(200);
    for (let i = 0; i < 10; i++) {
      expect((await fetch(`${a.url}/api/bins`, { headers: { Authorization: 'Bearer wrong-token-guess' } })).status).toBe(401);
    }
    expect((await fetch(`${b.url}/api/bins`, { headers: { Authorization: 'Bearer wrong-token-guess' } })).status).toBe(429);
    expect((await fetch(`${b.url}/api/bins`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    // Signing out on one instance ends the session on the other.
    expect((await fetch(`${a.url}/api/session`, { method: 'DELETE', headers: { Cookie: cookie } })).status).toBe(204);
    expect((await fetch(`${b.url}/api/bins`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('takes up a token that another instance reset: the old one and its sessions stop working everywhere', async () => {
    const exposed = { db: url, publicUrl: 'https://hooks.example.com', trustProxy: true };
    // The first puts a token in force (whatever an earlier test left); a is a second instance on it.
    const first = await startTestServer({ config: { ...exposed, resetToken: true } });
    const a = await startTestServer({ config: exposed });
    servers.push(first, a);
    const old = first.access.generatedToken;
    expect(a.access.generatedToken).toBeNull();
    const bearer = (token: string | null) => ({ headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': '198.51.100.9' } });
    // From an address of its own: failed attempts are shared, and an earlier test spent 127.0.0.1's.
    const signIn = await fetch(`${a.url}/api/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.9' }, body: JSON.stringify({ token: old }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const reset = await startTestServer({ config: { ...exposed, resetToken: true } });
    servers.push(reset);
    const fresh = reset.access.generatedToken;
    expect(fresh).not.toBeNull();
    await a.access.refresh(); // what a's timer does every few seconds
    expect((await fetch(`${a.url}/api/bins`, bearer(fresh))).status).toBe(200);
    expect((await fetch(`${a.url}/api/bins`, bearer(old))).status).toBe(401);
    expect((await fetch(`${a.url}/api/bins`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('lets no more than 10 of a burst of concurrent wrong tokens be tried, the database counting them', async () => {
    const a = await startTestServer({ config: { db: url, token: 'the-right-token-0123456789', trustProxy: true } });
    servers.push(a);
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => fetch(`${a.url}/api/bins`, {
      headers: { Authorization: `Bearer wrong-guess-${i}`, 'X-Forwarded-For': '203.0.113.77' },
    }).then((res) => res.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it('creates one first bin between instances that start at once on an empty database', async () => {
    const empty = await freshSchemaUrl();
    try {
      const [a, b] = await Promise.all([startTestServer({ config: { db: empty } }), startTestServer({ config: { db: empty } })]);
      servers.push(a, b);
      const [first, second] = await Promise.all([a.bins.ensureOne(), b.bins.ensureOne()]);
      expect(second.id).toBe(first.id);
      expect((await b.bins.list()).map((bin) => bin.id)).toEqual([first.id]);
    } finally {
      await Promise.all(servers.splice(0).map((s) => s.close()));
      await dropSchema(empty);
    }
  });

  it('keeps every request an instance acknowledged when it is killed with SIGKILL under load', async () => {
    const first = await startServerProcess(['--db', url]);
    const second = await startServerProcess(['--db', url]);
    processes.push(first, second);
    const json = { 'Content-Type': 'application/json' };
    expect((await fetch(`${first.url}/api/bins`, { method: 'POST', headers: json, body: '{"id":"durable"}' })).status).toBe(201);
    const acknowledged: number[] = [];
    let killed = false;
    await Promise.all(Array.from({ length: 8 }, async (_, n) => {
      for (let i = 0; !killed; i++) {
        try {
          const res = await fetch(`${first.url}/b/durable/s${n}/${i}`, { method: 'POST', body: JSON.stringify({ n, i }) });
          if (res.status === 200) acknowledged.push(((await res.json()) as { id: number }).id);
        } catch {
          return; // the instance is gone: what was in flight was never acknowledged
        }
        if (acknowledged.length >= 200 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    }));
    expect(await first.stop('SIGKILL')).toBe(null);
    const stored = new Set((await listAll(second.url, 'durable')).map((r) => r.id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });
});

pgSuite('PostgreSQL stopped and started under load', () => {
  let cluster: PrivateCluster;
  beforeAll(async () => {
    cluster = await startPrivateCluster();
  });
  afterAll(() => cluster?.destroy());

  it('never answers 2xx for a request it did not store, says 503 while the database is away, and recovers by itself', async () => {
    const server = await startTestServer({ config: { db: cluster.url }, bins: ['outage'] });
    servers.push(server);
    const viewer = await follow(server, 'outage', 0);
    const answers: { status: number; id: number | null }[] = [];
    let phase: 'before' | 'down' | 'after' | 'done' = 'before';
    const counts = { afterRecovery: 0 };
    const senders = Promise.all(Array.from({ length: 4 }, async (_, n) => {
      for (let i = 0; phase !== 'done'; i++) {
        const answer = await post(`${server.url}/b/outage/s${n}`, JSON.stringify({ n, i, phase })).catch(() => ({ status: 0, id: null }));
        answers.push(answer);
        if (phase === 'after' && answer.status === 200) counts.afterRecovery++;
      }
    }));
    const until = async (check: () => boolean | Promise<boolean>): Promise<void> => {
      while (!(await check())) await new Promise((resolve) => setImmediate(resolve));
    };
    await until(() => answers.filter((a) => a.status === 200).length >= 50);

    cluster.stop();
    phase = 'down';
    await until(() => answers.some((a) => a.status === 503));
    const ready = await fetch(`${server.url}/api/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: string }).error).toMatch(/^not ready: the database does not answer/);
    const api = await fetch(`${server.url}/api/bins`);
    expect(api.status).toBe(503);
    expect(await api.json()).toEqual({ error: 'the database is unavailable; try again shortly' });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    // The live stream cannot vouch for what it delivers while the database is away: its viewers are told.
    await until(() => viewer.closeCode !== null);
    expect(viewer.closeCode).toBe(1011);

    cluster.start();
    phase = 'after';
    await until(() => counts.afterRecovery >= 50);
    phase = 'done';
    await senders;
    // Ready again once the live bus listens again too (it reconnects with backoff).
    await until(async () => (await fetch(`${server.url}/api/ready`)).status === 200);

    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 503]));
    const stored = await listAll(server.url, 'outage');
    const storedIds = new Set(stored.map((r) => r.id));
    const acknowledged = answers.filter((a) => a.status === 200).map((a) => a.id!);
    expect(acknowledged.filter((id) => !storedIds.has(id))).toEqual([]);
    expect(stored).toHaveLength(acknowledged.length);
    // A viewer that resumes from the last id it saw gets the rest, in order, once each.
    const seen = viewer.requestIds('outage');
    const resumed = await follow(server, 'outage', seen.at(-1) ?? 0);
    await resumed.until(() => seen.length + resumed.requestIds('outage').length >= stored.length);
    expect([...seen, ...resumed.requestIds('outage')]).toEqual(stored.map((r) => r.id));
  });
});

