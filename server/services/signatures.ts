import type { Bus } from '../bus/port';
import type { Store } from '../store';
import { announceBins } from './bin-updates';

/** Requests rechecked per transaction: a chunk holds the bin's lock only briefly, captures go on between chunks. */
const CHUNK = 200;

/**
 * Keeps the stored signature verdicts (what `sig:` and `provider:` search) true when a bin's signing secrets change:
 * rechecks the bin's requests in the background, a chunk per transaction with a turn of the event loop between, one
 * bin at a time, then announces the bin (`bin`). Secrets that change again during a recheck make it start over with
 * them. Captures stored meanwhile are judged with the secrets in force when they are stored. A recheck that did not
 * finish (the process stopped) is resumed at the next start (see Store.binsToRecheck).
 */
export class SignatureRechecks {
  /** Bins waiting, in the order asked. */
  private readonly waiting = new Set<string>();
  private worker: Promise<void> | null = null;
  /** The look for unfinished rechecks at start, while it runs. */
  private resuming: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly store: Store, private readonly bus: Bus) {}

  /** Rechecks the bin's requests soon (again, when a recheck of it is in progress). */
  start(binId: string): void {
    if (this.stopped) return;
    this.waiting.add(binId);
    this.worker ??= this.work();
  }

  /** Starts the rechecks that a stopped process left, or that a database upgrade asks for. Never rejects. */
  resume(): Promise<void> {
    this.resuming = (async () => {
      try {
        for (const { binId } of await this.store.binsToRecheck()) this.start(binId);
      } catch (err) {
        console.error('hooklens: looking for signature verdicts to recheck failed:', err instanceof Error ? err.message : err);
      }
    })();
    return this.resuming;
  }

  /** Resolves when no recheck is waiting or in progress (those resume finds included). */
  async idle(): Promise<void> {
    await this.resuming;
    while (this.worker !== null) await this.worker;
  }

  /** Stops after the chunk in progress; what is left is resumed at the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.clear();
    await this.idle();
  }

  /** Rechecks the waiting bins one after the other; hands over to a new worker if one was asked for at the very end. */
  private async work(): Promise<void> {
    try {
      for (const binId of this.waiting) {
        if (this.stopped) return;
        this.waiting.delete(binId);
        try {
          if (await this.recheck(binId)) await announceBins(this.store, this.bus, [binId]);
        } catch (err) {
          // The database may be away for a while: the bin stays marked, and is rechecked at the next start.
          console.error(`hooklens: rechecking the signatures of bin ${binId} failed:`, err instanceof Error ? err.message : err);
        }
      }
    } finally {
      this.worker = null;
      if (!this.stopped && this.waiting.size > 0) this.worker = this.work();
    }
  }

  /** One pass over the bin, from the start again when its secrets change meanwhile; false when stopped before the end. */
  private async recheck(binId: string): Promise<boolean> {
    let version: number | null = null;
    let cursor = 0;
    for (;;) {
      if (this.stopped) return false;
      const chunk = await this.store.recheckSignatures(binId, cursor, CHUNK);
      if (version !== null && chunk.version !== version) {
        // New secrets: the requests already done were judged with the old ones.
        this.waiting.delete(binId);
        cursor = 0;
      } else if (chunk.lastId === null) {
        break;
      } else {
        cursor = chunk.lastId;
      }
      version = chunk.version;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (version !== null) await this.store.markRechecked(binId, version);
    return true;
  }
}
