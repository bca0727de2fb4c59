import type { Bus, LiveEvent } from '../bus/port';
import type { FullRequestRecord, NewRequest, PageQuery, RequestRecord, RequestRecordPage, Store, StoredRequest } from '../store';
import { announceBins, BinUpdates } from './bin-updates';
import { GroupCommit } from './group-commit';

export interface RequestServiceOptions {
  /** Requests kept per bin; the oldest are removed past it. */
  maxRequests: number;
  /** Bytes kept in the whole database (--max-stored); the oldest requests are removed past it. 0: no limit. */
  maxStored?: number;
  /** Told of each removal for --max-stored: how many requests, and the bytes held before. */
  onOverStored?: (removed: number, heldBytes: number) => void;
  /** False when no one could hear a `bin` message (one process, no live connection): counts are not announced. */
  announceCounts: () => boolean;
}

/**
 * Captured requests: the only writer of requests. Each change is stored, then announced: a capture as `request`
 * (and `request-deleted` for what it pushed out), deletes and clears as such; every change to a bin's count is
 * followed by a `bin` message with the absolute count (after captures, at most every 100 ms).
 */
export class RequestService {
  private readonly commits: GroupCommit;
  private readonly binUpdates: BinUpdates;
  /** Capture events of the batch being answered: published together, once the whole batch has been handed back. */
  private outbox: LiveEvent[] = [];

  /** The --max-stored check in progress, and whether captures came in since it began (then it runs again). */
  private capping: Promise<void> | null = null;
  private capAgain = false;

  constructor(private readonly store: Store, private readonly bus: Bus, private readonly options: RequestServiceOptions) {
    this.commits = new GroupCommit(store, options.maxRequests);
    this.binUpdates = new BinUpdates(store, bus, options.announceCounts);
  }

  /**
   * Stores a capture (with the others of the same turn: one commit), then announces it. Resolves with the stored
   * record once committed; rejects with NotFoundError when its bin is gone, StoreUnavailableError when the
   * database cannot be reached, or the database's error.
   */
  capture(request: NewRequest): Promise<StoredRequest> {
    return new Promise((resolve, reject) => {
      this.commits.add(request, (record) => {
        if (record instanceof Error) return reject(record);
        resolve(record);
        this.binUpdates.changed(record.binId);
        if (this.bus.announcesCaptures) return;
        if (this.outbox.length === 0) queueMicrotask(() => this.publishOutbox());
        this.outbox.push({ type: 'request', binId: record.binId, request: record });
        for (const id of record.evicted) this.outbox.push({ type: 'request-deleted', binId: record.binId, id });
      });
    });
  }

  /** One announcement for a batch of captures: on PostgreSQL, one round trip instead of one per request. */
  private publishOutbox(): void {
    const events = this.outbox;
    this.outbox = [];
    void this.bus.publish(events);
    this.keepUnderMaxStored();
  }

  /**
   * After captures: when the database holds more than --max-stored, removes the oldest requests of all bins until
   * it does not, and announces them. One check at a time; captures during it make it run once more. (The writer of
   * --workers calls it after the captures it writes for the server processes.)
   */
  keepUnderMaxStored(): void {
    if (!this.options.maxStored) return;
    if (this.capping) {
      this.capAgain = true;
      return;
    }
    this.capping = (async () => {
      do {
        this.capAgain = false;
        const held = await this.store.storedBytes();
        if (held <= this.options.maxStored!) continue;
        const removed = await this.store.deleteOldest(held - this.options.maxStored!);
        await this.announceRemoved(removed);
        this.options.onOverStored?.(removed.length, held);
      } while (this.capAgain);
    })().catch((err: unknown) => {
      console.error('hooklens: keeping under --max-stored failed:', err instanceof Error ? err.message : err);
    }).finally(() => {
      this.capping = null;
    });
  }

  /** Newest first, only those matching `page.search` when given, with their total. Rejects with NotFoundError for an unknown bin. */
  list(binId: string, page: PageQuery): Promise<RequestRecordPage> {
    return this.store.listRequests(binId, page);
  }

  /**
   * For a live subscription that listens on the hub: resolves with an id such that every later request of the bin
   * reaches the hub (see Bus.follow).
   */
  follow(binId: string): Promise<number> {
    return this.bus.follow(binId);
  }

  /** Registers what to do when live delivery is interrupted (see Bus.onInterrupted); returns the unregistering function. */
  onInterrupted(listener: (reason: string) => void): () => void {
    return this.bus.onInterrupted(listener);
  }

  /** Oldest first, ids greater than `after`, at most `limit`: the live stream's backlog. */
  after(binId: string, after: number, limit: number): Promise<RequestRecord[]> {
    return this.store.requestsAfter(binId, after, limit);
  }

  /** Rejects with NotFoundError. */
  get(binId: string, id: number): Promise<FullRequestRecord> {
    return this.store.getRequest(binId, id);
  }

  /** The bin's requests among `ids`, with bodies, newest first; the others are left out (see Store.getRequests). */
  getMany(binId: string, ids: readonly number[]): Promise<FullRequestRecord[]> {
    return this.store.getRequests(binId, ids);
  }

  /** Rejects with NotFoundError. */
  async delete(binId: string, id: number): Promise<void> {
    await this.store.deleteRequest(binId, id);
    await this.bus.publish([{ type: 'request-deleted', binId, id }]);
    await announceBins(this.store, this.bus, [binId]);
  }

  /** Empties the bin. Rejects with NotFoundError. */
  async clear(binId: string): Promise<void> {
    const throughId = await this.store.clearBin(binId);
    await this.bus.publish([{ type: 'bin-cleared', binId, throughId }]);
    await announceBins(this.store, this.bus, [binId]);
  }

  /** Removes the requests received before `cutoff` and announces each; resolves with how many. */
  async deleteReceivedBefore(cutoff: number): Promise<number> {
    const removed = await this.store.deleteReceivedBefore(cutoff);
    await this.announceRemoved(removed);
    return removed.length;
  }

  private async announceRemoved(removed: { binId: string; id: number }[]): Promise<void> {
    if (removed.length === 0) return;
    await this.bus.publish(removed.map(({ binId, id }): LiveEvent => ({ type: 'request-deleted', binId, id })));
    await announceBins(this.store, this.bus, removed.map((r) => r.binId));
  }

  /** Commits what is queued, finishes a --max-stored check and announces pending counts; for a graceful stop. */
  async drain(): Promise<void> {
    await this.commits.drain();
    await this.capping;
    await this.binUpdates.flush();
  }
}
