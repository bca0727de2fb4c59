import { StoreUnavailableError, type NewRequest, type StoredRequest, type Store } from '../store';

type Done = (result: StoredRequest | Error) => void;

/**
 * Group commit for captures: the requests that arrive while no batch is committing are stored together at the
 * next turn of the event loop, and those that arrive while one commits wait for it and go in the next batch. So a
 * burst pays for one commit per batch instead of one each: on SQLite (whose commits finish at once) a batch is what
 * finished in one turn; on PostgreSQL, what arrived during one round trip and fsync. Each `done` runs after its
 * batch's commit, in id order.
 */
export class GroupCommit {
  private pending: { request: NewRequest; done: Done }[] = [];
  private inFlight: Promise<void> | null = null;
  private scheduled = false;

  constructor(private readonly store: Store, private readonly maxRequests: number) {}

  /** Queues a request; `done` gets its stored record, or the error that kept it out. */
  add(request: NewRequest, done: Done): void {
    this.pending.push({ request, done });
    if (this.scheduled || this.inFlight !== null) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Resolves once every request queued so far has been committed (or refused) and answered. */
  async drain(): Promise<void> {
    while (this.inFlight !== null || this.pending.length > 0) {
      this.flush();
      await this.inFlight;
    }
  }

  /** Starts committing what is queued, unless a batch is committing: its end starts the next one. */
  private flush(): void {
    if (this.inFlight !== null || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.inFlight = this.commit(batch).finally(() => {
      this.inFlight = null;
      this.flush();
    });
  }

  private async commit(batch: { request: NewRequest; done: Done }[]): Promise<void> {
    const results = await this.insert(batch.map((b) => b.request));
    for (const [i, b] of batch.entries()) {
      // One failing answer must not leave the rest of the batch unanswered.
      try {
        b.done(results[i]);
      } catch (err) {
        console.error('hooklens: answering a capture failed:', err instanceof Error ? err.message : err);
      }
    }
  }

  /**
   * The batch's results. When the database refuses the batch for one request's sake (not because it is away), each
   * is stored on its own, so that one sender's odd request cannot fail the others'.
   */
  private async insert(requests: NewRequest[]): Promise<(StoredRequest | Error)[]> {
    try {
      return await this.store.insertRequests(requests, this.maxRequests);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (requests.length === 1 || error instanceof StoreUnavailableError) return requests.map(() => error);
      const results: (StoredRequest | Error)[] = [];
      for (const request of requests) results.push(...(await this.insert([request])));
      return results;
    }
  }
}
