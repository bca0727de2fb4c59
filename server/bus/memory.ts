import type { Hub } from './hub';
import type { Store } from '../store';
import { toLiveRequest } from '../wire';
import type { Bus, LiveEvent } from './port';

/**
 * The bus of a single process (SQLite): events go to the hub at once, in the order published. The store commits
 * one batch at a time, so per bin the hub sees ids in increasing order.
 */
export function createMemoryBus(hub: Hub, store: Store): Bus {
  return {
    async publish(events: readonly LiveEvent[]): Promise<void> {
      for (const event of events) deliver(hub, event);
    },
    follow: (binId) => store.lastRequestId(binId),
    onInterrupted: () => () => {},
    problem: () => null,
    async close(): Promise<void> {},
  };
}

/**
 * Hands an event to the hub: bin messages to every connection, the others to the bin's followers; a request in its
 * wire form, built only when the bin has followers.
 */
export function deliver(hub: Hub, event: LiveEvent): void {
  if (event.type === 'bin' || event.type === 'bin-deleted') hub.broadcast(event);
  else if (event.type !== 'request') hub.publish(event.binId, event);
  else if (hub.subscriberCount(event.binId) > 0) hub.publish(event.binId, { ...event, request: toLiveRequest(event.request) });
}
