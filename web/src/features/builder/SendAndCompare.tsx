import { useState, type FormEvent } from 'react';
import { navigate, requestPath } from '../../app/router';
import type { RequestSummaryView } from '../../api/model';
import { formatFull } from '../../lib/time';
import { visibleString } from '../../lib/visible';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Link } from '../../ui/Link';
import { comparePath } from '../compare/route';
import { useCapture, useRecentRequests, useSendTest } from './api';
import { sha256Hex, testRequestHeaders, type BuilderInput } from './headerBuilder';

const DEFAULT_BODY = '{"name":"test webhook"}';

function captureLabel(request: RequestSummaryView): string {
  const credential = request.authLabel ?? 'no credential';
  return visibleString(`#${request.id} ${request.method} ${request.path} · ${credential} · ${formatFull(request.receivedAt)}`);
}

/**
 * "Send test request": the header built (and Zendesk's signature of the body, when a signing secret is given) is
 * stored into the bin by the server, as if captured, and then opens compared with a capture picked from the bin.
 * "Paste an expected token": says whether the picked capture's credential is that token, by SHA-256 fingerprint,
 * without showing either.
 */
export function SendAndCompare({ input, binId, refused }: { input: BuilderInput; binId: string | null; refused: string | null }) {
  const [body, setBody] = useState(DEFAULT_BODY);
  const [signingSecret, setSigningSecret] = useState('');
  const [sentId, setSentId] = useState<number | null>(null);
  const [pickedId, setPickedId] = useState<number | null>(null);
  const [expected, setExpected] = useState('');
  const [verdict, setVerdict] = useState<{ text: string; kind: 'matches' | 'does-not-match' | 'refused' | 'none' } | null>(null);
  const send = useSendTest(binId);
  const recent = useRecentRequests(binId);
  const candidates = (recent.data?.requests ?? []).filter((request) => request.id !== sentId);
  const picked = candidates.find((request) => request.id === pickedId) ?? candidates[0] ?? null;
  const capture = useCapture(binId, picked?.id ?? null);

  const onSend = async (event: FormEvent) => {
    event.preventDefault();
    if (refused !== null || binId === null) return;
    const signing = signingSecret === '' ? null : { secret: signingSecret, timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    const headers = await testRequestHeaders(input, body, signing);
    setSentId(await send.mutateAsync({ method: 'POST', path: '/', headers, body }).catch(() => null));
  };

  const onCheck = async (event: FormEvent) => {
    event.preventDefault();
    if (expected === '') return setVerdict({ kind: 'refused', text: 'Paste the expected token or password first: an empty one is never accepted.' });
    const secrets = (capture.data?.analysis.credentials ?? []).flatMap((credential) => (credential.secret ? [credential.secret.sha256] : []));
    if (secrets.length === 0) return setVerdict({ kind: 'none', text: 'The picked capture carries no credential secret to check.' });
    const fingerprint = await sha256Hex(expected);
    setVerdict(secrets.includes(fingerprint)
      ? { kind: 'matches', text: 'matches: the captured credential is the token you pasted' }
      : { kind: 'does-not-match', text: 'does not match: the captured credential is another token' });
  };

  return (
    <div className="builder-send" data-testid="builder-send">
      <h3>Send test request</h3>
      <form className="builder-form" onSubmit={onSend}>
        <label>
          Body (JSON, sent as is)
          <textarea className="mono" rows={3} value={body} onChange={(event) => setBody(event.target.value)} data-testid="builder-body" />
        </label>
        <label>
          Zendesk signing secret (optional: adds X-Zendesk-Webhook-Signature for this body)
          <input type="password" autoComplete="off" value={signingSecret} onChange={(event) => setSigningSecret(event.target.value)} data-testid="builder-signing-secret" />
        </label>
        <button type="submit" disabled={refused !== null || binId === null || send.isPending} data-testid="builder-send-test">
          Send test request
        </button>
        <ErrorMessage error={send.error} testId="builder-send-error" />
        {sentId !== null && binId !== null && (
          <p data-testid="builder-sent">
            Stored as <Link to={requestPath(binId, sentId)} testId="builder-sent-link">request #{sentId}</Link>.
          </p>
        )}
      </form>

      <h3>Compare with a capture</h3>
      <form className="builder-form" onSubmit={(event) => event.preventDefault()}>
        <label>
          Capture (typically Zendesk's own)
          <select value={picked?.id ?? ''} onChange={(event) => { setPickedId(Number(event.target.value)); setVerdict(null); }} data-testid="builder-compare-pick">
            {candidates.map((request) => (
              <option key={request.id} value={request.id}>{captureLabel(request)}</option>
            ))}
          </select>
        </label>
        {candidates.length === 0 && <p className="muted">This bin holds no other capture yet.</p>}
        <button
          type="button"
          disabled={sentId === null || picked === null || binId === null}
          onClick={() => binId !== null && sentId !== null && picked !== null && navigate(comparePath(binId, sentId, binId, picked.id))}
          data-testid="builder-compare"
        >
          Compare with…
        </button>
      </form>

      <h3>Paste an expected token</h3>
      <form className="builder-form" onSubmit={onCheck}>
        <p className="muted">Says whether the picked capture's credential is this token or password, by its SHA-256 fingerprint; neither is shown, and what you paste stays in this page.</p>
        <label>
          Expected token or password
          <input type="password" autoComplete="off" value={expected} onChange={(event) => { setExpected(event.target.value); setVerdict(null); }} data-testid="builder-expected" />
        </label>
        <button type="submit" disabled={picked === null || capture.isPending} data-testid="builder-expected-check">Check</button>
        <ErrorMessage error={capture.error} />
        {verdict !== null && (
          <p className={verdict.kind === 'matches' ? 'ok' : verdict.kind === 'does-not-match' ? 'error' : 'muted'} role="status" data-testid="builder-expected-result" data-verdict={verdict.kind}>
            {verdict.text}
          </p>
        )}
      </form>
    </div>
  );
}
