import { useMemo } from 'react';
import type { Credential } from '../../../../shared/types';
import { isNotFound } from '../../api/errors';
import type { RequestDetailView } from '../../api/model';
import { requestPath } from '../../app/router';
import { base64ByteLength, formatSize } from '../../lib/bytes';
import { credentialsByHeaderRow, credentialsByLocation, maskTarget, maskValue } from '../../lib/secrets';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Link } from '../../ui/Link';
import { Visible } from '../../ui/Visible';
import { useRequestDetail } from '../requests/api';
import { BodyCompare } from './BodyCompare';
import { CredentialsCompare, SignaturesCompare } from './AuthCompare';
import { alignHeaders } from './headers';
import type { AlignedHeader } from './headers';
import { fingerprint } from './auth';
import { comparePath } from './route';
import type { CompareRoute } from './route';
import './compare.css';

/**
 * `/compare/{binA}/{idA}/{binB}/{idB}`: two requests side by side — what the request line and its surroundings say,
 * the headers aligned by name, credentials and signature checks, and the bodies. Credential values never appear:
 * headers carrying one show their scheme and the secret's fingerprint; everything captured is shown as text
 * (Visible). A request that is gone is said in plain words.
 */
export function CompareView({ route }: { route: CompareRoute }) {
  const a = useRequestDetail(route.binA, route.idA);
  const b = useRequestDetail(route.binB, route.idB);
  const gone = [
    isNotFound(a.error) ? { binId: route.binA, id: route.idA } : null,
    isNotFound(b.error) ? { binId: route.binB, id: route.idB } : null,
  ].filter((item) => item !== null);

  return (
    <section className="column compare-view" data-testid="compare-view">
      <header className="compare-header">
        <h2>Compare</h2>
        <p className="compare-sides">
          <span className="compare-side-label">A</span>{' '}
          <Link to={requestPath(route.binA, route.idA)} testId="compare-link-a">
            request {route.idA} of <Visible text={route.binA} />
          </Link>{' '}
          <span className="compare-side-label">B</span>{' '}
          <Link to={requestPath(route.binB, route.idB)} testId="compare-link-b">
            request {route.idB} of <Visible text={route.binB} />
          </Link>{' '}
          <Link to={comparePath(route.binB, route.idB, route.binA, route.idA)} className="button small" testId="compare-swap">
            Swap A and B
          </Link>
        </p>
      </header>
      {gone.map(({ binId, id }) => (
        <p key={`${binId}/${id}`} className="error" role="alert" data-testid="compare-gone">
          Request {id} no longer exists in the bin <Visible text={binId} />: it was deleted, or the bin was.
        </p>
      ))}
      {!isNotFound(a.error) && <ErrorMessage error={a.error} />}
      {!isNotFound(b.error) && <ErrorMessage error={b.error} />}
      {(a.isPending || b.isPending) && gone.length === 0 && <p className="muted">Loading…</p>}
      {a.data !== undefined && b.data !== undefined && <Comparison a={a.data} b={b.data} />}
    </section>
  );
}

/** Where each side's credentials sit, for masking its header values and its request-target. */
function useMasking(request: RequestDetailView) {
  return useMemo(() => {
    const credentials = request.analysis.credentials;
    const byLocation = credentialsByLocation(credentials);
    const query = new Map<string, Credential>();
    for (const credential of credentials) {
      const name = credential.location.name.toLowerCase();
      if (credential.location.in === 'query' && !query.has(name)) query.set(name, credential);
    }
    const rows = credentialsByHeaderRow(request.headers, credentials);
    return {
      target: maskTarget(request, query, new Set()),
      /** The value of header `index` as shown: a credential as its scheme and fingerprint, never its characters. */
      header(index: number): { text: string; masked: boolean } {
        const [name, value] = request.headers[index];
        const credential = byLocation.get(`header:${name.toLowerCase()}`);
        if (credential === undefined) return { text: value, masked: false };
        const read = rows[index].map((at) => credentials[at]).find((candidate) => candidate.secret !== undefined);
        if (read?.secret !== undefined) {
          const scheme = read.scheme ? `${read.scheme} ` : '';
          return { text: `${scheme}•••••••• (${read.secret.length} characters, fingerprint ${fingerprint(read.secret.sha256)}…)`, masked: true };
        }
        return { text: maskValue(value, credential), masked: true };
      },
    };
  }, [request]);
}

function Comparison({ a, b }: { a: RequestDetailView; b: RequestDetailView }) {
  const maskA = useMasking(a);
  const maskB = useMasking(b);
  const headers = useMemo(() => alignHeaders(a.headers, b.headers), [a.headers, b.headers]);
  const facts: [label: string, left: string, right: string][] = [
    ['Request line', `${a.method} ${maskA.target} HTTP/${a.httpVersion}`, `${b.method} ${maskB.target} HTTP/${b.httpVersion}`],
    ['Received', a.receivedAt.toISOString(), b.receivedAt.toISOString()],
    ['Sender', a.remoteAddress, b.remoteAddress],
    ['Answered', String(a.status), String(b.status)],
    ['Content type', a.contentType ?? '(none)', b.contentType ?? '(none)'],
    ['Body', bodyFacts(a), bodyFacts(b)],
  ];
  return (
    <>
      <h3>Request</h3>
      <table className="compare-table compare-facts mono" data-testid="compare-facts">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
        </thead>
        <tbody>
          {facts.map(([label, left, right]) => (
            <tr key={label} className={left === right ? 'same' : 'changed'} data-testid="compare-fact" data-same={left === right}>
              <th scope="row">{label}</th>
              <td>
                <Visible text={left} />
              </td>
              <td>
                <Visible text={right} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <HeadersCompare rows={headers} a={a} b={b} maskA={maskA.header} maskB={maskB.header} />
      <CredentialsCompare a={a.analysis.credentials} b={b.analysis.credentials} />
      <SignaturesCompare a={a.analysis.signatures} b={b.analysis.signatures} />
      <BodyCompare a={a.body} b={b.body} />
    </>
  );
}

function bodyFacts(request: RequestDetailView): string {
  const stored = base64ByteLength(request.body.base64);
  const truncated = request.body.truncated ? `, cut at ${formatSize(stored)} of ${formatSize(request.size)}` : '';
  return `${formatSize(request.size)}${truncated}, SHA-256 ${request.body.sha256.slice(0, 12)}…`;
}

const CHANGE_TEXT: Record<AlignedHeader['change'], string> = {
  same: 'same',
  changed: 'changed',
  added: 'added',
  removed: 'removed',
  moved: 'moved',
};

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function HeaderValue({ shown }: { shown: { text: string; masked: boolean } | null }) {
  if (shown === null) return <span className="muted">—</span>;
  return (
    <span className={shown.masked ? 'masked' : undefined}>
      <Visible text={shown.text} />
    </span>
  );
}

/** The aligned headers: B's order, A's removed headers where they stood; each row says how it changed. */
function HeadersCompare({
  rows,
  a,
  b,
  maskA,
  maskB,
}: {
  rows: readonly AlignedHeader[];
  a: RequestDetailView;
  b: RequestDetailView;
  maskA: (index: number) => { text: string; masked: boolean };
  maskB: (index: number) => { text: string; masked: boolean };
}) {
  const counts = rows.reduce<Record<string, number>>((sum, row) => ({ ...sum, [row.change]: (sum[row.change] ?? 0) + 1 }), {});
  const said = (['changed', 'added', 'removed', 'moved'] as const).filter((change) => counts[change]).map((change) => `${counts[change]} ${change}`);
  return (
    <>
      <h3>Headers</h3>
      <p className="muted" data-testid="compare-headers-summary">
        {said.length === 0 ? 'The same headers, in the same order.' : said.join(', ')}
      </p>
      <table className="compare-table compare-headers mono" data-testid="compare-headers">
        <thead>
          <tr>
            <th scope="col">Change</th>
            <th scope="col">Name</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const name = row.b !== null ? b.headers[row.b][0] : a.headers[row.a ?? 0][0];
            const nameA = row.a !== null ? a.headers[row.a][0] : name;
            return (
              <tr key={`${row.occurrence}:${row.key}`} className={row.change} data-testid="compare-header" data-change={row.change}>
                <td className="compare-change" data-testid="compare-header-change">
                  {CHANGE_TEXT[row.change]}
                  {row.moved ? ', moved' : ''}
                </td>
                <th scope="row" data-testid="compare-header-name">
                  <Visible text={name} />
                  {nameA !== name && (
                    <>
                      {' '}
                      <span className="muted">
                        (A: <Visible text={nameA} />)
                      </span>
                    </>
                  )}
                  {row.occurrence > 1 && <span className="muted"> ({ordinal(row.occurrence)})</span>}
                </th>
                <td data-testid="compare-header-a">
                  <HeaderValue shown={row.a === null ? null : maskA(row.a)} />
                </td>
                <td data-testid="compare-header-b">
                  <HeaderValue shown={row.b === null ? null : maskB(row.b)} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
