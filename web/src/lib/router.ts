/**
 * A tiny history router for the viewer's routes: `/`, `/bins/{binId}`, `/bins/{binId}/requests/{id}` and
 * `/builder`. The server answers index.html for each, so every one of them can be linked to and reloaded.
 */
import { useSyncExternalStore } from 'react';

/** Where the viewer is. */
export type Route =
  | { name: 'home' }
  | { name: 'bin'; binId: string }
  | { name: 'request'; binId: string; requestId: number }
  | { name: 'builder' }
  | { name: 'not-found' };

const listeners = new Set<() => void>();

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Reads a pathname as a route; anything unknown is `not-found`. */
export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((part) => part !== '');
  if (parts.length === 0) return { name: 'home' };
  if (parts.length === 1 && parts[0] === 'builder') return { name: 'builder' };
  if (parts[0] !== 'bins') return { name: 'not-found' };
  const binId = parts[1] === undefined ? null : decodeSegment(parts[1]);
  if (binId === null) return { name: 'not-found' };
  if (parts.length === 2) return { name: 'bin', binId };
  if (parts.length === 4 && parts[2] === 'requests' && /^\d+$/.test(parts[3])) {
    return { name: 'request', binId, requestId: Number(parts[3]) };
  }
  return { name: 'not-found' };
}

/** The path of a bin's page. */
export function binPath(binId: string): string {
  return `/bins/${encodeURIComponent(binId)}`;
}

/** The path of a request's detail. */
export function requestPath(binId: string, requestId: number): string {
  return `${binPath(binId)}/requests/${requestId}`;
}

/** The path of the header builder. */
export const builderPath = '/builder';

/** Goes to `path` (a viewer path built by the functions above) without reloading. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname) return;
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

function currentPath(): string {
  return location.pathname;
}

/** The current route; re-renders on navigate() and on back/forward. */
export function useRoute(): Route {
  const pathname = useSyncExternalStore(listen, currentPath);
  return parseRoute(pathname);
}
