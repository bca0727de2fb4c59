import type { NewRequest, StoredRequest, Store } from './types';

type Done = (result: StoredRequest | Error) => void;

/**
 * Group commit for captures: the requests whose bodies finish in the same turn of the event loop are stored in one
 * transaction, so a burst pays for one commit instead of one each. Each `done` runs after that commit, in id order;
 * a request waits at most one turn of the event loop.
 */
export class GroupCommit {
  private pending: { request: NewRequest; done: Done }[] = [];

  constructor(private readonly store: Store, private readonly maxRequests: number) {}

  /** Queues a request; `done` gets its stored record, or the error that kept it out. */
  add(request: NewRequest, done: Done): void {
    this.pending.push({ request, done });
    if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  /** Commits what is queued now; called by the timer, or directly to drain. */
  flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let results: (StoredRequest | Error)[];
    try {
      results = this.store.insertRequests(batch.map((b) => b.request), this.maxRequests);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      results = batch.map(() => error);
    }
    for (const [i, b] of batch.entries()) {
      // One failing answer must not leave the rest of the batch unanswered.
      try {
        b.done(results[i]);
      } catch (err) {
        console.error('hooklens: answering a capture failed:', err instanceof Error ? err.message : err);
      }
    }
  }
}
