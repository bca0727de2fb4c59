import { useSyncExternalStore } from 'react';
import type { LiveStatus } from '../api/live';
import { useLive } from '../api/useLive';

/** The live connection's status, re-rendering when it changes. */
export function useLiveStatus(): LiveStatus {
  const live = useLive();
  return useSyncExternalStore(live.onStatus, live.getStatus);
}
