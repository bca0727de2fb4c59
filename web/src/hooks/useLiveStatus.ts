import { useSyncExternalStore } from 'react';
import { getLiveStatus, onLiveStatus } from '../api/live';
import type { LiveStatus } from '../api/live';

/** The live connection's status, re-rendering when it changes. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(onLiveStatus, getLiveStatus);
}
