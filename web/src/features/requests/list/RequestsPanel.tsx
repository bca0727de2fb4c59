import { useCallback, useEffect, useMemo } from 'react';
import { useNow } from '../../../lib/useNow';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { CompareBar } from '../../compare/CompareBar';
import type { useRequestList } from '../api';
import { RequestList } from './RequestList';
import { useUnreadTitle } from './useUnreadTitle';

const COUNT = new Intl.NumberFormat();

/**
 * A bin's requests: the total, the list (virtualised, loading older pages as it scrolls), or what to do while the
 * bin is empty. A request opened from a link is looked for page after page until it is loaded (`selectedExists`
 * says the server has it, so that an id from elsewhere is not looked for through the whole bin), then scrolled to
 * and highlighted. While `searching`, the rows are a search's matches and the total their count.
 */
export function RequestsPanel({
  list,
  title,
  total,
  selectedId,
  selectedExists,
  q,
  searching = false,
}: {
  list: ReturnType<typeof useRequestList>;
  /** The bin's name as the tab title shows it. */
  title: string;
  /**
   * The bin's request count (contract.md `Bin.requestCount`), kept current by the live stream; while searching, the
   * number of matches; null until known.
   */
  total: number | null;
  selectedId: number | null;
  selectedExists: boolean;
  q: string | null;
  /** Whether `list` is a search's matches. */
  searching?: boolean;
}) {
  const now = useNow();
  const { data, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage, isPending, error } = list;
  const rows = useMemo(() => data?.pages.flatMap((page) => page.requests) ?? [], [data]);
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
        {total === null ? (
          '\u00a0'
        ) : searching ? (
          <span data-testid="search-count">{`${COUNT.format(total)} ${total === 1 ? 'match' : 'matches'}`}</span>
        ) : (
          `${COUNT.format(total)} ${total === 1 ? 'request' : 'requests'}`
        )}
        {seeking && <span data-testid="request-seeking"> · finding request {selectedId}…</span>}
      </p>
      {/* A search's error shows under its box. */}
      {!searching && <ErrorMessage error={error} />}
      {rows[0] !== undefined && <CompareBar binId={rows[0].binId} rows={rows} />}
      {isPending ? (
        error ? null : <p className="muted">Loading…</p>
      ) : searching && error ? null : searching && rows.length === 0 && !hasNextPage ? (
        <p className="muted" data-testid="search-empty">
          No request matches the search.
        </p>
      ) : rows.length === 0 && !hasNextPage ? (
        <p className="muted waiting" data-testid="waiting">
          Waiting for requests. Send one to the capture URL above; it appears here as it arrives.
        </p>
      ) : (
        <RequestList
          rows={rows}
          hasMore={hasNextPage}
          loadingMore={isFetchingNextPage}
          loadMore={loadMore}
          autoLoad={!isFetchNextPageError}
          selectedId={selectedId}
          revealId={loaded ? selectedId : null}
          now={now}
          q={q}
        />
      )}
    </>
  );
}
