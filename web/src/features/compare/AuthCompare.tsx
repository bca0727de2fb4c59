import type { Credential, SignatureCheck } from '../../../../shared/types';
import { kindName, providerName, statusName } from '../../lib/labels';
import { Visible } from '../../ui/Visible';
import { compareCredentials, compareSignatures } from './auth';

function CredentialCell({ credential }: { credential: Credential | null }) {
  if (credential === null) return <span className="muted">none</span>;
  return (
    <>
      {kindName(credential.kind)}
      {credential.scheme ? ` (${credential.scheme})` : ''}
      {credential.label && (
        <>
          <br />
          <span className="muted">
            <Visible text={credential.label} />
          </span>
        </>
      )}
    </>
  );
}

/** Each credential place of either request: kinds, user and whether the secret is the same, by fingerprint only. */
export function CredentialsCompare({ a, b }: { a: readonly Credential[]; b: readonly Credential[] }) {
  const rows = compareCredentials(a, b);
  return (
    <>
      <h3>Credentials</h3>
      {rows.length === 0 ? (
        <p className="muted">Neither request carries a credential.</p>
      ) : (
        <table className="compare-table" data-testid="compare-credentials">
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">A</th>
              <th scope="col">B</th>
              <th scope="col">Compared</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index} className={row.same ? 'same' : 'changed'} data-testid="compare-credential">
                <th scope="row">
                  <Visible text={row.where} />
                </th>
                <td>
                  <CredentialCell credential={row.a} />
                </td>
                <td>
                  <CredentialCell credential={row.b} />
                </td>
                <td data-testid="compare-credential-verdict">
                  {row.kindChange !== null && (
                    <>
                      <Visible text={row.kindChange} />
                      {' · '}
                    </>
                  )}
                  {row.user !== null && (
                    <>
                      <Visible text={row.user} />
                      {' · '}
                    </>
                  )}
                  {row.secret}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function StatusCell({ check }: { check: SignatureCheck | null }) {
  if (check === null) return <span className="muted">not checked</span>;
  return (
    <span className={`badge sig status-${check.status}`} data-status={check.status}>
      {statusName(check.status)}
    </span>
  );
}

/** Each signature check of either request, A's result beside B's. */
export function SignaturesCompare({ a, b }: { a: readonly SignatureCheck[]; b: readonly SignatureCheck[] }) {
  const rows = compareSignatures(a, b);
  return (
    <>
      <h3>Signatures</h3>
      {rows.length === 0 ? (
        <p className="muted">Neither request carries a signature.</p>
      ) : (
        <table className="compare-table" data-testid="compare-signatures">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">A</th>
              <th scope="col">B</th>
              <th scope="col">Compared</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index} className={row.same ? 'same' : 'changed'} data-testid="compare-signature">
                <th scope="row">
                  {providerName(row.provider)} <span className="muted">(<Visible text={row.header} />)</span>
                </th>
                <td>
                  <StatusCell check={row.a} />
                </td>
                <td>
                  <StatusCell check={row.b} />
                </td>
                <td>{row.same ? 'same result' : row.a === null || row.b === null ? `only in ${row.a === null ? 'B' : 'A'}` : 'different result'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
