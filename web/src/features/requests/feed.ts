/**
 * Keeps a bin's cached list current from the live stream while the bin is shown: arrivals go in their place (marked
 * with when they arrived), deleted requests go out, a clear empties it. The bin's count and settings come with the
 * `bin` messages that every connection hears (features/bins/feed.ts).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useLive } from '../../api/useLive';
import { requestKeys } from './api';
import { clearThrough, insertArrival, newestId, removeRequest } from './cache';
import type { ListData } from './cache';

/** What the feed knows beyond the list: which requests went away while shown. */
export interface RequestFeed {
  /** True when this request was deleted, or the bin cleared after it arrived, while the bin was shown. */
  isGone(requestId: number): boolean;
}

/**
 * Follows `binId` once its first page is in (`ready`), from the newest id that page holds, so that a request stored
 * between the page and the subscription still arrives (as backlog); after a dropped connection the live client
 * resumes from the last id it delivered. Give the component that calls this `key={binId}`.
 */
export function useRequestFeed(binId: string, ready: boolean): RequestFeed {
  const queryClient = useQueryClient();
  const live = useLive();
  const [goneIds, setGoneIds] = useState<ReadonlySet<number>>(new Set());
  const [clearedThrough, setClearedThrough] = useState<number | null>(null);

  useEffect(() => {
    if (!ready) return;
    const key = requestKeys.list(binId);
    const update = (change: (data: ListData) => ListData) => queryClient.setQueryData<ListData>(key, (data) => data && change(data));
    // An empty first page still resumes from 0: a request stored before the subscription is then backlog.
    return live.subscribe(binId, newestId(queryClient.getQueryData<ListData>(key)) ?? 0, {
      request: (request) => update((data) => insertArrival(data, { ...request, arrivedAt: Date.now() })),
      requestDeleted: (requestId) => {
        update((data) => removeRequest(data, requestId));
        setGoneIds((current) => new Set(current).add(requestId));
      },
      binCleared: (throughId) => {
        const newest = newestId(queryClient.getQueryData<ListData>(key));
        update((data) => clearThrough(data, throughId));
        setClearedThrough(throughId ?? newest ?? Number.MAX_SAFE_INTEGER);
      },
    });
  }, [binId, ready, queryClient, live]);

  const isGone = useCallback(
    (requestId: number) => goneIds.has(requestId) || (clearedThrough !== null && requestId <= clearedThrough),
    [goneIds, clearedThrough],
  );
  return { isGone };
}
