/**
 * The builder's server calls: the send-test call (POST /api/bins/{binId}/send-test, which stores the request into the
 * bin from the server itself, never over the network), and the bin's recent captures to compare it with.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRequest, listRequests, sendTestRequest, type TestRequest } from '../../api/client';

const keys = {
  recent: (binId: string) => ['builder', 'recent', binId] as const,
  detail: (binId: string, id: number) => ['builder', 'detail', binId, id] as const,
};

/** The bin's 50 most recent captures, to pick the one to compare with. */
export function useRecentRequests(binId: string | null) {
  return useQuery({
    queryKey: keys.recent(binId ?? ''),
    queryFn: () => listRequests(binId!, { limit: 50 }),
    enabled: binId !== null,
  });
}

/** One capture with its analysis (its credentials' fingerprints), for the expected-token check. */
export function useCapture(binId: string | null, id: number | null) {
  return useQuery({
    queryKey: keys.detail(binId ?? '', id ?? 0),
    queryFn: () => getRequest(binId!, id!),
    enabled: binId !== null && id !== null,
  });
}

/** Sends a test request; the bin's recent captures are fetched again afterwards. */
export function useSendTest(binId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (test: TestRequest) => sendTestRequest(binId!, test),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.recent(binId ?? '') }),
  });
}
