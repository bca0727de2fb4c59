import type { Store } from '../store';
import { toWireBin } from '../http/wire';
import type { Hub } from './hub';

/**
 * Keeps every viewer's bins list current: after captures, each changed bin is announced to every connection as a
 * `bin` message (its new count and last request time), at most every 100 ms however many requests it took, and
 * only when someone is connected.
 */
const ANNOUNCE_EVERY_MS = 100;

export class BinUpdates {
  private readonly pending = new Map<string, string>();

  constructor(private readonly store: Store, private readonly hub: Hub) {}

  /** Notes that `binId` captured a request; `captureBase` builds the announced bin's capture URL. */
  changed(binId: string, captureBase: string): void {
    if (this.hub.connectionCount === 0) return;
    if (this.pending.size === 0) setTimeout(() => this.flush(), ANNOUNCE_EVERY_MS).unref();
    this.pending.set(binId, captureBase);
  }

  private flush(): void {
    // The server may have shut down (and closed the store) since the announcement was due: nothing to tell.
    if (!this.store.isOpen()) return;
    for (const [binId, base] of this.pending) {
      if (this.store.hasBin(binId)) this.hub.broadcast({ type: 'bin', bin: toWireBin(this.store.getBin(binId), base) });
    }
    this.pending.clear();
  }
}
