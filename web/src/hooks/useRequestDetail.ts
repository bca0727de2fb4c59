import { useEffect, useState } from 'react';
import { ApiError, getRequest } from '../api/client';
import type { RequestDetailView } from '../api/model';

/** One request's detail, or why it could not be loaded. */
export interface RequestDetailState {
  request: RequestDetailView | null;
  /** True until the answer for the current `refresh` has arrived. */
  loading: boolean;
  error: string | null;
  /** True when the server answered 404: the request was deleted (or never existed). */
  notFound: boolean;
}

interface Answer {
  request: RequestDetailView | null;
  error: string | null;
  notFound: boolean;
  /** The `refresh` value this answer is for. */
  refresh: number | null;
}

/**
 * Fetches a request; fetches again when `refresh` changes (analysis runs on read, so a new signing secret shows
 * up in a re-fetch), showing the previous answer meanwhile. The state belongs to one request: give the component
 * that calls this `key={requestId}`.
 */
export function useRequestDetail(binId: string, requestId: number, refresh: number): RequestDetailState {
  const [answer, setAnswer] = useState<Answer>({ request: null, error: null, notFound: false, refresh: null });

  useEffect(() => {
    let cancelled = false;
    getRequest(binId, requestId).then(
      (request) => {
        if (!cancelled) setAnswer({ request, error: null, notFound: false, refresh });
      },
      (failure: unknown) => {
        if (cancelled) return;
        const notFound = failure instanceof ApiError && failure.status === 404;
        const error = failure instanceof ApiError ? failure.message : String(failure);
        setAnswer((current) => ({ request: notFound ? null : current.request, error, notFound, refresh }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [binId, requestId, refresh]);

  return { request: answer.request, loading: answer.refresh !== refresh, error: answer.error, notFound: answer.notFound };
}
