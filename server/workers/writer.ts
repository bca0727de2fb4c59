import type { LiveEvent } from '../bus/port';
import { BinUpdates } from '../services/bin-updates';
import type { CaptureBin } from '../store';
import type { SqliteStore } from '../store/sqlite';
import { signatureVerdict } from '../verify/verdict';
import type { Channel, DerivedRequest, StoreCall, Stored, ToServer, ToWriter, VersionedBin, WireError } from './protocol';

export type ServerChannel = Channel<ToWriter, ToServer>;

type Insert = Extract<ToWriter, { type: 'insert' }> & { channel: ServerChannel };

/** Calls after which the server processes forget what capture knew of the bin (their first argument). */
const BIN_CHANGES: ReadonlySet<StoreCall> = new Set(['createBin', 'updateBin', 'deleteBin']);

/**
 * The writer of `--workers` on SQLite: serves its store to the server processes, each message as it comes (the
 * store is synchronous: a call runs whole before the next one starts). It announces each capture (and what it
 * pushed out) at its commit to the processes whose hubs follow the bin, so that every hub gets a bin's requests in
 * id order whichever process stored them, and then the bins' counts; it passes on what the processes publish. The
 * captures of every process that arrive in the same turn of the event loop are written in one transaction.
 */
export class StoreHost {
  private readonly channels = new Set<ServerChannel>();
  private readonly followers = new Map<string, Set<ServerChannel>>();
  /** The store hands out a new CaptureBin object when a bin changes: each object is a version of its secrets. */
  private readonly versions = new WeakMap<CaptureBin, number>();
  private lastVersion = 0;
  private lastSweep = -Infinity;
  private readonly counts: BinUpdates;
  /** Inserts received in this turn of the event loop, written together at its end. */
  private inserts: Insert[] = [];

  /** `written` runs after each write of captures (the writer's --max-stored check). */
  constructor(private readonly store: SqliteStore, private readonly publicUrl: string | null, private readonly written: () => void = () => {}) {
    this.counts = new BinUpdates(store, { publish: async (events) => this.announce(events) }, () => this.channels.size > 0);
  }

  /** Serves a server process until its channel closes. */
  attach(channel: ServerChannel): void {
    this.channels.add(channel);
    channel.onMessage((message) => void this.handle(channel, message));
    channel.onClose(() => {
      this.channels.delete(channel);
      for (const binId of [...this.followers.keys()]) this.unfollow(channel, binId);
    });
  }

  /** Announces the counts still due; for a stop. */
  flush(): Promise<void> {
    return this.counts.flush();
  }

  /** The channel also carries the cluster's other messages (metrics): only the server processes' questions are read here. */
  private async handle(channel: ServerChannel, message: ToWriter): Promise<void> {
    switch (message.type) {
      case 'publish':
        return this.announce(message.events);
      case 'unfollow':
        return this.unfollow(channel, message.binId);
      case 'insert':
        if (this.inserts.length === 0) setImmediate(() => void this.writeInserts());
        this.inserts.push({ ...message, channel });
        return;
      case 'call':
      case 'capture-bin':
      case 'follow':
        break;
      default:
        return;
    }
    try {
      channel.send(await this.answer(channel, message));
    } catch (err) {
      channel.send({ type: 'failed', id: message.id, error: toWireError(err) });
    }
    if (message.type === 'call' && BIN_CHANGES.has(message.method)) {
      for (const each of this.channels) each.send({ type: 'bin-changed', binId: message.args[0] as string });
    }
  }

  private async answer(channel: ServerChannel, message: Exclude<ToWriter, { type: 'publish' | 'unfollow' | 'insert' }>): Promise<ToServer> {
    const { id } = message;
    switch (message.type) {
      case 'call':
        return { type: 'answer', id, value: await this.call(message.method, message.args) };
      case 'capture-bin': {
        const bin = await this.store.binForCapture(message.binId);
        return { type: 'answer', id, value: { bin, version: bin ? this.versionOf(bin) : 0 } satisfies VersionedBin };
      }
      case 'follow': {
        // Followed before the last id is read, in the same turn: a capture committed after it reaches this process.
        let channels = this.followers.get(message.binId);
        if (!channels) this.followers.set(message.binId, (channels = new Set()));
        channels.add(channel);
        return { type: 'answer', id, value: await this.store.lastRequestId(message.binId) };
      }
    }
  }

  private call(method: StoreCall, args: unknown[]): Promise<unknown> {
    // One process stores for all: the sweep is claimed once per period, as on a shared database.
    if (method === 'claimSweep') {
      const [now, everyMs] = args as [number, number];
      if (now - this.lastSweep < everyMs) return Promise.resolve(false);
      this.lastSweep = now;
      return Promise.resolve(true);
    }
    const fn = this.store[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof fn !== 'function') return Promise.reject(new Error(`no store method ${String(method)}`));
    return fn.apply(this.store, args);
  }

  /** Writes the inserts of this turn, one transaction per --max-requests (every process has the same), and answers each. */
  private async writeInserts(): Promise<void> {
    const inserts = this.inserts;
    this.inserts = [];
    for (const maxRequests of new Set(inserts.map((insert) => insert.maxRequests))) {
      const batch = inserts.filter((insert) => insert.maxRequests === maxRequests);
      try {
        const results = await this.insert(batch.flatMap((insert) => insert.requests), batch.flatMap((insert) => insert.secretsVersions), maxRequests);
        let at = 0;
        for (const { channel, id, requests } of batch) {
          channel.send({ type: 'stored', id, results: results.slice(at, (at += requests.length)) });
        }
        this.written();
      } catch (err) {
        for (const { channel, id } of batch) channel.send({ type: 'failed', id, error: toWireError(err) });
      }
    }
  }

  private async insert(requests: DerivedRequest[], secretsVersions: number[], maxRequests: number): Promise<(Stored | WireError)[]> {
    const versions = new Map(requests.map((request, i) => [request, secretsVersions[i]]));
    // A bin's secrets changed since the server process derived the request: its signatures are checked again.
    const results = await this.store.insertDerived(requests, maxRequests, (request, bin) => versions.get(request) === this.versionOf(bin)
      ? request
      : Object.assign(request, signatureVerdict(request, bin.signingSecrets, this.publicUrl)));
    const captured: LiveEvent[] = [];
    for (const result of results) {
      if (result instanceof Error) continue;
      captured.push({ type: 'request', binId: result.binId, request: result });
      for (const id of result.evicted) captured.push({ type: 'request-deleted', binId: result.binId, id });
      this.counts.changed(result.binId);
    }
    this.announce(captured);
    // The server process has the rest of each record: it derived it.
    return results.map((result): Stored | WireError => (result instanceof Error ? toWireError(result)
      : { id: result.id, delivery: result.delivery, evicted: result.evicted, signature: result.signature, provider: result.provider }));
  }

  /**
   * Sends each process the events it wants, in order, in one message: bin messages to all, the rest to the bin's
   * followers. For what the writer's own services announce (bin counts after --max-stored, signature rechecks) too.
   */
  announce(events: readonly LiveEvent[]): void {
    const byChannel = new Map<ServerChannel, LiveEvent[]>();
    for (const event of events) {
      // Nobody follows a deleted bin any longer.
      if (event.type === 'bin-deleted') this.followers.delete(event.binId);
      const to = event.type === 'bin' || event.type === 'bin-deleted' ? this.channels : this.followers.get(event.binId) ?? [];
      for (const channel of to) {
        const list = byChannel.get(channel);
        if (list) list.push(event);
        else byChannel.set(channel, [event]);
      }
    }
    for (const [channel, list] of byChannel) channel.send({ type: 'events', events: list });
  }

  private unfollow(channel: ServerChannel, binId: string): void {
    const channels = this.followers.get(binId);
    channels?.delete(channel);
    if (channels?.size === 0) this.followers.delete(binId);
  }

  private versionOf(bin: CaptureBin): number {
    let version = this.versions.get(bin);
    if (version === undefined) this.versions.set(bin, (version = ++this.lastVersion));
    return version;
  }
}

/** An error as it crosses the channel (rebuilt by link.ts). */
export function toWireError(err: unknown): WireError {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}
