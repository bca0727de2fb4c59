import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { ListedRequest } from '../cache';
import { RequestRow, ROW_HEIGHT } from './RequestRow';

/** Rows rendered beyond each edge of the visible ones, so that a fast scroll does not show blanks. */
const OVERSCAN = 12;
/** How close to the last loaded row a scroll has to come for the next page to load. */
const LOAD_AHEAD_ROWS = 150;

/**
 * A bin's requests, newest first, virtualised: only the rows in view (and a few around them) are in the page,
 * however many are loaded. Scrolling near the end loads the next older page by itself (the last row also offers it
 * as a button); `revealId` is scrolled into view once it is loaded (centred the first time). While someone reads
 * further down, arrivals at the top do not move the rows they are reading.
 */
export function RequestList({
  rows,
  hasMore,
  loadingMore,
  loadMore,
  autoLoad,
  selectedId,
  revealId,
  now,
  q,
}: {
  rows: readonly ListedRequest[];
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  /** False after a page failed to load: the button is then the way to try again. */
  autoLoad: boolean;
  selectedId: number | null;
  /** A request to scroll into view as soon as it is among `rows`; once per id. */
  revealId: number | null;
  now: Date;
  q: string | null;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const count = rows.length + (hasMore ? 1 : 0);
  // Stable between renders of the same rows: the virtualizer places every row again when it changes.
  const itemKey = useCallback((index: number) => rows[index]?.id ?? 'more', [rows]);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the list re-renders as it scrolls
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: itemKey,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (autoLoad && hasMore && !loadingMore && lastIndex >= rows.length - LOAD_AHEAD_ROWS) loadMore();
  }, [autoLoad, hasMore, loadingMore, lastIndex, rows.length, loadMore]);

  // Arrivals above someone reading further down: keep their rows where they are.
  const firstId = useRef<number | null>(null);
  useLayoutEffect(() => {
    const previous = firstId.current;
    firstId.current = rows[0]?.id ?? null;
    const element = scroller.current;
    if (previous === null || element === null || element.scrollTop === 0 || rows[0]?.id === previous) return;
    let added = 0;
    while (added < rows.length && rows[added].id > previous) added += 1;
    if (added < rows.length) element.scrollTop += added * ROW_HEIGHT;
  }, [rows]);

  const revealed = useRef<number | null>(null);
  const revealIndex = revealId === null ? -1 : rows.findIndex((row) => row.id === revealId);
  useEffect(() => {
    if (revealId === null || revealIndex === -1 || revealed.current === revealId) return;
    // The first one (a link that opened the page) is centred; later ones (a click, a key) only brought into view.
    const align = revealed.current === null ? 'center' : 'auto';
    revealed.current = revealId;
    virtualizer.scrollToIndex(revealIndex, { align });
  }, [revealId, revealIndex, virtualizer]);

  return (
    <div className="request-scroller" ref={scroller} data-testid="request-scroller">
      <ol
        className="request-list"
        data-testid="request-list"
        data-loaded={rows.length}
        data-has-more={hasMore ? 'true' : 'false'}
        data-loading={loadingMore ? 'true' : 'false'}
        style={{ height: `${virtualizer.getTotalSize()}px` }}
      >
        {items.map((item) => {
          const request = rows[item.index];
          if (request === undefined) {
            return (
              <li key="more" className="request-more" style={{ transform: `translateY(${item.start}px)` }}>
                <button type="button" className="button small" disabled={loadingMore} onClick={loadMore} data-testid="load-older">
                  {loadingMore ? 'Loading older requests…' : 'Older requests'}
                </button>
              </li>
            );
          }
          return (
            <RequestRow
              key={request.id}
              request={request}
              top={item.start}
              position={item.index + 1}
              setSize={hasMore ? -1 : rows.length}
              selected={request.id === selectedId}
              now={now}
              q={q}
            />
          );
        })}
      </ol>
    </div>
  );
}
