import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, clearBin, deleteRequest, listRequests } from '../api/client';
import type { BinView, RequestSummaryView } from '../api/model';
import { subscribe } from '../api/live';

/** A bin's requests as the bin page shows them, newest first, kept current by the live stream. */
export interface BinRequestsState {
  requests: RequestSummaryView[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadingOlder: boolean;
  /** True once the live stream said the bin was deleted. */
  binDeleted: boolean;
  /** True when this request was deleted or the bin cleared after it arrived. */
  isGone(requestId: number): boolean;
  loadOlder(): Promise<void>;
  remove(requestId: number): Promise<void>;
  clear(): Promise<void>;
}

function message(failure: unknown): string {
  return failure instanceof ApiError ? failure.message : String(failure);
}

/** Inserts requests keeping newest-first order and dropping ids already shown. */
function merge(current: RequestSummaryView[], incoming: RequestSummaryView[]): RequestSummaryView[] {
  const known = new Set(current.map((request) => request.id));
  const fresh = incoming.filter((request) => !known.has(request.id));
  if (fresh.length === 0) return current;
  return [...current, ...fresh].sort((a, b) => b.id - a.id);
}

/** What the bin page's owner hears from the live stream besides the list itself. */
export interface BinEvents {
  /** The bin changed (name, signing secrets, count): the bin as it now is. */
  onBin(bin: BinView): void;
}

/**
 * Loads the newest page of `binId`, then follows it live from the newest id loaded, so that a request stored
 * between the two still arrives (as backlog). The state belongs to one bin: give the component that calls this
 * `key={binId}`.
 */
export function useBinRequests(binId: string, events: BinEvents): BinRequestsState {
  const [requests, setRequests] = useState<RequestSummaryView[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [binDeleted, setBinDeleted] = useState(false);
  const [goneIds, setGoneIds] = useState<ReadonlySet<number>>(new Set());
  const [clearedThrough, setClearedThrough] = useState<number | null>(null);
  const newestSeen = useRef(0);
  const eventsRef = useRef(events);
  useEffect(() => {
    eventsRef.current = events;
  }, [events]);

  useEffect(() => {
    let cancelled = false;
    let unsubscribe: (() => void) | null = null;
    listRequests(binId).then(
      (page) => {
        if (cancelled) return;
        setRequests(page.requests);
        setHasMore(page.hasMore);
        setLoading(false);
        newestSeen.current = page.requests[0]?.id ?? 0;
        unsubscribe = subscribe(binId, newestSeen.current, {
          request: (request) => {
            newestSeen.current = Math.max(newestSeen.current, request.id);
            setRequests((current) => merge(current, [request]));
          },
          requestDeleted: (requestId) => {
            setRequests((current) => current.filter((request) => request.id !== requestId));
            setGoneIds((current) => new Set(current).add(requestId));
          },
          // Requests stored after the clear (by another instance, announced first) stay.
          binCleared: (throughId) => {
            setRequests((current) => (throughId === undefined ? [] : current.filter((request) => request.id > throughId)));
            setHasMore(false);
            setClearedThrough(throughId ?? newestSeen.current);
          },
          binDeleted: () => setBinDeleted(true),
          bin: (bin) => eventsRef.current.onBin(bin),
        });
      },
      (failure: unknown) => {
        if (cancelled) return;
        setError(message(failure));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [binId]);

  const loadOlder = useCallback(async () => {
    const oldest = requests[requests.length - 1];
    if (oldest === undefined) return;
    setLoadingOlder(true);
    try {
      const page = await listRequests(binId, { before: oldest.id });
      setRequests((current) => merge(current, page.requests));
      setHasMore(page.hasMore);
    } catch (failure) {
      setError(message(failure));
    } finally {
      setLoadingOlder(false);
    }
  }, [binId, requests]);

  const remove = useCallback(
    async (requestId: number) => {
      await deleteRequest(binId, requestId);
      setRequests((current) => current.filter((request) => request.id !== requestId));
      setGoneIds((current) => new Set(current).add(requestId));
    },
    [binId],
  );

  const clear = useCallback(async () => {
    await clearBin(binId);
    setRequests([]);
    setHasMore(false);
    setClearedThrough(newestSeen.current);
  }, [binId]);

  const isGone = useCallback(
    (requestId: number) => goneIds.has(requestId) || (clearedThrough !== null && requestId <= clearedThrough),
    [goneIds, clearedThrough],
  );

  return { requests, loading, error, hasMore, loadingOlder, binDeleted, isGone, loadOlder, remove, clear };
}
