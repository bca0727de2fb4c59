import { useCallback, useMemo, useRef, useState } from 'react';
import { isNotFound } from '../../api/errors';
import { binPath, navigate, requestPath } from '../../app/router';
import { useShortcuts } from '../../app/useShortcuts';
import { useNow } from '../../lib/useNow';
import { visibleString } from '../../lib/visible';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Link } from '../../ui/Link';
import { Visible } from '../../ui/Visible';
import { useDeleteRequest, useRequestDetail, useRequestList } from '../requests/api';
import { RequestDetail } from '../requests/detail/RequestDetail';
import type { ListedRequest } from '../requests/cache';
import { useRequestFeed } from '../requests/feed';
import { RequestsPanel } from '../requests/list/RequestsPanel';
import { useBin } from './api';
import { BinHeader } from './BinHeader';

/** Whether a loaded row shows `words` (all of them, any case) in its method, path, query, auth label or status. */
function matches(request: ListedRequest, words: string[]): boolean {
  const text = `${request.method} ${request.path}?${request.query} ${request.authLabel ?? ''} ${request.status}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

/**
 * A bin's page: its header (URLs, settings), its requests arriving live (newest first, older pages as it scrolls),
 * and the detail of the selected request. Mount it with `key={binId}`: what it follows belongs to one bin.
 * Keys: j/↓ and k/↑ open the next and previous loaded request, `/` goes to the filter box (Esc leaves it). On a narrow
 * window (layout.css) the list and the detail take turns: an open request replaces the list, with a way back.
 */
export function BinPage({ binId, selectedRequestId, q }: { binId: string; selectedRequestId: number | null; q: string | null }) {
  const { bin, error: binError } = useBin(binId);
  const list = useRequestList(binId);
  const feed = useRequestFeed(binId, list.isSuccess);
  // The same query the detail column shows: whether the selected request exists, before the list looks for it.
  const selected = useRequestDetail(binId, selectedRequestId);
  const remove = useDeleteRequest(binId);
  const now = useNow();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [filterText, setFilterText] = useState('');
  const filterBox = useRef<HTMLInputElement>(null);

  const words = useMemo(() => filterText.toLowerCase().split(/\s+/).filter((word) => word !== ''), [filterText]);
  const filter = useMemo(() => (words.length === 0 ? undefined : (request: ListedRequest) => matches(request, words)), [words]);
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const rows = useMemo(() => {
    const loaded = data?.pages.flatMap((page) => page.requests) ?? [];
    return filter === undefined ? loaded : loaded.filter(filter);
  }, [data, filter]);

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
    '/': () => filterBox.current?.focus(),
  });

  if (bin === null || isNotFound(binError) || isNotFound(list.error)) {
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
        <input
          ref={filterBox}
          type="search"
          className="request-filter"
          placeholder="Filter loaded requests  ( / )"
          aria-label="Filter the loaded requests"
          value={filterText}
          onChange={(event) => setFilterText(event.target.value)}
          onKeyDown={(event) => {
            // Esc leaves the box with its filter kept (a search box's own Esc would empty it).
            if (event.key !== 'Escape') return;
            event.preventDefault();
            event.currentTarget.blur();
          }}
          data-testid="request-filter"
        />
        <RequestsPanel
          list={list}
          title={visibleString(bin?.name || binId)}
          total={bin?.requestCount ?? null}
          selectedId={selectedRequestId}
          selectedExists={selected.isSuccess}
          q={q}
          filter={filter}
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
          />
        )}
        <ErrorMessage error={remove.error} />
      </section>
    </>
  );
}
