import type { Credential } from '../../../../../shared/types';
import { kindName } from '../../../lib/labels';
import { clearSecret } from '../../../lib/secrets';
import type { SecretSource } from '../../../lib/secrets';
import { FindingList } from './FindingList';
import { JwtTable } from './JwtTable';
import { KeyValueTable } from '../../../ui/KeyValueTable';
import { SecretField } from '../../../ui/SecretField';
import type { ReactNode } from 'react';
import { Visible } from '../../../ui/Visible';

/** The request fields a credential's clear secret is recovered from. */
export type CredentialSource = SecretSource;

/** One decoded credential: where it was, its scheme and kind, who it names, its masked secret, JWT claims and problems. */
export function CredentialCard({
  credential,
  revealKey,
  request,
  revealed,
  onToggleReveal,
  now,
}: {
  credential: Credential;
  /** Its reveal key (credentialKey of its index), so that two credentials at one location reveal one by one. */
  revealKey: string;
  request: CredentialSource;
  revealed: ReadonlySet<string>;
  onToggleReveal: (key: string) => void;
  now: Date;
}) {
  const key = revealKey;
  const rows: [string, ReactNode][] = [
    ['Where', `${credential.location.in === 'header' ? 'header' : 'query parameter'} ${credential.location.name}`],
    ['Scheme', credential.scheme ?? 'none'],
    ['Kind', kindName(credential.kind)],
  ];
  if (credential.username !== undefined) rows.push([credential.kind === 'zendesk-api-token' ? 'Email' : 'Username', credential.username]);
  if (credential.token) rows.push(['Looks like', credential.token]);
  if (credential.secret) {
    rows.push([
      'Secret',
      <SecretField
        secret={credential.secret}
        clear={() => clearSecret(request, credential)}
        revealed={revealed.has(key)}
        onToggleReveal={() => onToggleReveal(key)}
      />,
    ]);
    // Redacted requests keep no fingerprint (an unsalted hash of a password can be cracked offline).
    if (credential.secret.sha256 !== '') rows.push(['Fingerprint', <code className="fingerprint">sha256 {credential.secret.sha256}</code>]);
  }
  // The decoder's keys are identifiers (access, userId); shown as row names, they start with a capital.
  for (const [name, value] of Object.entries(credential.details ?? {})) rows.push([name.charAt(0).toUpperCase() + name.slice(1), value]);

  return (
    <section className="credential" data-testid="credential" data-kind={credential.kind}>
      <h4 data-testid="credential-label">
        <Visible text={credential.label} />
      </h4>
      <KeyValueTable rows={rows} />
      {credential.jwt && <JwtTable jwt={credential.jwt} now={now} />}
      <FindingList findings={credential.problems} testId="credential-problems" />
    </section>
  );
}
