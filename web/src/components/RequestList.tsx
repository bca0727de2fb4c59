import { maskQuery } from '../../../shared/auth';
import type { RequestSummaryView } from '../api/model';
import { formatSize } from '../lib/bytes';
import { maskPath } from '../lib/secrets';
import { requestPath } from '../lib/router';
import { formatClock } from '../lib/time';
import { AnswerBadge } from './AnswerBadge';
import { DeliveryMarks } from './DeliveryMarks';
import { Link } from './Link';
import { MethodBadge } from './MethodBadge';
import { Visible } from './Visible';

/**
 * A bin's requests, newest first: method, path and query, what capture answered, time, size, what credential it
 * carried, and whether it was a provider's endpoint check or a retried delivery.
 */
export function RequestList({ requests, selectedId, now }: { requests: readonly RequestSummaryView[]; selectedId: number | null; now: Date }) {
  return (
    <ol className="request-list" data-testid="request-list">
      {requests.map((request) => (
        <li key={request.id} className={request.id === selectedId ? 'request-item selected' : 'request-item'} data-testid="request-item" data-request-id={request.id}>
          <Link to={requestPath(request.binId, request.id)} className="request-link" testId="request-link">
            <span className="request-top">
              <MethodBadge method={request.method} />
              <span className="request-path" data-testid="request-path">
                <Visible text={maskPath(request.path)} />
                {request.query !== '' && (
                  <span className="request-query">
                    ?<Visible text={maskQuery(request.query)} />
                  </span>
                )}
              </span>
            </span>
            <span className="request-meta">
              <AnswerBadge status={request.status} testId="request-status" />
              <time dateTime={request.receivedAt.toISOString()} title={request.receivedAt.toISOString()}>
                {formatClock(request.receivedAt, now)}
              </time>
              <span>{formatSize(request.size)}</span>
              {request.authLabel !== null && (
                <span className="auth-label" data-testid="request-auth-label">
                  <Visible text={request.authLabel} />
                </span>
              )}
              <DeliveryMarks request={request} />
              {request.redacted && <span className="badge severity-info">redacted</span>}
            </span>
          </Link>
        </li>
      ))}
    </ol>
  );
}
