import { harUrl } from '../../api/client';
import type { RequestSummaryView } from '../../api/model';
import { Link } from '../../ui/Link';
import { Visible } from '../../ui/Visible';
import { comparePath } from './route';
import { clearPicked, usePicked } from './selection';
import type { PickedRequest } from './selection';
import './compare.css';

/** The loaded request just before `picked` (a smaller id) from the same sender address, or null. */
function previousFromSender(picked: PickedRequest, rows: readonly RequestSummaryView[]): RequestSummaryView | null {
  const self = rows.find((row) => row.id === picked.id);
  if (self === undefined) return null;
  let best: RequestSummaryView | null = null;
  for (const row of rows) {
    if (row.id < self.id && row.remoteAddress === self.remoteAddress && (best === null || row.id > best.id)) best = row;
  }
  return best;
}

function name(request: PickedRequest, binId: string) {
  return request.binId === binId ? (
    <>request {request.id}</>
  ) : (
    <>
      request {request.id} of <Visible text={request.binId} />
    </>
  );
}

/**
 * Above a bin's list while requests are picked for comparing: with two, a link to compare them (the first picked is
 * A); with one, a link to compare it with the previous request from the same sender among the loaded rows.
 */
export function CompareBar({ binId, rows }: { binId: string; rows: readonly RequestSummaryView[] }) {
  const picked = usePicked();
  if (picked.length === 0) return null;
  const [first, second] = picked;
  const previous = second === undefined && first.binId === binId ? previousFromSender(first, rows) : null;
  const pickedHere = picked.filter((item) => item.binId === binId).map((item) => item.id);
  return (
    <p className="compare-bar" data-testid="compare-bar">
      {second !== undefined ? (
        <Link to={comparePath(first.binId, first.id, second.binId, second.id)} className="button tiny primary" testId="compare-open">
          Compare
        </Link>
      ) : null}
      <span className="compare-bar-text">
        {second === undefined ? (
          <>Picked {name(first, binId)}: pick one more to compare.</>
        ) : (
          <>
            {name(first, binId)} with {name(second, binId)}
          </>
        )}
      </span>
      {second === undefined && previous !== null && (
        <Link to={comparePath(previous.binId, previous.id, first.binId, first.id)} className="button tiny" testId="compare-previous">
          Compare with previous from this sender
        </Link>
      )}
      {pickedHere.length > 0 && (
        <a href={harUrl(binId, pickedHere)} className="button tiny" download data-testid="har-picked">
          Download HAR
        </a>
      )}
      <button type="button" className="button tiny" onClick={clearPicked} data-testid="compare-clear">
        Clear
      </button>
    </p>
  );
}
