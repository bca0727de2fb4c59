/**
 * The builder's server calls: the send-test call (POST /api/bins/{binId}/send-test, which stores the request into the
 * bin from the server itself, never over the network), and the bin's recent captures to compare it with.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRequest, listRequests } from '../../api/client';
import { ApiError } from '../../api/errors';

/** What a test request is made of: headers in order and case, as they will be stored. */
export interface TestRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body: string;
}

// TODO(issue 11): move into api/client.ts beside replayRequest (a shared file, edited by another change right now).
/** Stores `test` into the bin as if it had been captured; resolves with its id. Throws ApiError with the server's message. */
export async function sendTestRequest(binId: string, test: TestRequest): Promise<number> {
  let response: Response;
  try {
    response = await fetch(`/api/bins/${encodeURIComponent(binId)}/send-test`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(test),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'The hooklens server could not be reached.');
  }
  const parsed = (await response.json().catch(() => undefined)) as { id?: number; error?: string } | undefined;
  if (!response.ok || typeof parsed?.id !== 'number') {
    throw new ApiError(response.status, parsed?.error ?? `send-test answered ${response.status}`);
  }
  return parsed.id;
}

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
