import { useEffect, useState } from 'react';
import type { ListedRequest } from '../cache';

function hiddenNow(): number | null {
  return document.visibilityState === 'hidden' ? Date.now() : null;
}

/**
 * Titles the tab after the bin (`name`, captured text: give it as lib/visible's visibleString shows it), and while
 * the tab is hidden counts the requests that arrived since it was hidden: "(3) Orders · hooklens". Showing the tab
 * again clears the count; leaving the bin restores "hooklens".
 */
export function useUnreadTitle(name: string, rows: readonly ListedRequest[]): number {
  const [hiddenSince, setHiddenSince] = useState(hiddenNow);
  useEffect(() => {
    const onChange = () => setHiddenSince(hiddenNow());
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  let unread = 0;
  if (hiddenSince !== null) {
    // Arrivals are the newest rows, so they sit on top: count down to the first row a page brought.
    for (const row of rows) {
      if (row.arrivedAt === null) break;
      if (row.arrivedAt >= hiddenSince) unread += 1;
    }
  }

  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${name} · hooklens` : `${name} · hooklens`;
  }, [unread, name]);
  useEffect(
    () => () => {
      document.title = 'hooklens';
    },
    [],
  );
  return unread;
}
