/**
 * How components reach the app's one live client: app/providers.tsx makes it and provides it here.
 */
import { createContext, useContext } from 'react';
import type { LiveClient } from './live';

/** The app's live client; null outside the app's providers. */
export const LiveContext = createContext<LiveClient | null>(null);

/** The app's live client; throws outside the app's providers. */
export function useLive(): LiveClient {
  const live = useContext(LiveContext);
  if (live === null) throw new Error('useLive() outside the app providers');
  return live;
}
