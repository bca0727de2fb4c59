import { deliver } from '../bus/memory';
import type { Hub } from '../bus/hub';
import type { Bus, LiveEvent } from '../bus/port';
import { LOST, type WriterLink } from './link';

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
