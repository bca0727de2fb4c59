import { useCallback, useEffect, useMemo } from 'react';
import { useNow } from '../../../lib/useNow';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { CompareBar } from '../../compare/CompareBar';
import type { useRequestList } from '../api';
import type { ListedRequest } from '../cache';
import { RequestList } from './RequestList';
import { useUnreadTitle } from './useUnreadTitle';

const COUNT = new Intl.NumberFormat();

/**
 * A bin's requests: the total, the list (virtualised, loading older pages as it scrolls), or what to do while the
 * bin is empty. A request opened from a link is looked for page after page until it is loaded (`selectedExists`
 * says the server has it, so that an id from elsewhere is not looked for through the whole bin), then scrolled to
 * and highlighted.
 */
export function RequestsPanel({
  list,
  title,
  total,
  selectedId,
  selectedExists,
  q,
  filter,
}: {
  list: ReturnType<typeof useRequestList>;
  /** The bin's name as the tab title shows it. */
  title: string;
  /** The bin's request count (contract.md `Bin.requestCount`), kept current by the live stream; null until known. */
  total: number | null;
  selectedId: number | null;
  selectedExists: boolean;
  q: string | null;
  /** Shows only the loaded rows it accepts (a filter typed on the page; older pages then load on request only). */
  filter?: (request: ListedRequest) => boolean;
}) {
  const now = useNow();
  const { data, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage, isPending, error } = list;
  const rows = useMemo(() => data?.pages.flatMap((page) => page.requests) ?? [], [data]);
  const shown = useMemo(() => (filter === undefined ? rows : rows.filter(filter)), [rows, filter]);
  useUnreadTitle(title, rows);

  const loadMore = useCallback(() => {
    void fetchNextPage({ cancelRefetch: false });
  }, [fetchNextPage]);

  const oldest = rows.at(-1)?.id;
  const loaded = selectedId !== null && rows.some((row) => row.id === selectedId);
  const seeking = selectedId !== null && selectedExists && !loaded && hasNextPage && (oldest === undefined || oldest > selectedId);
  useEffect(() => {
    if (seeking && !isFetchingNextPage && !isFetchNextPageError) loadMore();
  }, [seeking, isFetchingNextPage, isFetchNextPageError, loadMore]);

  return (
    <>
      <p className="request-total muted" data-testid="request-total">
        {total === null ? '\u00a0' : `${COUNT.format(total)} ${total === 1 ? 'request' : 'requests'}`}
        {seeking && <span data-testid="request-seeking"> · finding request {selectedId}…</span>}
      </p>
      <ErrorMessage error={error} />
      {rows[0] !== undefined && <CompareBar binId={rows[0].binId} rows={rows} />}
      {filter !== undefined && !isPending && shown.length === 0 && (
        <p className="muted" data-testid="filter-empty">
          No loaded request matches the filter.
        </p>
      )}
      {isPending ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 && !hasNextPage ? (
        <p className="muted waiting" data-testid="waiting">
          Waiting for requests. Send one to the capture URL above; it appears here as it arrives.
        </p>
      ) : (
        <RequestList
          rows={shown}
          hasMore={hasNextPage}
          loadingMore={isFetchingNextPage}
          loadMore={loadMore}
          autoLoad={!isFetchNextPageError && filter === undefined}
          selectedId={selectedId}
          revealId={loaded ? selectedId : null}
          now={now}
          q={q}
        />
      )}
    </>
  );
}
