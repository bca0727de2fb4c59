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
}

/** Puts `bin` in the list, replacing the one with its id, or first when it is new. */
function upsert(bins: BinView[] | null, bin: BinView): BinView[] {
  const list = bins ?? [];
  if (list.some((known) => known.id === bin.id)) return list.map((known) => (known.id === bin.id ? bin : known));
  return [bin, ...list];
}

/**
 * Loads every bin and keeps the list current from the live stream: the server follows every change to a bin (a
 * capture, a deletion, clearing, eviction, a rename…) with a `bin` message carrying its count, and the list takes it
 * as it is.
 */
export function useBins(): BinsState {
  const [bins, setBins] = useState<BinView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const put = useCallback((bin: BinView) => setBins((current) => upsert(current, bin)), []);

  useEffect(() => {
    let cancelled = false;
    listBins().then(
      (loaded) => {
        if (cancelled) return;
        // A bin the live stream announced before the list arrived is newer than the list's: keep it.
        setBins((current) => {
          const announced = new Map((current ?? []).map((bin) => [bin.id, bin]));
          const listed = new Set(loaded.map((bin) => bin.id));
          return [...(current ?? []).filter((bin) => !listed.has(bin.id)), ...loaded.map((bin) => announced.get(bin.id) ?? bin)];
        });
      },
      (failure: unknown) => {
        if (!cancelled) setError(failure instanceof ApiError ? failure.message : String(failure));
      },
    );
    const stop = onBinListChanges({
      bin: put,
      binDeleted: (binId) => setBins((current) => (current ?? []).filter((bin) => bin.id !== binId)),
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [put]);

  const create = useCallback(
    async (options: { id?: string; name?: string }) => {
      const bin = await createBin(options);
      // The live stream may have announced it already, and counted a capture since: keep that one.
      setBins((current) => (current?.some((known) => known.id === bin.id) ? current : upsert(current, bin)));
      return bin;
    },
    [],
  );

  const remove = useCallback(async (binId: string) => {
    await deleteBin(binId);
    setBins((current) => (current ?? []).filter((bin) => bin.id !== binId));
  }, []);

  return { bins, error, create, remove, replace: put };
}
