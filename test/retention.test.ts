import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { sweepExpired } from '../server/services/retention';
import { makeTestApp } from './helpers/app';
import { useLiveServer } from './helpers/live';

const live = useLiveServer();

describe('retention', () => {
  it('keeps at most --max-requests per bin, removing the oldest', async () => {
    const { app, store } = await makeTestApp({ bins: ['a', 'b'], config: { maxRequests: 3 } });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await request(app).post('/b/a').send('x').expect(200)).body.id);
    await request(app).post('/b/b').send('other bin').expect(200);
    expect((await store.listRequests('a', { limit: 10 })).requests.map((r) => r.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect((await store.getBin('b')).requestCount).toBe(1);
  });

  it('removes requests older than --ttl by the injected clock, and keeps the rest', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const { app, store, requests, config } = await makeTestApp({ bins: ['a'], config: { ttlMs: 60_000 }, now: () => clock });
    const old = (await request(app).post('/b/a').send('old').expect(200)).body.id;
    clock += 45_000;
    const recent = (await request(app).post('/b/a').send('recent').expect(200)).body.id;
    clock += 30_000; // old is now 75 s old, recent 30 s
    expect(await sweepExpired(store, requests, config.ttlMs, clock)).toBe(1);
    expect((await store.listRequests('a', { limit: 10 })).requests.map((r) => r.id)).toEqual([recent]);
    await request(app).get(`/api/bins/a/requests/${old}`).expect(404);
  });

  it('keeps everything with a TTL of 0', async () => {
    const { app, store, requests } = await makeTestApp({ bins: ['a'], now: () => 0 });
    await request(app).post('/b/a').send('x').expect(200);
    expect(await sweepExpired(store, requests, 0, Date.now())).toBe(0);
    expect((await store.getBin('a')).requestCount).toBe(1);
  });

  it('tells the bin\'s followers which requests retention removed, by count and by age', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const server = await live.start({ bins: ['a'], config: { maxRequests: 2, ttlMs: 60_000 }, now: () => clock });
    const client = await live.connect();
    client.send({ type: 'subscribe', binId: 'a', after: 0 });
    await client.sync();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await (await fetch(`${server.url}/b/a`, { method: 'POST', body: 'x' })).json() as { id: number }).id);
    await client.until((m) => m.some((x) => x.type === 'request-deleted'));
    expect(client.messages.filter((m) => m.type === 'request-deleted')).toEqual([{ type: 'request-deleted', binId: 'a', id: ids[0] }]);
    clock += 120_000;
    expect(await sweepExpired(server.store, server.requests, 60_000, clock)).toBe(2);
    await client.until((m) => m.filter((x) => x.type === 'request-deleted').length === 3);
    expect(client.messages.filter((m) => m.type === 'request-deleted').map((m) => 'id' in m && m.id)).toEqual(ids);
  });
});
