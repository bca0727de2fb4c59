/**
 * How the live stream's request messages change a bin's cached list (./api.ts `ListData`): pure functions from the
 * cached pages to new ones, touching only the page that changes. The list is newest first and stays sorted without
 * ever being sorted again: an arrival's place is found by binary search (it is nearly always the top).
 */
import type { InfiniteData } from '@tanstack/react-query';
import type { RequestSummaryView } from '../../api/model';

/** A row of the list: the summary, and when it arrived over the live stream (null: it was loaded with a page). */
export interface ListedRequest extends RequestSummaryView {
  arrivedAt: number | null;
}

/** One page as cached: its rows (newest first), whether older ones exist, and the id the next page starts before. */
export interface ListPage {
  requests: ListedRequest[];
  hasMore: boolean;
  /** The oldest id this page was fetched with (deletions do not move it); null for an empty page. */
  oldestId: number | null;
  /** How many requests match (a search's count; the bin's count for the plain list), when the server said. */
  total?: number | null;
  /** When the page was fetched (Date.now()), to tell the live arrivals since. */
  fetchedAt?: number;
}

/** A bin's cached list: pages newest first, each page's `before` cursor (undefined for the first). */
export type ListData = InfiniteData<ListPage, number | undefined>;

/** The index in `rows` (ids decreasing) where `id` belongs: the first row whose id is not greater. */
function placeOf(rows: readonly { id: number }[], id: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rows[middle].id > id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Puts a request that arrived live in its place in the first page; the same data when it is already there. */
export function insertArrival(data: ListData, request: ListedRequest): ListData {
  const [first, ...rest] = data.pages;
  if (first === undefined) return data;
  const at = placeOf(first.requests, request.id);
  if (first.requests[at]?.id === request.id) return data;
  const requests = [...first.requests.slice(0, at), request, ...first.requests.slice(at)];
  return { ...data, pages: [{ ...first, requests }, ...rest] };
}

/** Takes a deleted request out of whichever page holds it; the same data when none does. */
export function removeRequest(data: ListData, requestId: number): ListData {
  const index = data.pages.findIndex((page) => {
    const at = placeOf(page.requests, requestId);
    return page.requests[at]?.id === requestId;
  });
  if (index === -1) return data;
  const pages = data.pages.map((page, i) => (i === index ? { ...page, requests: page.requests.filter((request) => request.id !== requestId) } : page));
  return { ...data, pages };
}

/**
 * Empties the list of every request up to `throughId` (all when undefined): requests stored after the clear (by
 * another instance, announced first) stay. Pages not loaded yet hold older ids, so they are gone too once the clear
 * reaches the oldest loaded one.
 */
export function clearThrough(data: ListData, throughId: number | undefined): ListData {
  const last = data.pages.at(-1);
  const olderGone = throughId === undefined || last?.oldestId === null || (last !== undefined && last.oldestId <= throughId);
  const pages = data.pages.map((page) => ({
    ...page,
    requests: throughId === undefined ? [] : page.requests.filter((request) => request.id > throughId),
    hasMore: olderGone ? false : page.hasMore,
  }));
  return { ...data, pages };
}

/** The newest id in the list, or undefined when it is empty. */
export function newestId(data: ListData | undefined): number | undefined {
  for (const page of data?.pages ?? []) if (page.requests.length > 0) return page.requests[0].id;
  return undefined;
}
