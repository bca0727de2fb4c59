import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, createBin, deleteBin, listBins } from '../api/client';
import type { BinView } from '../api/model';
import { onBinListChanges } from '../api/live';

/** The bins list and what can be done to it. */
export interface BinsState {
  bins: BinView[] | null;
  error: string | null;
  /** Creates a bin; resolves with it, or rejects with ApiError (409 taken, 400 invalid). */
  create(options: { id?: string; name?: string }): Promise<BinView>;
  remove(binId: string): Promise<void>;
  /** Puts a changed bin in the list (e.g. after its settings were saved). */
  replace(bin: BinView): void;
  /**
   * Keeps a bin's request count current from the bin's own subscription: +1 or -1, or null when the bin was emptied;
   * `at` is the new request's time. A +1 for a request no later than the last absolute count (a `bin` message, or
   * the list as loaded) is ignored: that count already includes it.
   */
  adjustCount(binId: string, change: number | null, at?: Date): void;
}

/**
 * Puts `bin` in the list, replacing the one with its id. A known bin keeps its capture URL: the server builds a
 * broadcast's URL from the host of whichever request caused it, which need not be the host this viewer uses.
 */
function upsert(bins: BinView[] | null, bin: BinView): BinView[] {
  const list = bins ?? [];
  if (list.some((known) => known.id === bin.id)) return list.map((known) => (known.id === bin.id ? { ...bin, captureUrl: known.captureUrl } : known));
  return [bin, ...list];
}

/** The time through which a bin's count is absolute (every request received until then is counted). */
function countedThrough(bin: BinView): number {
  return bin.lastRequestAt === null ? Number.NEGATIVE_INFINITY : bin.lastRequestAt.getTime();
}

/** Loads every bin and keeps the list current from the live stream's `bin` and `bin-deleted` messages. */
export function useBins(): BinsState {
  const [bins, setBins] = useState<BinView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Per bin, the time through which its count came from the server (a `bin` message or the list as loaded), so that
  // a live +1 for a request that count already includes is not added again, whichever of the two arrived first.
  const absolute = useRef(new Map<string, number>());

  const putAbsolute = useCallback((bin: BinView) => {
    absolute.current.set(bin.id, countedThrough(bin));
    setBins((current) => upsert(current, bin));
  }, []);

  useEffect(() => {
    let cancelled = false;
    listBins().then(
      (loaded) => {
        if (cancelled) return;
        // A bin the live stream already announced is newer than the list: keep it.
        for (const bin of loaded) if (!absolute.current.has(bin.id)) absolute.current.set(bin.id, countedThrough(bin));
        setBins((current) => loaded.reduce<BinView[]>((list, bin) => (list.some((b) => b.id === bin.id) ? list : [...list, bin]), current ?? []));
      },
      (failure: unknown) => {
        if (!cancelled) setError(failure instanceof ApiError ? failure.message : String(failure));
      },
    );
    const stop = onBinListChanges({
      bin: putAbsolute,
      binDeleted: (binId) => setBins((current) => (current ?? []).filter((bin) => bin.id !== binId)),
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [putAbsolute]);

  const create = useCallback(
    async (options: { id?: string; name?: string }) => {
      const bin = await createBin(options);
      putAbsolute(bin);
      return bin;
    },
    [putAbsolute],
  );

  const remove = useCallback(async (binId: string) => {
    await deleteBin(binId);
    setBins((current) => (current ?? []).filter((bin) => bin.id !== binId));
  }, []);

  const adjustCount = useCallback((binId: string, change: number | null, at?: Date) => {
    if (change !== null && change > 0 && at !== undefined && at.getTime() <= (absolute.current.get(binId) ?? Number.NEGATIVE_INFINITY)) return;
    setBins((current) =>
      (current ?? []).map((bin) =>
        bin.id !== binId
          ? bin
          : {
              ...bin,
              requestCount: change === null ? 0 : Math.max(0, bin.requestCount + change),
              lastRequestAt: at ?? (change === null ? null : bin.lastRequestAt),
            },
      ),
    );
  }, []);

  return { bins, error, create, remove, replace: putAbsolute, adjustCount };
}
