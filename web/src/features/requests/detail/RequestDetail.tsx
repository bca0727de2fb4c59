import { useMemo, useState } from 'react';
import type { Credential } from '../../../../../shared/types';
import { bodyUrl, curlCommand, decodedBody, rawText, rawUrl } from '../../../api/client';
import { isNotFound } from '../../../api/errors';
import { base64ByteLength, base64ToBytes, formatSize } from '../../../lib/bytes';
import { attemptText, handshakeName, providerName } from '../../../lib/labels';
import { credentialKey, credentialsByHeaderRow, headerRowKey, maskTarget, shownKeys, TARGET_KEY, targetHasCredential } from '../../../lib/secrets';
import { formatFull } from '../../../lib/time';
import { AnswerBadge } from '../../../ui/AnswerBadge';
import { ConfirmButton } from '../../../ui/ConfirmButton';
import { CopyButton } from '../../../ui/CopyButton';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { KeyValueTable } from '../../../ui/KeyValueTable';
import { MethodBadge } from '../../../ui/MethodBadge';
import { Visible } from '../../../ui/Visible';
import { highlightPattern, searchWords } from '../../search/terms';
import { useRequestDetail } from '../api';
import { AuthPanel } from './AuthPanel';
import { AuthSummary, signatureVerdict } from './AuthSummary';
import { BodyView } from './BodyView';
import { HeadersTable } from './HeadersTable';
import { pythonSnippet, requestUrl } from './pythonSnippet';
import { QueryTable } from './QueryTable';
import { ReplayPanel } from './ReplayPanel';
import { TrailersPanel } from './TrailersPanel';

function byName(credentials: readonly Credential[], where: 'header' | 'query'): Map<string, Credential> {
  const map = new Map<string, Credential>();
  for (const credential of credentials) {
    const name = credential.location.name.toLowerCase();
    if (credential.location.in === where && !map.has(name)) map.set(name, credential);
  }
  return map;
}

const AUTH_EXPANDED_KEY = 'hooklens.detail.auth-expanded';

/** Whether the full Auth panel is shown: yes unless the person hid it (remembered in this browser). */
function readAuthExpanded(): boolean {
  try {
    return localStorage.getItem(AUTH_EXPANDED_KEY) !== 'false';
  } catch {
    return true;
  }
}

function writeAuthExpanded(expanded: boolean): void {
  try {
    localStorage.setItem(AUTH_EXPANDED_KEY, String(expanded));
  } catch {
    // Storage refused (private mode, quota): the choice lasts this page only.
  }
}

/**
 * One request in full: request line and a summary line (answered, auth label, signature verdict, delivery), then the
 * headers exactly as received with the credentials and signatures summarised above them (the full Auth panel follows,
 * hidden on demand), query parameters, the body, and when and from where it came; what capture answered (and whether it was a provider's endpoint check or a retried
 * delivery); links to the raw request and the body download (built from ids only); and Replay to another URL.
 * Copy buttons give the request as a cURL command (the server's), as Python `requests`, or raw. With `q` (the bin's
 * search), the searched words are marked in the headers and the body's text views.
 * Mount it with `key={requestId}`: reveal state belongs to one request.
 */
export function RequestDetail({
  binId,
  requestId,
  gone,
  now,
  onDelete,
  onOpenSettings,
  q = null,
  captureUrl = null,
}: {
  binId: string;
  requestId: number;
  gone: boolean;
  now: Date;
  onDelete: () => void;
  onOpenSettings: () => void;
  /** The bin's search, whose words are marked. */
  q?: string | null;
  /** The bin's capture URL (for the Python snippet); null until the bin is loaded. */
  captureUrl?: string | null;
}) {
  const detail = useRequestDetail(binId, requestId);
  const request = detail.data ?? null;
  const error = detail.error;
  const notFound = isNotFound(error);
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(new Set());
  const [authExpanded, setAuthExpanded] = useState(readAuthExpanded);
  const toggleAuthExpanded = () =>
    setAuthExpanded((current) => {
      writeAuthExpanded(!current);
      return !current;
    });
  const credentials = request?.analysis.credentials;
  const headerCredentials = useMemo(() => byName(credentials ?? [], 'header'), [credentials]);
  const queryCredentials = useMemo(() => byName(credentials ?? [], 'query'), [credentials]);
  // Decodes each header row once per fetched request, to know which row a revealed credential came from.
  const headerRows = useMemo(() => (request ? credentialsByHeaderRow(request.headers, request.analysis.credentials) : []), [request]);
  const shown = useMemo(() => shownKeys(revealed, credentials ?? [], headerRows), [revealed, credentials, headerRows]);
  const fromServer = useMemo(() => () => decodedBody(binId, requestId), [binId, requestId]);
  const highlight = useMemo(() => highlightPattern(searchWords(q)), [q]);

  const toggleReveal = (key: string) =>
    setRevealed((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  /** A header row is revealed on its own; hiding it also hides the credentials read from it. */
  const toggleRow = (row: number) =>
    setRevealed((current) => {
      const next = new Set(current);
      const key = headerRowKey(row);
      if (shown.has(key)) {
        next.delete(key);
        for (const index of headerRows[row] ?? []) next.delete(credentialKey(index));
      } else next.add(key);
      return next;
    });

  if (gone || notFound) {
    return (
      <p className="notice info" data-testid="request-gone">
        {gone ? 'This request was deleted.' : `No request ${requestId} in this bin (deleted, or never captured here).`}
      </p>
    );
  }
  if (request === null) {
    return error ? <ErrorMessage error={error} /> : <p className="muted">Loading…</p>;
  }

  const meta: [string, string][] = [
    ['Received', formatFull(request.receivedAt)],
    ['From', request.remoteAddress],
    ['Size', `${formatSize(request.size)}${request.body.truncated ? ' (truncated at capture)' : ''}`],
    ['Content-Type', request.contentType ?? 'none'],
    [request.body.truncated ? `Body SHA-256 (of the ${base64ByteLength(request.body.base64)} stored bytes)` : 'Body SHA-256', request.body.sha256],
    ['Request id', String(request.id)],
  ];

  return (
    <article className="request-detail" data-testid="request-detail" data-request-id={request.id}>
      <header className="detail-header">
        <p className="request-line mono" data-testid="request-line">
          <MethodBadge method={request.method} /> <Visible text={maskTarget(request, queryCredentials, shown)} /> <span className="muted">HTTP/{request.httpVersion}</span>
          {targetHasCredential(request.analysis.warnings) && !request.redacted && (
            <button type="button" className="button tiny" onClick={() => toggleReveal(TARGET_KEY)} data-testid="target-reveal">
              {shown.has(TARGET_KEY) ? 'Hide' : 'Reveal'}
            </button>
          )}
        </p>
        <p className="outcome" data-testid="request-outcome">
          <span className="muted" data-testid="request-received">
            {formatFull(request.receivedAt)} from <Visible text={request.remoteAddress} />
          </span>
          <span data-testid="request-answered">
            Answered <AnswerBadge status={request.status} arrow={false} />
          </span>
          {request.handshake !== undefined && (
            <span className="badge mark" data-testid="request-handshake" title="hooklens answered this provider's endpoint check, whatever the bin's response">
              {handshakeName(request.handshake)}
            </span>
          )}
          {request.authLabel !== null && (
            <span className="muted" data-testid="detail-auth-label">
              <Visible text={request.authLabel} />
            </span>
          )}
          {request.analysis.signatures.length > 0 && (
            <span className="muted" data-testid="detail-signature-verdict">
              signature {request.analysis.signatures.map(signatureVerdict).join(', ')}
            </span>
          )}
          {request.delivery !== undefined && (
            <span className="muted" data-testid="request-delivery">
              {providerName(request.delivery.provider)}: <Visible text={attemptText(request.delivery)} />
            </span>
          )}
        </p>
        <div className="toolbar">
          <a className="button small" href={rawUrl(binId, request.id)} target="_blank" rel="noopener noreferrer" data-testid="raw-link">
            Raw request
          </a>
          <a className="button small" href={bodyUrl(binId, request.id)} download data-testid="body-link">
            Download body
          </a>
          <CopyButton label="Copy as cURL" text={() => curlCommand(binId, requestId)} testId="copy-curl" />
          <CopyButton
            label="Copy as Python requests"
            text={() => (captureUrl === null ? null : pythonSnippet(request, requestUrl(captureUrl, request), base64ToBytes(request.body.base64)))}
            disabled={captureUrl === null}
            testId="copy-python"
          />
          <CopyButton label="Copy raw HTTP" text={() => rawText(binId, requestId)} testId="copy-raw" />
          <ConfirmButton label="Delete" confirmLabel="Delete request" onConfirm={onDelete} testId="delete-request" />
        </div>
        <ErrorMessage error={error} />
      </header>
      <section className="panel headers-panel" data-testid="headers-panel">
        <h3>Headers ({request.headers.length})</h3>
        <AuthSummary analysis={request.analysis} expanded={authExpanded} onToggle={toggleAuthExpanded} />
        <HeadersTable headers={request.headers} credentialHeaders={headerCredentials} revealed={shown} onToggleRow={toggleRow} highlight={highlight} />
      </section>
      {authExpanded && (
        <AuthPanel analysis={request.analysis} request={request} revealed={revealed} onToggleReveal={toggleReveal} onOpenSettings={onOpenSettings} now={now} />
      )}
      {request.trailers && <TrailersPanel trailers={request.trailers} />}
      <section className="panel">
        <h3>Query</h3>
        <QueryTable query={request.query} credentialParams={queryCredentials} revealed={shown} />
      </section>
      <section className="panel">
        <h3>Body</h3>
        <BodyView body={request.body} size={request.size} contentType={request.contentType} headers={request.headers}
          fromServer={fromServer} highlight={highlight} />
      </section>
      <section className="panel">
        <h3>Request</h3>
        <KeyValueTable rows={meta} testId="request-meta" />
      </section>
      <ReplayPanel binId={binId} requestId={request.id} />
    </article>
  );
}
