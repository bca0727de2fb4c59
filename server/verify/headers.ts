import type { HeaderPair } from '../../shared/types';

/**
 * Each header list's names in lower case, worked out once: every verifier looks up its headers by name, and a
 * request is checked by all of them (at capture, for the stored verdict, and on every read).
 */
const lowerNames = new WeakMap<readonly HeaderPair[], string[]>();

function namesOf(headers: readonly HeaderPair[]): string[] {
  let names = lowerNames.get(headers);
  if (names === undefined || names.length !== headers.length) {
    names = headers.map(([n]) => n.toLowerCase());
    lowerNames.set(headers, names);
  }
  return names;
}

/** The first header with this name (case-insensitive), as received; undefined when absent. */
export function findHeader(headers: readonly HeaderPair[], name: string): HeaderPair | undefined {
  const wanted = name.toLowerCase();
  const index = namesOf(headers).indexOf(wanted);
  return index === -1 ? undefined : headers[index];
}

/** The value of the first header with this name (case-insensitive); undefined when absent. */
export function headerValue(headers: readonly HeaderPair[], name: string): string | undefined {
  return findHeader(headers, name)?.[1];
}

/** Whether any header name starts with this prefix (case-insensitive). */
export function hasHeaderPrefix(headers: readonly HeaderPair[], prefix: string): boolean {
  const wanted = prefix.toLowerCase();
  return namesOf(headers).some((n) => n.startsWith(wanted));
}
