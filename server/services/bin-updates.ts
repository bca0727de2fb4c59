import type { Bus } from '../bus/port';
import type { Store } from '../store';
import { toWireBin } from '../wire';

/** At most one `bin` message per bin this often, however many captures a burst brings. */
const ANNOUNCE_EVERY_MS = 100;

/**
 * Announces a bin's absolute count and last request time after captures: each changed bin once per 100 ms. Live
 * `bin` messages carry the capture URL as a path; viewers complete it with the base they show.
 */
export class BinUpdates {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly store: Store, private readonly bus: Pick<Bus, 'publish'>, private readonly wanted: () => boolean) {}

  /** Notes that `binId` captured a request. */
  changed(binId: string): void {
    if (!this.wanted()) return;
    if (this.timer === null) this.timer = setTimeout(() => void this.flush(), ANNOUNCE_EVERY_MS).unref();
    this.pending.add(binId);
  }

  /** Announces now what is pending; for shutdown and tests. */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const binIds = [...this.pending];
    this.pending.clear();
    // The server may have shut down (and closed the store) since the announcement was due: nothing to tell.
    if (!this.store.isOpen() || binIds.length === 0) return;
    await announceBins(this.store, this.bus, binIds);
  }
}

/** Publishes a `bin` message, with its absolute count, for each bin that still exists. Never rejects. */
export async function announceBins(store: Store, bus: Pick<Bus, 'publish'>, binIds: Iterable<string>): Promise<void> {
  try {
    const bins = await Promise.all([...new Set(binIds)].map((id) => store.getBin(id).catch(() => null)));
    await bus.publish(bins.filter((bin) => bin !== null).map((bin) => ({ type: 'bin', bin: toWireBin(bin, '') })));
  } catch (err) {
    console.error('hooklens: announcing bin counts failed:', err instanceof Error ? err.message : err);
  }
}
