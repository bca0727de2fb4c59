import { describe, expect, it } from 'vitest';
import type { Bus } from '../server/bus/port';
import { Hub } from '../server/bus/hub';
import { Subscription, type Outlet } from '../server/live/subscription';
import { RequestService } from '../server/services/requests';
import { openSqliteStore } from '../server/store/sqlite';
import { toLiveRequest } from '../server/wire';
import type { ServerMessage } from '../shared/types';
import { newRequest } from './store/requests';

/** An outlet that records the request ids it sends. */
function recordingOutlet(): Outlet & { ids: number[] } {
  const ids: number[] = [];
  return {
    ids,
    send(json, written) {
      const message = JSON.parse(json) as ServerMessage;
      if (message.type === 'request') ids.push(message.request.id);
      written?.();
      return true;
    },
    hold() {},
    fail() {},
    bufferedAmount: 0,
  };
}

describe('Subscription', () => {
  it('never sends a request at or below `after`, even when the bus delivers it late', async () => {
    const store = openSqliteStore(':memory:');
    await store.createBin('b', 'b', 0);
    const stored = await store.insertRequests([1, 2, 3].map((n) => newRequest('b', n)), 100);
    const [, , third] = stored.map((r) => {
      if (r instanceof Error) throw r;
      return r;
    });
    // A bus that already follows the bin, with its cursor behind the store: the announcement of the third request,
    // stored by another instance, is still on its way.
    const bus: Bus = {
      publish: async () => {}, follow: async () => third.id - 1, onInterrupted: () => () => {}, problem: () => null, close: async () => {},
    };
    const hub = new Hub();
    const requests = new RequestService(store, bus, { maxRequests: 100, announceCounts: () => false });
    const outlet = recordingOutlet();
    // The client has seen the third request already (from the REST list, or through another instance).
    new Subscription('b', requests, hub, outlet, Infinity).start(third.id);
    await new Promise((resolve) => setImmediate(resolve));
    hub.publish('b', { type: 'request', binId: 'b', request: toLiveRequest(third) });
    const [fourth] = await store.insertRequests([newRequest('b', 4)], 100);
    if (fourth instanceof Error) throw fourth;
    hub.publish('b', { type: 'request', binId: 'b', request: toLiveRequest(fourth) });
    expect(outlet.ids).toEqual([fourth.id]);
    await store.close();
  });
});
