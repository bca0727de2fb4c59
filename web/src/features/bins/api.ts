/**
 * Bins in the query cache: the list, one bin, and what changes them. The live stream's `bin` and `bin-deleted`
 * messages write into the same entries (./feed.ts), so a bin is fetched once and then kept current.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { createBin, deleteBin, getBin, listBins, rotateRelayKey, updateBin } from '../../api/client';
import type { BinPatch } from '../../api/client';
import type { BinView } from '../../api/model';

/** Query keys; everything under `all` is about bins (never their requests, which the live stream resumes). */
export const binKeys = {
  all: ['bins'] as const,
  list: ['bins', 'list'] as const,
  detail: (binId: string) => ['bins', 'detail', binId] as const,
};

/** One bin's entry: the bin, or null once the live stream said it was deleted. */
export type BinEntry = BinView | null;

/** The bins the cache holds (the list's), for whoever needs one without a fetch; [] before the list arrives. */
export function cachedBins(queryClient: QueryClient): BinView[] {
  return queryClient.getQueryData<BinView[]>(binKeys.list) ?? [];
}

/** Puts a bin as it now is in the list (replacing the one with its id, or first when new) and in its own entry. */
export function putBin(queryClient: QueryClient, bin: BinView): void {
  queryClient.setQueryData<BinView[]>(binKeys.list, (bins) =>
    bins === undefined ? undefined : bins.some((known) => known.id === bin.id) ? bins.map((known) => (known.id === bin.id ? bin : known)) : [bin, ...bins],
  );
  queryClient.setQueryData<BinEntry>(binKeys.detail(bin.id), bin);
}

/** Takes a deleted bin out of the list and marks its own entry deleted (null). */
export function dropBin(queryClient: QueryClient, binId: string): void {
  queryClient.setQueryData<BinView[]>(binKeys.list, (bins) => bins?.filter((bin) => bin.id !== binId));
  queryClient.setQueryData<BinEntry>(binKeys.detail(binId), null);
}

/** Every bin, newest first. */
export function useBins() {
  return useQuery({ queryKey: binKeys.list, queryFn: listBins });
}

/** What useBin answers. */
export interface BinState {
  /** The bin; null once it was deleted while shown; undefined while loading, or when it could not be loaded. */
  bin: BinEntry | undefined;
  /** Why it could not be loaded: an ApiError 404 for a bin that does not exist. */
  error: Error | null;
}

/**
 * One bin, kept current by the live stream: taken from the bins list when the list has it (the bin is not fetched
 * a second time), else, once the list has answered without it, fetched with GET /api/bins/{id}.
 */
export function useBin(binId: string): BinState {
  const list = useBins();
  const listed = list.data?.find((bin) => bin.id === binId);
  const own = useQuery<BinEntry>({
    queryKey: binKeys.detail(binId),
    queryFn: () => getBin(binId),
    enabled: (list.isSuccess || list.isError) && listed === undefined,
  });
  // A live message writes the bin's own entry too (putBin): when there is one, it is the newest.
  return { bin: own.data !== undefined ? own.data : listed, error: listed === undefined ? own.error : null };
}

/** Creates a bin (ApiError 409 when the id is taken, 400 when invalid) and lists it. */
export function useCreateBin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (options: { id?: string; name?: string }) => createBin(options),
    onSuccess: (bin) => {
      // The live stream may have announced it already, and counted a capture since: keep that one.
      if (!cachedBins(queryClient).some((known) => known.id === bin.id)) putBin(queryClient, bin);
    },
  });
}

/** Deletes a bin and its requests. */
export function useDeleteBin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (binId: string) => deleteBin(binId),
    onSuccess: (_answer, binId) => dropBin(queryClient, binId),
  });
}

/** Changes a bin's name, signing secrets or response; the answer replaces the cached bin. */
export function useUpdateBin(binId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: BinPatch) => updateBin(binId, patch),
    onSuccess: (bin) => putBin(queryClient, bin),
  });
}

/** Gives a bin a new relay URL (the old one stops working at once). */
export function useRotateRelayKey(binId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => rotateRelayKey(binId),
    onSuccess: (bin) => putBin(queryClient, bin),
  });
}
