import { memo } from 'react';
import { maskQuery } from '../../../../../shared/auth';
import { requestPath } from '../../../app/router';
import { formatSize } from '../../../lib/bytes';
import { statusName } from '../../../lib/labels';
import { maskPath } from '../../../lib/secrets';
import { formatListTime } from '../../../lib/time';
import { visibleString } from '../../../lib/visible';
import { AnswerBadge } from '../../../ui/AnswerBadge';
import { Link } from '../../../ui/Link';
import { MethodBadge } from '../../../ui/MethodBadge';
import { Visible } from '../../../ui/Visible';
import { CompareToggle } from '../../compare/CompareToggle';
import type { ListedRequest } from '../cache';
import { DeliveryMarks } from './DeliveryMarks';

/** A row's height in px: fixed, so that the list can place any row without measuring it (and the CSS says the same). */
export const ROW_HEIGHT = 32;

/**
 * One request of the list, on two dense lines: method, path and query (credential values masked) and what capture
 * answered; then the date and time, size, the credential it carried, its signature check, and whether it was a
 * provider's endpoint check or a retried delivery. Placed at `top` px by the list (rows are absolutely positioned).
 */
export const RequestRow = memo(function RequestRow({
  request,
  top,
  position,
  setSize,
  selected,
  now,
  q,
}: {
  request: ListedRequest;
  top: number;
  /** Its place in the list, from 1, and how many there are (-1 while older pages are not loaded), for assistive technology: most rows are not in the page. */
  position: number;
  setSize: number;
  selected: boolean;
  now: Date;
  q: string | null;
}) {
  const path = maskPath(request.path);
  const query = request.query === '' ? '' : maskQuery(request.query);
  const classes = ['request-item', selected ? 'selected' : '', request.arrivedAt !== null ? 'arrived' : ''].filter(Boolean).join(' ');
  return (
    <li
      className={classes}
      data-testid="request-item"
      data-request-id={request.id}
      data-arrived={request.arrivedAt !== null ? 'true' : undefined}
      aria-current={selected ? 'true' : undefined}
      aria-posinset={position}
      aria-setsize={setSize}
      style={{ transform: `translateY(${top}px)` }}
    >
      <CompareToggle binId={request.binId} id={request.id} />
      <Link to={requestPath(request.binId, request.id, q)} className="request-link" testId="request-link">
        <span className="request-top">
          <MethodBadge method={request.method} />
          <span className="request-path" data-testid="request-path" title={visibleString(query === '' ? path : `${path}?${query}`)}>
            <Visible text={path} />
            {query !== '' && (
              <span className="request-query">
                ?<Visible text={query} />
              </span>
            )}
          </span>
          <AnswerBadge status={request.status} testId="request-status" />
        </span>
        <span className="request-meta">
          <time dateTime={request.receivedAt.toISOString()} title={request.receivedAt.toISOString()} data-testid="request-time">
            {formatListTime(request.receivedAt, now)}
          </time>
          <span data-testid="request-size">{formatSize(request.size)}</span>
          {request.authLabel !== null && (
            <span className="auth-label" data-testid="request-auth-label" title={visibleString(request.authLabel)}>
              <Visible text={request.authLabel} />
            </span>
          )}
          <span className="request-marks">
            {request.signature !== null && (
              <span className={`badge sig status-${request.signature}`} data-testid="request-signature" data-status={request.signature} title={`Signature: ${statusName(request.signature)}`}>
                sig {statusName(request.signature)}
              </span>
            )}
            <DeliveryMarks request={request} />
            {request.redacted && <span className="badge severity-info">redacted</span>}
          </span>
        </span>
      </Link>
    </li>
  );
});
