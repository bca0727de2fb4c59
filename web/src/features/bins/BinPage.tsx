import { useState } from 'react';
import { isNotFound } from '../../api/errors';
import { binPath, navigate } from '../../app/router';
import { useNow } from '../../lib/useNow';
import { visibleString } from '../../lib/visible';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Link } from '../../ui/Link';
import { Visible } from '../../ui/Visible';
import { useDeleteRequest, useRequestDetail, useRequestList } from '../requests/api';
import { RequestDetail } from '../requests/detail/RequestDetail';
import { useRequestFeed } from '../requests/feed';
import { RequestsPanel } from '../requests/list/RequestsPanel';
import { useBin } from './api';
import { BinHeader } from './BinHeader';

/**
 * A bin's page: its header (URLs, settings), its requests arriving live (newest first, older pages as it scrolls),
 * and the detail of the selected request. Mount it with `key={binId}`: what it follows belongs to one bin.
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
      <section className="column requests-column" data-testid="requests-column">
        <BinHeader binId={binId} bin={bin} settingsOpen={settingsOpen} onSettingsOpen={setSettingsOpen} />
        <ErrorMessage error={binError} />
        <RequestsPanel
          list={list}
          title={visibleString(bin?.name || binId)}
          total={bin?.requestCount ?? null}
          selectedId={selectedRequestId}
          selectedExists={selected.isSuccess}
          q={q}
        />
      </section>
      <section className="column detail-column" data-testid="detail-column">
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
