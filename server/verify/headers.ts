import type { HeaderPair } from '../../shared/types';

/** The first header with this name (case-insensitive), as received; undefined when absent. */
export function findHeader(headers: readonly HeaderPair[], name: string): HeaderPair | undefined {
  const wanted = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === wanted);
}

/** The value of the first header with this name (case-insensitive); undefined when absent. */
export function headerValue(headers: readonly HeaderPair[], name: string): string | undefined {
  return findHeader(headers, name)?.[1];
}

/** Whether any header name starts with this prefix (case-insensitive). */
export function hasHeaderPrefix(headers: readonly HeaderPair[], prefix: string): boolean {
  const wanted = prefix.toLowerCase();
  return headers.some(([n]) => n.toLowerCase().startsWith(wanted));
}
