/**
 * The writer and its server processes (--workers on SQLite), in one process: the channels copy each message as
 * Node's IPC does. The processes themselves are tested in workers-process.test.ts.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../shared/types';
import { Hub } from '../server/bus/hub';
import { StoreUnavailableError, type NewRequest } from '../server/store';
import { openSqliteStore, type SqliteStore } from '../server/store/sqlite';
import type { ToServer } from '../server/workers/protocol';
import { WriterLink } from '../server/workers/link';
import { RemoteBus } from '../server/workers/remote-bus';
import { RemoteStore } from '../server/workers/remote-store';
import { StoreHost } from '../server/workers/writer';
import { newRequest, storedIds } from './store/requests';
import { channelPair, type ChannelPair } from './helpers/workers';

interface ServerProcess {
  store: RemoteStore;
  bus: RemoteBus;
  hub: Hub;
  /** Every message the writer sent it. */
  received: ToServer[];
  channel: ChannelPair;
}

let writer: SqliteStore;
let host: StoreHost;
const ends: (() => void)[] = [];

afterEach(async () => {
  for (const end of ends.splice(0)) end();
  if (writer?.isOpen()) await writer.close();
});

function startWriter(): void {
  writer = openSqliteStore(':memory:');
  host = new StoreHost(writer, null);
}

function serverProcess(): ServerProcess {
  const channel = channelPair();
  host.attach(channel.writer);
  const received: ToServer[] = [];
  channel.server.onMessage((message) => received.push(message));
  const link = new WriterLink(channel.server);
  const hub = new Hub();
  ends.push(channel.close);
  return { store: new RemoteStore(link, { redactSecrets: false }), bus: new RemoteBus(link, hub), hub, received, channel };
}

/** What a live connection on the process's hub hears of the bin, once it follows it through the bus. */
async function follow(server: ServerProcess, binId: string): Promise<{ heard: ServerMessage[]; stop(): void; from: number }> {
  const heard: ServerMessage[] = [];
  const stop = server.hub.subscribe(binId, (_json, message) => heard.push(message));
  return { heard, stop, from: await server.bus.follow(binId) };
}

/** Resolves once each process has received everything the writer sent it so far: a round trip on its ordered channel. */
const delivered = (...servers: ServerProcess[]) => Promise.all(servers.map((server) => server.store.ping()));
/** The next turn of the event loop: messages sent in this one are on their way. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('--workers: the writer and its server processes', () => {
  it('announces every capture, from whichever process, to each process that follows its bin, in id order, once', async () => {
    startWriter();
    const [a, b] = [serverProcess(), serverProcess()];
    await a.store.createBin('race', 'Race', 1);
    const onA = await follow(a, 'race');
    const onB = await follow(b, 'race');
    expect(onA.from).toBe(0);
    // Both processes store at once, in batches, as their group commits do.
    const stored = (await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 ? a : b).store
      .insertRequests([newRequest('race', 2 * n), newRequest('race', 2 * n + 1)], 1_000)))).flatMap(storedIds);
    await delivered(a, b);
    const ids = [...stored].sort((x, y) => x - y);
    for (const { heard } of [onA, onB]) {
      expect(heard.filter((m) => m.type === 'request').map((m) => m.type === 'request' && m.request.id)).toEqual(ids);
    }
  });

  it('announces what a capture pushed out past --max-requests at its commit, whichever process stored it', async () => {
    startWriter();
    const [a, b] = [serverProcess(), serverProcess()];
    await a.store.createBin('x', 'X', 1);
    const onA = await follow(a, 'x');
    const ids = (await Promise.all([1, 2, 3].map((n) => b.store.insertRequests([newRequest('x', n)], 2)))).flatMap(storedIds);
    await delivered(a);
    expect(onA.heard.map((m) => (m.type === 'request' ? `+${m.request.id}` : m.type === 'request-deleted' ? `-${m.id}` : m.type)))
      .toEqual([`+${ids[0]}`, `+${ids[1]}`, `+${ids[2]}`, `-${ids[0]}`]);
  });

  it('writes the captures of processes that arrive together in one transaction, and answers each process its own', async () => {
    startWriter();
    const [a, b] = [serverProcess(), serverProcess()];
    await a.store.createBin('x', 'X', 1);
    await a.store.createBin('y', 'Y', 1);
    await delivered(a, b);
    expect([await a.store.hasBin('x'), await b.store.hasBin('x'), await b.store.hasBin('y')]).toEqual([true, true, true]);
    // b still believes in y, which a deletes as they capture: b's capture for it is refused alone, not the others'.
    const transactions: number[] = [];
    const insertDerived = writer.insertDerived.bind(writer);
    writer.insertDerived = (requests, ...rest) => (transactions.push(requests.length), insertDerived(requests, ...rest));
    const [, fromA, fromB] = await Promise.all([
      a.store.deleteBin('y'),
      a.store.insertRequests([newRequest('x', 1), newRequest('x', 2)], 1_000),
      b.store.insertRequests([newRequest('y', 3), newRequest('x', 4)], 1_000),
    ]);
    expect(transactions).toEqual([4]);
    expect(fromA.map((r) => (r instanceof Error ? r.name : r.headers[1][1]))).toEqual(['1', '2']);
    expect(fromB.map((r) => (r instanceof Error ? r.name : r.headers[1][1]))).toEqual(['NotFoundError', '4']);
    expect((await a.store.listRequests('x', { limit: 10 })).requests.map((r) => r.headers[1][1])).toEqual(['4', '2', '1']);
  });

  it('sends a process only the captures of bins its hub follows, and stops once nobody there listens', async () => {
    startWriter();
    const [a, b] = [serverProcess(), serverProcess()];
    await a.store.createBin('x', 'X', 1);
    const onB = await follow(b, 'x');
    await a.store.insertRequests([newRequest('x', 1)], 1_000);
    await delivered(a, b);
    const events = (server: ServerProcess) => server.received.filter((m) => m.type === 'events' && m.events.some((e) => e.type === 'request')).length;
    expect([events(a), events(b)]).toEqual([0, 1]);
    onB.stop();
    // The next one still goes there (the writer learns of the stop from it), and no later one.
    for (const n of [2, 3, 4]) await a.store.insertRequests([newRequest('x', n)], 1_000);
    await delivered(a, b);
    expect([events(a), events(b)]).toEqual([0, 2]);
  });

  it('tells every process of bin messages, and of a bin changed elsewhere before it captures for it again', async () => {
    startWriter();
    const [a, b] = [serverProcess(), serverProcess()];
    const everyone: ServerMessage[] = [];
    b.hub.subscribeAll((_json, message) => everyone.push(message));
    await a.store.createBin('x', 'X', 1);
    await a.bus.publish([{ type: 'bin-deleted', binId: 'gone' }]);
    await delivered(a, b);
    expect(everyone).toEqual([{ type: 'bin-deleted', binId: 'gone' }]);

    expect(await b.store.binForCapture('x')).toMatchObject({ response: null });
    await a.store.updateBin('x', { response: { status: 418, headers: [], body: 'teapot', delayMs: 0 } });
    await delivered(b);
    expect(await b.store.binForCapture('x')).toMatchObject({ response: { status: 418 } });
  });

  it('checks a capture\'s signature again at its write when the bin\'s secrets changed after the process derived it', async () => {
    startWriter();
    const [a, b] = [serverProcess(), serverProcess()];
    await a.store.createBin('z', 'Z', 1);
    const body = Buffer.from('{"type":"ticket.created"}');
    const signed: NewRequest = newRequest('z', 1, {
      body, headers: [['X-Zendesk-Webhook-Signature', createHmac('sha256', 's3cret').update(`2026-12-01T08:00:00Z${body}`).digest('base64')],
        ['X-Zendesk-Webhook-Signature-Timestamp', '2026-12-01T08:00:00Z']],
    });
    const [before] = await a.store.insertRequests([signed], 1_000);
    expect(before).toMatchObject({ signature: 'no-secret' });
    // The secret is set through b; a's next capture is derived before a hears of it, with what a knew.
    await delivered(a);
    expect(await a.store.binForCapture('z')).toMatchObject({ signingSecrets: {} });
    const release = a.channel.holdServer();
    await b.store.updateBin('z', { signingSecrets: { zendesk: 's3cret' } });
    const storing = a.store.insertRequests([signed], 1_000);
    await nextTurn();
    release();
    const [after] = await storing;
    expect(after).toMatchObject({ signature: 'verified', provider: 'zendesk' });
    expect((await a.store.getRequest('z', (after as { id: number }).id)).signature).toBe('verified');
  });

  it('fails what is pending, and everything after, when the writer is gone: nothing is stored, live streams are told', async () => {
    startWriter();
    const a = serverProcess();
    await a.store.createBin('x', 'X', 1);
    const interrupted: string[] = [];
    a.bus.onInterrupted((reason) => interrupted.push(reason));
    const pending = a.store.insertRequests([newRequest('x', 1)], 1_000);
    a.channel.close();
    await expect(pending).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(a.store.getBin('x')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(interrupted).toEqual(['the writer process is gone']);
    expect(a.bus.problem()).toBe('the writer process is gone');
    expect(await writer.countRequests()).toBe(0);
  });
});
