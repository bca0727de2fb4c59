/**
 * A tiny history router for the viewer's routes (contract.md "Viewer routes"): `/`, `/bins/{binId}` (`?q=` a
 * search), `/bins/{binId}/requests/{id}` and `/builder`. It reads the path and the query string; the server answers
 * index.html for each path, so every one of them can be linked to and reloaded.
 */
import { useMemo, useSyncExternalStore } from 'react';
import { parseComparePath } from '../features/compare/route';
import type { CompareRoute } from '../features/compare/route';

/** Where the viewer is. `q` is the bin's search (`?q=`), null when there is none. */
export type Route =
  | { name: 'home' }
  | { name: 'bin'; binId: string; q: string | null }
  | { name: 'request'; binId: string; requestId: number; q: string | null }
  | { name: 'builder' }
  | CompareRoute
  | { name: 'not-found' };

const listeners = new Set<() => void>();

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Reads a path and query string (`location.pathname`, `location.search`) as a route; anything unknown is `not-found`. */
export function parseRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter((part) => part !== '');
  if (parts.length === 0) return { name: 'home' };
  if (parts.length === 1 && parts[0] === 'builder') return { name: 'builder' };
  if (parts[0] === 'compare') return parseComparePath(parts) ?? { name: 'not-found' };
  if (parts[0] !== 'bins') return { name: 'not-found' };
  const binId = parts[1] === undefined ? null : decodeSegment(parts[1]);
  if (binId === null) return { name: 'not-found' };
  const q = new URLSearchParams(search).get('q');
  if (parts.length === 2) return { name: 'bin', binId, q };
  if (parts.length === 4 && parts[2] === 'requests' && /^\d{1,15}$/.test(parts[3])) {
    return { name: 'request', binId, requestId: Number(parts[3]), q };
  }
  return { name: 'not-found' };
}

function withQuery(path: string, q: string | null | undefined): string {
  return q ? `${path}?${new URLSearchParams({ q }).toString()}` : path;
}

/** The path of a bin's page, with its search when `q` is given. */
export function binPath(binId: string, q?: string | null): string {
  return withQuery(`/bins/${encodeURIComponent(binId)}`, q);
}

/** The path of a request's detail, keeping the bin's search when `q` is given. */
export function requestPath(binId: string, requestId: number, q?: string | null): string {
  return withQuery(`/bins/${encodeURIComponent(binId)}/requests/${requestId}`, q);
}

/** The path of the header builder. */
export const builderPath = '/builder';

function currentLocation(): string {
  return `${location.pathname}${location.search}`;
}

/** Goes to `path` (a viewer path, with its query string, built by the functions above) without reloading. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === currentLocation()) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((listener) => listener());
}

function listen(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The current route; re-renders on navigate() and on back/forward, when the path or the query string changed. */
export function useRoute(): Route {
  const current = useSyncExternalStore(listen, currentLocation);
  return useMemo(() => {
    const queryAt = current.indexOf('?');
    return queryAt === -1 ? parseRoute(current) : parseRoute(current.slice(0, queryAt), current.slice(queryAt));
  }, [current]);
}
