/**
 * The requests picked in the list for comparing: at most two, in the order they were picked (the first is A), from
 * any bins. Kept outside React so that a row's toggle and the list's Compare bar share it without the list passing
 * it down (rows are memoised); forgotten on reload, as a selection is.
 */
import { useSyncExternalStore } from 'react';

/** A picked request. */
export interface PickedRequest {
  binId: string;
  id: number;
}

let picked: readonly PickedRequest[] = [];
const listeners = new Set<() => void>();

function set(next: readonly PickedRequest[]): void {
  picked = next;
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Picks a request, or unpicks it when it is picked; a third pick drops the first. */
export function togglePicked(request: PickedRequest): void {
  const without = picked.filter((item) => item.binId !== request.binId || item.id !== request.id);
  set(without.length < picked.length ? without : [...picked, request].slice(-2));
}

/** Unpicks everything. */
export function clearPicked(): void {
  set([]);
}

/** The picked requests, re-rendering when they change. */
export function usePicked(): readonly PickedRequest[] {
  return useSyncExternalStore(subscribe, () => picked);
}

/** Whether this request is picked, re-rendering only when that changes. */
export function useIsPicked(binId: string, id: number): boolean {
  return useSyncExternalStore(subscribe, () => picked.some((item) => item.binId === binId && item.id === id));
}
