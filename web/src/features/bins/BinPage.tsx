import { useCallback, useMemo, useRef, useState } from 'react';
import { harUrl } from '../../api/client';
import { isNotFound } from '../../api/errors';
import { binPath, navigate, requestPath } from '../../app/router';
import { useShortcuts } from '../../app/useShortcuts';
import { useNow } from '../../lib/useNow';
import { visibleString } from '../../lib/visible';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Link } from '../../ui/Link';
import { Visible } from '../../ui/Visible';
import { useDeleteRequest, useRequestDetail, useRequestList, useRequestSearch } from '../requests/api';
import { RequestDetail } from '../requests/detail/RequestDetail';
import { useRequestFeed } from '../requests/feed';
import { RequestsPanel } from '../requests/list/RequestsPanel';
import { SearchBox } from '../search/SearchBox';
import { useBin } from './api';
import { BinHeader } from './BinHeader';

/**
 * A bin's page: its header (URLs, settings), its requests arriving live (newest first, older pages as it scrolls),
 * and the detail of the selected request. Mount it with `key={binId}`: what it follows belongs to one bin.
 * With a search (`q`, in the URL), the list is the server's matches instead, with their count; arrivals are not put
 * into it (whether they match is the server's to say): a note says new captures arrived, with a refresh.
 * Keys: j/↓ and k/↑ open the next and previous loaded request, `/` goes to the search box (Esc leaves it). On a narrow
 * window (layout.css) the list and the detail take turns: an open request replaces the list, with a way back.
 */
export function BinPage({ binId, selectedRequestId, q }: { binId: string; selectedRequestId: number | null; q: string | null }) {
  const { bin, error: binError } = useBin(binId);
  const all = useRequestList(binId);
  const feed = useRequestFeed(binId, all.isSuccess);
  const search = useRequestSearch(binId, q);
  const list = q === null ? all : search;
  // The same query the detail column shows: whether the selected request exists, before the list looks for it.
  const selected = useRequestDetail(binId, selectedRequestId);
  const remove = useDeleteRequest(binId);
  const now = useNow();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const searchBox = useRef<HTMLInputElement>(null);

  const { data, hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const rows = useMemo(() => data?.pages.flatMap((page) => page.requests) ?? [], [data]);
  // Captures that arrived after the search's first answer: the live stream put them into the plain list only (its
  // first page, marked with when they arrived).
  const searchedAt = search.data?.pages[0]?.fetchedAt;
  const arrivedSinceSearch =
    q !== null && searchedAt !== undefined && (all.data?.pages[0]?.requests.some((row) => row.arrivedAt !== null && row.arrivedAt > searchedAt) ?? false);
  const onSearch = useCallback(
    (next: string | null) => navigate(selectedRequestId === null ? binPath(binId, next) : requestPath(binId, selectedRequestId, next)),
    [binId, selectedRequestId],
  );

  // Moves the selection `step` rows down (older) or up (newer) among the rows shown, and opens that request; from
  // nothing selected, the first row. Past the last loaded row, the next page is asked for.
  const move = useCallback(
    (step: 1 | -1) => {
      const at = selectedRequestId === null ? -1 : rows.findIndex((row) => row.id === selectedRequestId);
      const next = at === -1 ? rows[0] : rows[at + step];
      if (next !== undefined) navigate(requestPath(binId, next.id, q), { replace: true });
      else if (step === 1 && at !== -1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
    },
    [rows, selectedRequestId, binId, q, hasNextPage, isFetchingNextPage, fetchNextPage],
  );
  useShortcuts({
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
    '/': () => searchBox.current?.focus(),
  });

  if (bin === null || isNotFound(binError) || isNotFound(all.error)) {
    return (
      <section className="column" data-testid="bin-gone">
        <h2>{bin === null ? 'This bin was deleted' : 'No such bin'}</h2>
        <p>
          {bin === null ? (
            <>
              The bin <Visible text={binId} /> and its requests were deleted while you were looking at it.
            </>
          ) : (
            <>
              There is no bin with the id <Visible text={binId} /> on this server. It may have been deleted, or the link may be mistyped.
            </>
          )}
        </p>
        <p>
          <Link to="/">Back to the bins</Link>
        </p>
      </section>
    );
  }

  return (
    <>
      <section className={selectedRequestId === null ? 'column requests-column' : 'column requests-column narrow-hidden'} data-testid="requests-column">
        <BinHeader binId={binId} bin={bin} settingsOpen={settingsOpen} onSettingsOpen={setSettingsOpen} />
        <ErrorMessage error={binError} />
        <SearchBox ref={searchBox} q={q} onSearch={onSearch} error={q === null ? null : search.error}>
          <a className="button tiny" href={harUrl(binId)} download data-testid="har-link">
            Download HAR
          </a>
        </SearchBox>
        {arrivedSinceSearch && (
          <p className="search-new muted" data-testid="search-new">
            New captures arrived since this search.{' '}
            <button type="button" className="button tiny" onClick={() => void search.refetch()} data-testid="search-refresh">
              Refresh
            </button>
          </p>
        )}
        <RequestsPanel
          list={list}
          title={visibleString(bin?.name || binId)}
          total={q === null ? (bin?.requestCount ?? null) : (search.data?.pages[0]?.total ?? null)}
          searching={q !== null}
          selectedId={selectedRequestId}
          selectedExists={selected.isSuccess}
          q={q}
        />
      </section>
      <section className={selectedRequestId === null ? 'column detail-column narrow-hidden' : 'column detail-column'} data-testid="detail-column">
        {selectedRequestId !== null && (
          <p className="back-to-list">
            <Link to={binPath(binId, q)} testId="back-to-list">
              ← All requests
            </Link>
          </p>
        )}
        {selectedRequestId === null ? (
          <p className="muted">Select a request to see its headers, body and auth.</p>
        ) : (
          <RequestDetail
            key={selectedRequestId}
            binId={binId}
            requestId={selectedRequestId}
            gone={feed.isGone(selectedRequestId)}
            now={now}
            onDelete={() =>
              remove.mutate(selectedRequestId, {
                onSuccess: () => navigate(binPath(binId, q), { replace: true }),
              })
            }
            onOpenSettings={() => setSettingsOpen(true)}
            q={q}
            captureUrl={bin?.captureUrl ?? null}
          />
        )}
        <ErrorMessage error={remove.error} />
      </section>
    </>
  );
}
