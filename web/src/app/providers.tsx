/**
 * What every view below the app shares: one query cache for REST answers, and one live client whose messages keep
 * that cache current (the feeds in features/bins/feed.ts and features/requests/feed.ts; components reach the live
 * client with api/useLive). Both are made once per app, not per module.
 */
import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { isFinal, isUnauthorized } from '../api/errors';
import { LiveClient } from '../api/live';
import { captureBaseOf } from '../api/model';
import { LiveContext } from '../api/useLive';
import { cachedBins } from '../features/bins/api';

/**
 * The query client's defaults. The live stream keeps what is cached current, so nothing is refetched because a
 * window got focus or time passed; a 4xx is an answer, not a failure to retry (a 404 says so at once).
 */
function createQueryClient(onUnauthorized: () => void): QueryClient {
  const onError = (error: unknown) => {
    if (isUnauthorized(error)) onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        retry: (failures, error) => !isFinal(error) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}

/**
 * Provides the query client and the live client. `onUnauthorized` (read once: give a stable function) is called
 * whenever an API call through the cache answers 401 (the session ended, or a token is needed), wherever in the app
 * it came from.
 */
export function AppProviders({ onUnauthorized, children }: { onUnauthorized: () => void; children: ReactNode }) {
  const [queryClient] = useState(() => createQueryClient(onUnauthorized));
  const [live] = useState(
    () =>
      new LiveClient({
        // A live message names its capture URL by path: complete it with what a REST answer said, else this origin.
        captureBase: () => cachedBins(queryClient).map(captureBaseOf).find((base) => base !== null) ?? location.origin,
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <LiveContext.Provider value={live}>{children}</LiveContext.Provider>
    </QueryClientProvider>
  );
}
