import type { SignatureCheck } from '../../../../../shared/types';
import { providerName, statusName } from '../../../lib/labels';
import { Visible } from '../../../ui/Visible';

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
          <p className="signature-message">
            <Visible text={check.message} />
          </p>
        </li>
      ))}
    </ul>
  );
}

const KNOWN_STATUSES = new Set(['verified', 'mismatch', 'stale', 'no-secret', 'malformed']);

function statusClass(status: string): string {
  return KNOWN_STATUSES.has(status) ? status : 'other';
}
