import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { NewRequest } from '../server/store';
import type { ServerMessage } from '../shared/types';
import { useLiveServer, watchFollowers, type LiveClient } from './helpers/live';

const live = useLiveServer();
const { start, connect, capture } = live;

/** Stores `count` requests with a header of `headerBytes` straight into the store (one commit); returns their ids. */
async function storeRequests(binId: string, count: number, headerBytes = 4096): Promise<number[]> {
  const request: NewRequest = {
    binId, receivedAt: Date.now(), method: 'POST', url: `/b/${binId}`, path: '/', query: '', httpVersion: '1.1',
    headers: [['X-Padding', 'p'.repeat(headerBytes)]], contentType: null, size: 0, truncated: false,
    body: Buffer.alloc(0), remoteAddress: '127.0.0.1', remotePort: null, secure: false, status: 200, handshake: null,
  };
  return (await live.server.store.insertRequests(Array.from({ length: count }, () => request), 10_000)).map((r) => {
    if (r instanceof Error) throw r;
    return r.id;
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Stores `count` requests, then subscribes a client that does not read with `after: 0`, and resolves once the server
 * has started the backlog. Past a few MB (what the kernel buffers) the backlog cannot finish until `ws.resume()`,
 * so what the test does before that happens during the backlog.
 */
async function stalledBacklog(count: number, headerBytes: number): Promise<{ client: LiveClient; stored: number[] }> {
  const followers = watchFollowers(live.server.hub);
  const stored = await storeRequests('bin', count, headerBytes);
  const client = await connect();
  client.ws.pause();
  client.send({ type: 'subscribe', binId: 'bin', after: 0 });
  await followers.followed('bin');
  return { client, stored };
}

/** Ids of the request messages among `messages`. */
const idsOf = (messages: ServerMessage[]): number[] => messages.flatMap((m) => (m.type === 'request' ? [m.request.id] : []));

describe('/api/live backlog', () => {
  it('sends a fast reader a backlog of 2,000 requests with 4 KB headers, in order, and keeps it open', async () => {
    await start({ bins: ['bin'] });
    const stored = await storeRequests('bin', 2000);
    const client = await connect();
    client.send({ type: 'subscribe', binId: 'bin', after: 0 });
    await client.until(() => client.requestIds('bin').length >= 2000);
    await client.sync();
    expect(client.requestIds('bin')).toEqual(stored);
    expect(client.closeCode).toBeNull();
  });

  it('delivers every id once, in order, when captures arrive while a 1,000-request backlog is sent', async () => {
    await start({ bins: ['bin'] });
    const inFlight = Promise.all(Array.from({ length: 50 }, () => capture('bin')));
    const { client, stored } = await stalledBacklog(1000, 16 * 1024);
    const whileStalled = await Promise.all(Array.from({ length: 100 }, () => capture('bin')));
    client.ws.resume();
    const whileFlowing = await Promise.all(Array.from({ length: 100 }, () => capture('bin')));
    const all = [...stored, ...(await inFlight), ...whileStalled, ...whileFlowing].sort((a, b) => a - b);
    await client.until(() => client.requestIds('bin').length >= all.length);
    await client.sync();
    expect(client.requestIds('bin')).toEqual(all);
    expect(all).toEqual(range(all[0], all.at(-1)!));
  });

  it('closes a reader that stops during a backlog with 1013 once live captures queue past the bound, and it loses nothing on resume', async () => {
    const server = await start({ bins: ['bin'], sendBufferLimit: 256 * 1024 });
    const followers = watchFollowers(server.hub);
    await storeRequests('bin', 2000);
    const slow = await connect();
    slow.ws.pause();
    slow.send({ type: 'subscribe', binId: 'bin', after: 0 });
    await followers.followed('bin');
    const big = { 'X-Padding': 'p'.repeat(32 * 1024) };
    // Keep capturing until the server gives up on the reader (it stops following the bin).
    while (server.hub.subscriberCount('bin') > 0) await capture('bin', big);
    const closed = once(slow.ws, 'close');
    slow.ws.resume();
    const [code] = await closed;
    expect(code).toBe(1013);
    const seen = slow.requestIds('bin');
    // It was closed during the backlog: the live captures queued behind it passed the bound.
    expect(seen).toEqual(range(1, seen.length));
    expect(seen.length).toBeLessThan(2000);
    const resumed = await connect();
    resumed.send({ type: 'subscribe', binId: 'bin', after: seen.at(-1) ?? 0 });
    const lastId = await capture('bin');
    await resumed.until(() => resumed.requestIds('bin').includes(lastId));
    expect([...seen, ...resumed.requestIds('bin')]).toEqual(range(1, lastId));
  });

  it('stops a backlog on unsubscribe: nothing more for the bin, and the hub lets go of it', async () => {
    const server = await start({ bins: ['bin'] });
    const { client, stored } = await stalledBacklog(2000, 8 * 1024);
    client.send({ type: 'unsubscribe', binId: 'bin' });
    client.ws.resume();
    await client.sync();
    expect(server.hub.subscriberCount('bin')).toBe(0);
    const seen = client.requestIds('bin');
    expect(seen).toEqual(stored.slice(0, seen.length));
    expect(seen.length).toBeLessThan(2000);
    await capture('bin');
    await client.sync();
    expect(client.requestIds('bin')).toEqual(seen);
  });

  it('lets go of the bin when the connection closes during a backlog', async () => {
    const server = await start({ bins: ['bin'] });
    const { unfollowed } = watchFollowers(server.hub);
    const { client } = await stalledBacklog(2000, 8 * 1024);
    await client.close();
    await unfollowed('bin');
    expect(server.hub.subscriberCount('bin')).toBe(0);
    // A capture after the close reaches no one and breaks nothing.
    expect(await capture('bin')).toBe(2001);
  });

  it('restarts the backlog when the bin is subscribed again during one, without mixing the two', async () => {
    const server = await start({ bins: ['bin'] });
    const { client, stored } = await stalledBacklog(2000, 8 * 1024);
    client.send({ type: 'subscribe', binId: 'bin', after: 0 });
    client.ws.resume();
    const live = await capture('bin');
    await client.until(() => client.requestIds('bin').includes(live));
    await client.sync();
    const ids = client.requestIds('bin');
    const restart = ids.indexOf(stored[0], 1);
    expect(restart).toBeGreaterThan(0);
    expect(ids.slice(0, restart)).toEqual(stored.slice(0, restart));
    expect(ids.slice(restart)).toEqual([...stored, live]);
    expect(server.hub.subscriberCount('bin')).toBe(1);
  });

  it('puts bin-cleared after the backlog sent before it and before the requests stored after it', async () => {
    const server = await start({ bins: ['bin'] });
    const { client, stored } = await stalledBacklog(2000, 8 * 1024);
    await fetch(`${server.url}/api/bins/bin/requests`, { method: 'DELETE' });
    const after = await Promise.all(Array.from({ length: 5 }, () => capture('bin')));
    client.ws.resume();
    await client.until(() => client.requestIds('bin').includes(Math.max(...after)));
    await client.sync();
    const cleared = client.messages.findIndex((m) => m.type === 'bin-cleared');
    const before = idsOf(client.messages.slice(0, cleared));
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(2000);
    expect(before).toEqual(stored.slice(0, before.length));
    expect(idsOf(client.messages.slice(cleared))).toEqual(after.sort((a, b) => a - b));
  });

  it('sends nothing for a bin after bin-deleted, even when it is deleted during a backlog', async () => {
    const server = await start({ bins: ['bin'] });
    const { client, stored } = await stalledBacklog(2000, 8 * 1024);
    await capture('bin');
    await fetch(`${server.url}/api/bins/bin`, { method: 'DELETE' });
    client.ws.resume();
    await client.until((m) => m.some((x) => x.type === 'bin-deleted'));
    await client.sync();
    const deleted = client.messages.findIndex((m) => m.type === 'bin-deleted');
    expect(client.messages.slice(deleted + 1).filter((m) => m.type === 'request')).toEqual([]);
    const seen = client.requestIds('bin');
    expect(seen).toEqual(stored.slice(0, seen.length));
    expect(server.hub.subscriberCount('bin')).toBe(0);
  });
});
