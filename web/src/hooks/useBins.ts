import { useCallback, useEffect, useState } from 'react';
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
   * Keeps a bin's request count current from the live stream, which announces captures to the bin's subscribers
   * only: +1 or -1, or null when the bin was emptied; `at` is the new request's time.
   */
  adjustCount(binId: string, change: number | null, at?: Date): void;
}

function upsert(bins: BinView[] | null, bin: BinView): BinView[] {
  const list = bins ?? [];
  if (list.some((known) => known.id === bin.id)) return list.map((known) => (known.id === bin.id ? bin : known));
  return [bin, ...list];
}

/** Loads every bin and keeps the list current from the live stream's `bin` and `bin-deleted` messages. */
export function useBins(): BinsState {
  const [bins, setBins] = useState<BinView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    listBins().then(
      (loaded) => {
        if (!cancelled) setBins((current) => loaded.reduce<BinView[]>((list, bin) => (list.some((b) => b.id === bin.id) ? list : [...list, bin]), current ?? []));
      },
      (failure: unknown) => {
        if (!cancelled) setError(failure instanceof ApiError ? failure.message : String(failure));
      },
    );
    const stop = onBinListChanges({
      bin: (bin) => setBins((current) => upsert(current, bin)),
      binDeleted: (binId) => setBins((current) => (current ?? []).filter((bin) => bin.id !== binId)),
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, []);

  const create = useCallback(async (options: { id?: string; name?: string }) => {
    const bin = await createBin(options);
    setBins((current) => upsert(current, bin));
    return bin;
  }, []);

  const remove = useCallback(async (binId: string) => {
    await deleteBin(binId);
    setBins((current) => (current ?? []).filter((bin) => bin.id !== binId));
  }, []);

  const replace = useCallback((bin: BinView) => setBins((current) => upsert(current, bin)), []);

  const adjustCount = useCallback((binId: string, change: number | null, at?: Date) => {
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

  return { bins, error, create, remove, replace, adjustCount };
}
