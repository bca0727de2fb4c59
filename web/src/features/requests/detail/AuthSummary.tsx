import type { Analysis, SignatureCheck } from '../../../../../shared/types';
import { providerName, statusName } from '../../../lib/labels';
import { Visible } from '../../../ui/Visible';

const KNOWN_STATUSES = new Set(['verified', 'mismatch', 'stale', 'no-secret', 'malformed']);

/** "verified (Zendesk)", the verdict of one signature check in a few words. */
export function signatureVerdict(check: SignatureCheck): string {
  return `${statusName(check.status)} (${providerName(check.provider)})`;
}

/**
 * A request's credentials and signatures in one or two lines, for the top of the Headers panel:
 * "Basic · Zendesk API token for a@b.c — verified (Zendesk)". Labels are the decoder's words about captured values,
 * so they are shown through Visible. The button shows or hides the full Auth panel below the headers.
 */
export function AuthSummary({ analysis, expanded, onToggle }: { analysis: Analysis; expanded: boolean; onToggle: () => void }) {
  const { credentials, signatures, warnings } = analysis;
  if (credentials.length === 0 && signatures.length === 0 && warnings.length === 0) {
    return (
      <p className="auth-summary muted" data-testid="auth-summary">
        No credential and no webhook signature.
      </p>
    );
  }
  return (
    <div className="auth-summary" data-testid="auth-summary">
      <p className="auth-summary-line">
        <span className="auth-summary-name">Auth</span>
        {credentials.length === 0 ? (
          <span className="muted">no credential</span>
        ) : (
          credentials.map((credential, index) => (
            <span key={index} className="auth-summary-credential" data-testid="auth-summary-credential">
              {index > 0 && <span className="muted"> · </span>}
              <span className="muted">
                <Visible text={credential.scheme ?? credential.location.name} />
              </span>
              {' · '}
              <Visible text={credential.label} />
            </span>
          ))
        )}
        {signatures.length > 0 && <span className="muted"> — </span>}
        {signatures.map((check, index) => (
          <span key={index} className={`badge status-${KNOWN_STATUSES.has(check.status) ? check.status : 'other'}`} data-testid="auth-summary-signature" data-status={check.status}>
            {signatureVerdict(check)}
          </span>
        ))}
        {warnings.length > 0 && (
          <span className="badge severity-warning" data-testid="auth-summary-warnings">
            {warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`}
          </span>
        )}
        <button type="button" className="button tiny" aria-expanded={expanded} aria-controls="auth-details" onClick={onToggle} data-testid="auth-expand">
          {expanded ? 'Hide details' : 'Details'}
        </button>
      </p>
    </div>
  );
}
