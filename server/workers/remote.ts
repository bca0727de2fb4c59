import { deliver } from '../bus/memory';
import type { Hub } from '../bus/hub';
import type { Bus, LiveEvent } from '../bus/port';
import { deriveColumns } from '../store/derive';
import {
  ConflictError, NotFoundError, StoreUnavailableError, type BinChanges, type BinRecord, type CaptureBin, type FullRequestRecord,
  type NewRequest, type PageQuery, type RequestRecord, type RequestRecordPage, type Store, type StoreOptions, type StoredRequest,
} from '../store';
import type { Channel, StoreCall, Stored, ToServer, ToWriter, VersionedBin, WireError } from './protocol';

export type WriterChannel = Channel<ToServer, ToWriter>;

/** A message that expects an answer, without the id the link gives it. */
type Question = ToWriter extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

const LOST = 'the writer process is gone';

/**
 * A server process's end of the channel to the writer: questions matched with their answers, the events and bin
 * changes handed to whoever registered for them. When the writer is gone every question pending, and every later
 * one, rejects with StoreUnavailableError: nothing was stored.
 */
export class WriterLink {
  private lastId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  private lost = false;
  onEvents: (events: LiveEvent[]) => void = () => {};
  onBinChanged: (binId: string) => void = () => {};
  private readonly lostListeners = new Set<() => void>();

  constructor(private readonly channel: WriterChannel) {
    channel.onMessage((message) => this.receive(message));
    channel.onClose(() => {
      this.lost = true;
      for (const { reject } of this.pending.values()) reject(new StoreUnavailableError(LOST));
      this.pending.clear();
      for (const listener of this.lostListeners) listener();
    });
  }

  ask<T>(question: Question): Promise<T> {
    if (this.lost) return Promise.reject(new StoreUnavailableError(LOST));
    const id = ++this.lastId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.channel.send({ ...question, id } as ToWriter);
    });
  }

  tell(message: Extract<ToWriter, { type: 'publish' | 'unfollow' }>): void {
    if (!this.lost) this.channel.send(message);
  }

  isLost(): boolean {
    return this.lost;
  }

  /** Registers what to do when the writer is gone; returns the function that unregisters it. */
  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** The channel also carries the cluster's other messages (metrics): only the writer's are read here. */
  private receive(message: ToServer): void {
    switch (message.type) {
      case 'events':
        return this.onEvents(message.events);
      case 'bin-changed':
        return this.onBinChanged(message.binId);
      case 'answer':
      case 'failed':
      case 'stored': {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.type === 'failed') waiting.reject(fromWireError(message.error));
        else if (message.type === 'stored') waiting.resolve(message.results.map((r) => ('id' in r ? r : fromWireError(r))));
        else waiting.resolve(message.value);
      }
    }
  }
}

function fromWireError({ name, message }: WireError): Error {
  if (name === 'NotFoundError') return new NotFoundError(message);
  if (name === 'ConflictError') return new ConflictError(message);
  if (name === 'StoreUnavailableError') return new StoreUnavailableError(message);
  const err = new Error(message);
  err.name = name;
  return err;
}

/**
 * The store of a server process of `--workers` on SQLite: every call is the writer's store's, asked over the link.
 * Captures are derived here, with the bin's secrets as the writer last told them (kept until it says the bin
 * changed), so that this work spreads over the processes: the writer only writes.
 */
export class RemoteStore implements Store {
  readonly engine = 'sqlite';
  private open = true;
  /** What capture knows of each bin it captured for, until the writer says the bin changed. */
  private readonly bins = new Map<string, Promise<VersionedBin>>();

  constructor(private readonly link: WriterLink, private readonly options: StoreOptions) {
    link.onBinChanged = (binId) => this.bins.delete(binId);
  }

  private call<T>(method: StoreCall, ...args: unknown[]): Promise<T> {
    if (!this.open) return Promise.reject(new StoreUnavailableError('the store is closed'));
    return this.link.ask<T>({ type: 'call', method, args });
  }

  private captureBin(binId: string): Promise<VersionedBin> {
    if (!this.open) return Promise.reject(new StoreUnavailableError('the store is closed'));
    let known = this.bins.get(binId);
    if (!known) {
      known = this.link.ask<VersionedBin>({ type: 'capture-bin', binId });
      this.bins.set(binId, known);
      // Only bins that exist are kept: a bin another process creates is found at once.
      known.then((answer) => answer.bin === null && this.bins.get(binId) === known && this.bins.delete(binId),
        () => this.bins.get(binId) === known && this.bins.delete(binId));
    }
    return known;
  }

  async binForCapture(id: string): Promise<CaptureBin | null> {
    return (await this.captureBin(id)).bin;
  }

  async hasBin(id: string): Promise<boolean> {
    return (await this.binForCapture(id)) !== null;
  }

  async insertRequests(requests: readonly NewRequest[], maxRequests: number): Promise<(StoredRequest | Error)[]> {
    const bins = await Promise.all(requests.map((request) => this.captureBin(request.binId)));
    const { redactSecrets, publicUrl = null } = this.options;
    const derived = requests.map((request, i) => deriveColumns(request, { redactSecrets, secrets: bins[i].bin?.signingSecrets ?? {}, publicUrl }));
    const results = await this.link.ask<(Stored | Error)[]>({
      type: 'insert', requests: derived, secretsVersions: bins.map(({ version }) => version), maxRequests,
    });
    return results.map((result, i) => {
      if (result instanceof Error) return result;
      // The stored record, as every store answers it: without the body.
      const { deliveryKey: _key, body: _body, ...record } = derived[i];
      return Object.assign(record, result);
    });
  }

  async createBin(id: string, name: string, now: number, relayKey?: string): Promise<BinRecord> {
    const bin = await this.call<BinRecord>('createBin', id, name, now, relayKey);
    this.bins.delete(id);
    return bin;
  }

  async updateBin(id: string, changes: BinChanges): Promise<BinRecord> {
    const bin = await this.call<BinRecord>('updateBin', id, changes);
    this.bins.delete(id);
    return bin;
  }

  async deleteBin(id: string): Promise<void> {
    await this.call('deleteBin', id);
    this.bins.delete(id);
  }

  getBin = (id: string) => this.call<BinRecord>('getBin', id);
  getBinByRelayKey = (key: string) => this.call<BinRecord>('getBinByRelayKey', key);
  listBins = () => this.call<BinRecord[]>('listBins');
  listRequests = (binId: string, page: PageQuery) => this.call<RequestRecordPage>('listRequests', binId, page);
  requestsAfter = (binId: string, after: number, limit: number) => this.call<RequestRecord[]>('requestsAfter', binId, after, limit);
  lastRequestId = (binId: string) => this.call<number>('lastRequestId', binId);
  getRequest = (binId: string, id: number) => this.call<FullRequestRecord>('getRequest', binId, id);
  binsToRecheck = () => this.call<{ binId: string; version: number }[]>('binsToRecheck');
  recheckSignatures = (binId: string, afterId: number, limit: number) =>
    this.call<{ lastId: number | null; version: number }>('recheckSignatures', binId, afterId, limit);
  markRechecked = (binId: string, version: number) => this.call<void>('markRechecked', binId, version);
  getRequests = (binId: string, ids: readonly number[]) => this.call<FullRequestRecord[]>('getRequests', binId, ids);
  countRequests = () => this.call<number>('countRequests');
  storedBytes = () => this.call<number>('storedBytes');
  deleteOldest = (bytes: number) => this.call<{ binId: string; id: number }[]>('deleteOldest', bytes);
  deleteRequest = (binId: string, id: number) => this.call<void>('deleteRequest', binId, id);
  clearBin = (binId: string) => this.call<number>('clearBin', binId);
  deleteReceivedBefore = (cutoff: number) => this.call<{ binId: string; id: number }[]>('deleteReceivedBefore', cutoff);
  claimSweep = (now: number, everyMs: number) => this.call<boolean>('claimSweep', now, everyMs);
  getSetting = (key: string) => this.call<string | null>('getSetting', key);
  setSetting = (key: string, value: string) => this.call<void>('setSetting', key, value);
  setSettingIfAbsent = (key: string, value: string) => this.call<string>('setSettingIfAbsent', key, value);
  recordFailure = (key: string, now: number, windowMs: number) => this.call<number>('recordFailure', key, now, windowMs);
  failureCount = (key: string, now: number, windowMs: number) => this.call<number>('failureCount', key, now, windowMs);
  revokeSession = (digest: string, expiresAt: number, now: number) => this.call<void>('revokeSession', digest, expiresAt, now);
  isSessionRevoked = (digest: string) => this.call<boolean>('isSessionRevoked', digest);
  backupTo = (file: string) => this.call<void>('backupTo', file);
  ping = () => this.call<void>('ping');

  /** This process stops asking; the writer's database stays open for the others (the writer closes it). */
  async close(): Promise<void> {
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }
}

/**
 * The bus of a server process of `--workers` on SQLite: the writer sends this process the events of the bins its
 * hub follows (captures at their commit, in id order) and every bin message; what this process publishes goes to
 * the writer, which passes it on. A bin the hub no longer follows is given up when its next event comes.
 */
export class RemoteBus implements Bus {
  constructor(private readonly link: WriterLink, private readonly hub: Hub) {
    link.onEvents = (events) => {
      const unfollowed = new Set<string>();
      for (const event of events) {
        deliver(hub, event);
        if ('binId' in event && event.type !== 'bin-deleted' && hub.subscriberCount(event.binId) === 0) unfollowed.add(event.binId);
      }
      for (const binId of unfollowed) link.tell({ type: 'unfollow', binId });
    };
  }

  /** The writer announces captures at their commit. */
  readonly announcesCaptures = true;

  /** Goes through the writer to every process that wants it. */
  async publish(events: readonly LiveEvent[]): Promise<void> {
    if (events.length > 0) this.link.tell({ type: 'publish', events: [...events] });
  }

  follow(binId: string): Promise<number> {
    return this.link.ask<number>({ type: 'follow', binId });
  }

  onInterrupted(listener: (reason: string) => void): () => void {
    return this.link.onLost(() => listener(LOST));
  }

  problem(): string | null {
    return this.link.isLost() ? LOST : null;
  }

  async close(): Promise<void> {}
}
