import type { SignatureCheck } from '../../../../../shared/types';
import { providerName, statusName } from '../../../lib/labels';
import { Visible } from '../../../ui/Visible';
import { abbreviateDigests } from './signatureMessage';

const SECRET_SOURCES: Record<string, string> = {
  'zendesk-test-secret': "Zendesk's public test signing secret",
  bin: "this bin's signing secret",
};

/** Each signature check: provider, header, a status badge (verified / mismatch / stale / no secret / malformed), and what was compared. */
export function SignatureList({ signatures }: { signatures: readonly SignatureCheck[] }) {
  if (signatures.length === 0) return <p className="muted">No webhook signature header.</p>;
  return (
    <ul className="signatures" data-testid="signatures">
      {signatures.map((check, index) => (
        <li key={`${check.provider}-${index}`} className={`signature status-${statusClass(check.status)}`} data-testid="signature" data-status={check.status}>
          <span className={`badge status-${statusClass(check.status)}`} data-testid="signature-status">
            {statusName(check.status)}
          </span>
          <strong>{providerName(check.provider)}</strong>{' '}
          <code>
            <Visible text={check.header} />
          </code>
          {check.secretSource && <span className="muted"> · checked with {SECRET_SOURCES[check.secretSource] ?? check.secretSource}</span>}
          <SignatureMessage message={check.message} />
        </li>
      ))}
    </ul>
  );
}

/** The message with its digests abbreviated; the whole message, digests and all, in a details row below it. */
function SignatureMessage({ message }: { message: string }) {
  const { short, digests } = abbreviateDigests(message);
  return (
    <>
      <p className="signature-message" data-testid="signature-message">
        <Visible text={short} />
      </p>
      {digests.length > 0 && (
        <details className="signature-digests" data-testid="signature-digests">
          <summary>Digests</summary>
          <p className="mono">
            <Visible text={message} />
          </p>
        </details>
      )}
    </>
  );
}

const KNOWN_STATUSES = new Set(['verified', 'mismatch', 'stale', 'no-secret', 'malformed']);

function statusClass(status: string): string {
  return KNOWN_STATUSES.has(status) ? status : 'other';
}
