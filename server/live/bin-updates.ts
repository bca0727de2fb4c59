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
  private readonly pending = new Set<string>();

  constructor(private readonly store: Store, private readonly hub: Hub) {}

  /** Notes that `binId` captured a request. */
  changed(binId: string): void {
    if (this.hub.connectionCount === 0) return;
    if (this.pending.size === 0) setTimeout(() => this.flush(), ANNOUNCE_EVERY_MS).unref();
    this.pending.add(binId);
  }

  private flush(): void {
    const binIds = [...this.pending];
    this.pending.clear();
    // The server may have shut down (and closed the store) since the announcement was due: nothing to tell.
    if (!this.store.isOpen()) return;
    for (const binId of binIds) {
      // Each connection puts in its own capture URL (live/socket.ts): the base here is a placeholder.
      if (this.store.hasBin(binId)) this.hub.broadcast({ type: 'bin', bin: toWireBin(this.store.getBin(binId), '') });
    }
  }
}
