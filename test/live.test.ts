import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { useLiveServer } from './helpers/live';

const { start, connect, capture } = useLiveServer();

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('/api/live', () => {
  it('delivers 500 concurrent captures in id order, each once', async () => {
    await start({ bins: ['bin'] });
    const client = await connect();
    client.send({ type: 'subscribe', binId: 'bin', after: 0 });
    const ids = await Promise.all(Array.from({ length: 500 }, () => capture('bin')));
    await client.until(() => client.requestIds('bin').length >= 500);
    const sorted = [...ids].sort((a, b) => a - b);
    expect(client.requestIds('bin')).toEqual(sorted);
    expect(new Set(ids).size).toBe(500);
  });

  it('sends the summary with the headers as received, and no body', async () => {
    await start({ bins: ['bin'] });
    const client = await connect();
    client.send({ type: 'subscribe', binId: 'bin', after: 0 });
    await capture('bin', { 'X-MiXeD': 'Case' });
    await client.until((m) => m.some((x) => x.type === 'request'));
    const message = client.messages.find((m) => m.type === 'request');
    expect(message).toMatchObject({ type: 'request', binId: 'bin', request: { method: 'POST', path: '/', binId: 'bin' } });
    if (message?.type !== 'request') throw new Error('no request message');
    expect(message.request.headers).toContainEqual(['X-MiXeD', 'Case']);
    expect(message.request).not.toHaveProperty('body');
  });

  it('resumes with after across a disconnect, losing nothing and repeating nothing', async () => {
    await start({ bins: ['bin'] });
    const first = await connect();
    first.send({ type: 'subscribe', binId: 'bin', after: 0 });
    const before = [await capture('bin'), await capture('bin')];
    await first.until(() => first.requestIds('bin').length === 2);
    await first.close();
    const during = [await capture('bin'), await capture('bin'), await capture('bin')];
    const second = await connect();
    second.send({ type: 'subscribe', binId: 'bin', after: first.requestIds('bin').at(-1) });
    const after = await capture('bin');
    await second.until(() => second.requestIds('bin').length === 4);
    expect(first.requestIds('bin')).toEqual(before);
    expect(second.requestIds('bin')).toEqual([...during, after]);
  });

  it('has no gap and no duplicate at the seam between backlog and live', async () => {
    await start({ bins: ['bin'] });
    const stored = await Promise.all(Array.from({ length: 50 }, () => capture('bin')));
    const client = await connect();
    // Captures keep arriving while the subscription reads the backlog.
    const inFlight = Promise.all(Array.from({ length: 200 }, () => capture('bin')));
    client.send({ type: 'subscribe', binId: 'bin', after: 0 });
    const all = [...stored, ...(await inFlight)].sort((a, b) => a - b);
    await client.until(() => client.requestIds('bin').length >= all.length);
    expect(client.requestIds('bin')).toEqual(range(all[0], all.at(-1)!));
    expect(client.requestIds('bin')).toEqual(all);
  });

  it('closes a client that stops reading with 1013, and it loses nothing on resume', async () => {
    const server = await start({ bins: ['bin'], sendBufferLimit: 256 * 1024 });
    const slow = await connect();
    slow.send({ type: 'subscribe', binId: 'bin', after: 0 });
    await capture('bin');
    await slow.until(() => slow.requestIds('bin').length === 1);
    slow.ws.pause();
    const big = { 'X-Padding': 'p'.repeat(32 * 1024) };
    const ids: number[] = [];
    // Keep capturing until the server gives up on the reader (it stops following the bin).
    while (server.hub.subscriberCount('bin') > 0) ids.push(await capture('bin', big));
    const closed = once(slow.ws, 'close');
    slow.ws.resume();
    const [code] = await closed;
    expect(code).toBe(1013);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^hooklens_live_closed_slow_total 1$/m);
    const seen = slow.requestIds('bin');
    const resumed = await connect();
    resumed.send({ type: 'subscribe', binId: 'bin', after: seen.at(-1) });
    const lastId = await capture('bin');
    await resumed.until(() => resumed.requestIds('bin').includes(lastId));
    const union = [...seen, ...resumed.requestIds('bin')];
    expect(union).toEqual(range(union[0], lastId));
  });

  it('answers bad JSON and unknown messages with an error and keeps the connection', async () => {
    await start({ bins: ['bin'] });
    const client = await connect();
    client.send('{not json');
    client.send({ type: 'dance' });
    client.send([]);
    client.send({ type: 'subscribe', binId: 'missing' });
    client.send({ type: 'subscribe', binId: 'bin', after: -3 });
    await client.until((m) => m.length === 5);
    expect(client.messages).toEqual([
      { type: 'error', message: 'message is not valid JSON' },
      { type: 'error', message: 'unknown message type "dance"; expected "subscribe" or "unsubscribe"' },
      { type: 'error', message: 'message must be a JSON object with a "type"' },
      { type: 'error', message: 'no such bin: missing' },
      { type: 'error', message: '"after" must be a request id (a non-negative integer)' },
    ]);
    client.send({ type: 'subscribe', binId: 'bin' });
    await client.sync();
    const id = await capture('bin');
    await client.until(() => client.requestIds('bin').includes(id));
  });

  it('follows several bins on one connection, and stops delivering after unsubscribe', async () => {
    await start({ bins: ['a', 'b'] });
    const client = await connect();
    client.send({ type: 'subscribe', binId: 'a' });
    client.send({ type: 'subscribe', binId: 'b' });
    await client.sync();
    const a1 = await capture('a');
    const b1 = await capture('b');
    await client.until(() => client.requestIds('b').includes(b1));
    client.send({ type: 'unsubscribe', binId: 'a' });
    await client.sync();
    await capture('a');
    const b2 = await capture('b');
    await client.until(() => client.requestIds('b').includes(b2));
    expect(client.requestIds('a')).toEqual([a1]);
    expect(client.requestIds('b')).toEqual([b1, b2]);
  });

  it('tells subscribers when a request is deleted or the bin cleared or deleted', async () => {
    const server = await start({ bins: ['bin'] });
    const client = await connect();
    client.send({ type: 'subscribe', binId: 'bin' });
    await client.sync();
    const id = await capture('bin');
    const api = (method: string, path: string) => fetch(`${server.url}${path}`, { method });
    await api('DELETE', `/api/bins/bin/requests/${id}`);
    await api('DELETE', '/api/bins/bin/requests');
    await api('DELETE', '/api/bins/bin');
    await client.until((m) => m.some((x) => x.type === 'bin-deleted'));
    expect(client.messages.filter((m) => m.type !== 'error' && m.type !== 'bin').map((m) => m.type))
      .toEqual(['request', 'request-deleted', 'bin-cleared', 'bin-deleted']);
  });

  it('announces every bin\'s new count to every connection after captures, a few times per burst', async () => {
    const server = await start({ bins: ['a', 'b'] });
    const client = await connect();
    await client.sync();
    await Promise.all(Array.from({ length: 50 }, () => capture('a', { Host: 'evil.example' })));
    await capture('b');
    const binMessages = () => client.messages.flatMap((m) => (m.type === 'bin' ? [m.bin] : []));
    await client.until(() => binMessages().some((bin) => bin.id === 'b'));
    await client.until(() => binMessages().some((bin) => bin.id === 'a' && bin.requestCount === 50));
    const counts = binMessages().filter((bin) => bin.id === 'a').map((bin) => bin.requestCount);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
    expect(new Set(counts).size).toBe(counts.length);
    expect(counts.length).toBeLessThan(10);
    // A path, which each viewer completes with the base it shows: never built from the Host a sender wrote.
    for (const bin of binMessages()) expect(bin.captureUrl).toBe(`/b/${bin.id}`);
    expect(client.requestIds('a')).toEqual([]);
    void server;
  });

  it('follows every change to a bin\'s count with its absolute count: capture, eviction, delete, clear', async () => {
    const server = await start({ bins: ['a'], config: { maxRequests: 3 } });
    const client = await connect();
    client.send({ type: 'subscribe', binId: 'a' });
    await client.sync();
    const lastCount = () => client.messages.flatMap((m) => (m.type === 'bin' && m.bin.id === 'a' ? [m.bin.requestCount] : [])).at(-1);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await capture('a'));
    await client.until(() => lastCount() === 3);
    const api = (method: string, path: string) => fetch(`${server.url}${path}`, { method });
    expect((await api('DELETE', `/api/bins/a/requests/${ids[4]}`)).status).toBe(204);
    await client.until(() => lastCount() === 2);
    expect((await api('DELETE', '/api/bins/a/requests')).status).toBe(204);
    await client.until(() => lastCount() === 0);
    const last = client.messages.filter((m) => m.type === 'bin').at(-1);
    expect(last).toMatchObject({ type: 'bin', bin: { id: 'a', requestCount: 0, captureUrl: '/b/a' } });
    // The clear says through which id it removed: a request stored after it (elsewhere) is not part of it.
    expect(client.messages.find((m) => m.type === 'bin-cleared')).toEqual({ type: 'bin-cleared', binId: 'a', throughId: ids[3] });
  });
});
