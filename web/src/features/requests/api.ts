/**
 * A bin's requests in the query cache: the list (pages loaded newest first, as far down as someone scrolled, kept
 * current by ./feed.ts), one request's detail, and what deletes or replays them.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { clearBin, deleteRequest, getRequest, listRequests, replayRequest } from '../../api/client';
import { clearThrough, newestId, removeRequest } from './cache';
import type { ListData, ListPage } from './cache';

/**
 * Query keys. Lists live under their own root so that refreshing bins never refetches them: a list is only ever
 * resumed by the live stream, never refetched page by page.
 */
export const requestKeys = {
  list: (binId: string) => ['requests', binId] as const,
  /** Searches live under a root of their own: the live stream never touches them (see useRequestSearch). */
  searches: (binId: string) => ['request-search', binId] as const,
  search: (binId: string, q: string) => ['request-search', binId, q] as const,
  details: (binId: string) => ['request', binId] as const,
  detail: (binId: string, requestId: number) => ['request', binId, requestId] as const,
};

/** The first page is small, so that a bin opens at once; later pages are the API's largest. */
export const FIRST_PAGE_SIZE = 100;
export const PAGE_SIZE = 500;

async function fetchPage(binId: string, before: number | undefined, q?: string): Promise<ListPage> {
  const page = await listRequests(binId, { before, limit: before === undefined ? FIRST_PAGE_SIZE : PAGE_SIZE, q });
  return {
    requests: page.requests.map((request) => ({ ...request, arrivedAt: null })),
    hasMore: page.hasMore,
    oldestId: page.requests.at(-1)?.id ?? null,
    total: page.total,
    fetchedAt: Date.now(),
  };
}

/**
 * A bin's list, newest first: the first page, then each older one on `fetchNextPage()`. Never refetched (the live
 * stream keeps it current while it is shown) and dropped as soon as nothing shows it, since nothing follows it then.
 */
export function useRequestList(binId: string) {
  return useInfiniteQuery({
    queryKey: requestKeys.list(binId),
    queryFn: ({ pageParam }) => fetchPage(binId, pageParam),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last: ListPage) => (last.hasMore && last.oldestId !== null ? last.oldestId : undefined),
    gcTime: 0,
    // Comparing every cached row with its new self on each page and arrival costs a frame on a big bin; the
    // updates in ./cache.ts already keep the pages that did not change.
    structuralSharing: false,
  });
}

/**
 * The requests of a bin that match the search `q` (contract.md "Search"), newest first, page after page like the
 * list; the first page's `total` is the number of matches. Live arrivals are not put into it (whether one matches is
 * the server's to say): the page says that new captures arrived and offers a refresh instead. Disabled while `q` is
 * null. An invalid `q` fails with the server's ApiError 400, which is not retried.
 */
export function useRequestSearch(binId: string, q: string | null) {
  return useInfiniteQuery({
    queryKey: requestKeys.search(binId, q ?? ''),
    queryFn: ({ pageParam }) => fetchPage(binId, pageParam, q ?? ''),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last: ListPage) => (last.hasMore && last.oldestId !== null ? last.oldestId : undefined),
    enabled: q !== null,
    gcTime: 0,
    retry: false,
    structuralSharing: false,
  });
}

/**
 * One request with headers, body and analysis. Analysis runs when the server reads the request, so after a signing
 * secret changes the bin's details are invalidated (useUpdateBin's caller does it) and fetched again, the previous
 * answer shown meanwhile. The error is an ApiError 404 for a request that is not in the bin.
 */
export function useRequestDetail(binId: string, requestId: number | null) {
  return useQuery({
    queryKey: requestKeys.detail(binId, requestId ?? -1),
    queryFn: () => getRequest(binId, requestId ?? -1),
    enabled: requestId !== null,
  });
}

/** Deletes one request and takes it out of the list. */
export function useDeleteRequest(binId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (requestId: number) => deleteRequest(binId, requestId),
    onSuccess: (_answer, requestId) => {
      queryClient.setQueryData<ListData>(requestKeys.list(binId), (data) => data && removeRequest(data, requestId));
      queryClient.setQueriesData<ListData>({ queryKey: requestKeys.searches(binId) }, (data) => data && removeRequest(data, requestId));
      queryClient.removeQueries({ queryKey: requestKeys.detail(binId, requestId) });
    },
  });
}

/** Empties a bin; the list keeps only what arrives after. */
export function useClearBin(binId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => clearBin(binId),
    onSuccess: () => {
      queryClient.setQueryData<ListData>(requestKeys.list(binId), (data) => data && clearThrough(data, newestId(data) ?? 0));
    },
  });
}

/**
 * Sends a captured request again, from the server, to a URL; the answer is the target's (see client.replayRequest
 * for the errors).
 */
export function useReplay(binId: string, requestId: number) {
  return useMutation({ mutationFn: (url: string) => replayRequest(binId, requestId, url) });
}
