/**
 * Keeps the cached bins current from the live stream: the server follows every change to a bin (a capture, a
 * deletion, clearing, eviction, a rename…) with a `bin` message carrying its count, and bin deletions with
 * `bin-deleted`; both are written into the query cache as they come (./api.ts putBin, dropBin).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { BinView } from '../../api/model';
import { useLive } from '../../api/useLive';
import { binKeys, dropBin, putBin } from './api';

/**
 * Follows every bin's changes while the app shows bins. A message that arrives while a bins query is fetching may
 * be newer than that query's answer, so it is applied again once the answer is in. After the connection comes back
 * the bins are fetched again: `bin` messages sent during the gap are not replayed (requests are, by `after`).
 */
export function useBinsFeed(): void {
  const queryClient = useQueryClient();
  const live = useLive();

  useEffect(() => {
    /** Per bins query in flight (by hash), when its fetch started. */
    const inFlight = new Map<string, number>();
    /** What was announced while a fetch was in flight: the bin as it now is, or null for deleted. */
    const announced = new Map<string, { bin: BinView | null; at: number }>();
    const apply = (binId: string, bin: BinView | null) => (bin === null ? dropBin(queryClient, binId) : putBin(queryClient, bin));
    const announce = (binId: string, bin: BinView | null) => {
      apply(binId, bin);
      if (inFlight.size > 0) announced.set(binId, { bin, at: performance.now() });
    };

    const stopCache = queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.query.queryKey[0] !== binKeys.all[0]) return;
      const { action } = event;
      if (action.type === 'fetch') inFlight.set(event.query.queryHash, performance.now());
      else if (action.type === 'error') inFlight.delete(event.query.queryHash);
      // setQueryData's own updates are `manual`: only a fetched answer can be older than an announcement.
      else if (action.type === 'success' && !action.manual) {
        const started = inFlight.get(event.query.queryHash) ?? Infinity;
        inFlight.delete(event.query.queryHash);
        for (const [binId, { bin, at }] of announced) if (at >= started) apply(binId, bin);
        if (inFlight.size === 0) announced.clear();
      }
    });
    const stopLive = live.onBinListChanges({
      bin: (bin) => announce(bin.id, bin),
      binDeleted: (binId) => announce(binId, null),
    });
    let status = live.getStatus();
    const stopStatus = live.onStatus(() => {
      const next = live.getStatus();
      if (status === 'reconnecting' && next === 'live') void queryClient.invalidateQueries({ queryKey: binKeys.all });
      status = next;
    });
    return () => {
      stopLive();
      stopStatus();
      stopCache();
    };
  }, [queryClient, live]);
}
