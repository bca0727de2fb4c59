import type { Analysis } from '../../../../../shared/types';
import type { CredentialSource } from './CredentialCard';
import { CredentialCard } from './CredentialCard';
import { credentialKey } from '../../../lib/secrets';
import { FindingList } from './FindingList';
import { SignatureList } from './SignatureList';
import { SourceLine } from './SourceLine';

/**
 * What a request's credentials and signatures say (contract.md "Analysis"): its source, each credential, each
 * signature check, and hygiene warnings. Secrets stay masked until a person reveals one.
 */
export function AuthPanel({
  analysis,
  request,
  revealed,
  onToggleReveal,
  onOpenSettings,
  now,
}: {
  analysis: Analysis;
  request: CredentialSource;
  revealed: ReadonlySet<string>;
  onToggleReveal: (key: string) => void;
  onOpenSettings: () => void;
  now: Date;
}) {
  const missingSecret = analysis.signatures.some((check) => check.status === 'no-secret' || check.status === 'mismatch');
  return (
    <section className="panel auth-panel" id="auth-details" data-testid="auth-panel">
      <h3>Auth</h3>
      {request.redacted && (
        <p className="notice info" data-testid="redacted-notice">
          Secrets in this request were redacted at capture: masks and fingerprints were kept, the clear values were not.
        </p>
      )}
      {analysis.source && <SourceLine source={analysis.source} />}
      {analysis.credentials.length === 0 ? (
        <p className="muted">No credential: no Authorization header, API-key header or credential in the query string.</p>
      ) : (
        analysis.credentials.map((credential, index) => (
          <CredentialCard key={index} credential={credential} revealKey={credentialKey(index)} request={request} revealed={revealed} onToggleReveal={onToggleReveal} now={now} />
        ))
      )}
      <h4>Signatures</h4>
      <SignatureList signatures={analysis.signatures} />
      {missingSecret && (
        <button type="button" className="button small" onClick={onOpenSettings} data-testid="open-signing-settings">
          Set a signing secret for this bin
        </button>
      )}
      {analysis.warnings.length > 0 && (
        <>
          <h4>Warnings</h4>
          <FindingList findings={analysis.warnings} testId="warnings" />
        </>
      )}
    </section>
  );
}
