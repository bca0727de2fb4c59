import type { Credential, HeaderPair } from '../../../../../shared/types';
import { headerRowKey, maskValue } from '../../../lib/secrets';
import { CopyButton } from '../../../ui/CopyButton';
import { Visible } from '../../../ui/Visible';

/**
 * The headers exactly as received: in order, with their original case, duplicates as separate rows. Headers the
 * analysis names as credential locations are masked until revealed, each row on its own (`revealed` holds
 * headerRowKey keys), so that revealing one of two Authorization headers leaves the other masked. Each row has a
 * copy button that copies its value exactly as received.
 */
export function HeadersTable({
  headers,
  credentialHeaders,
  revealed,
  onToggleRow,
  highlight,
}: {
  headers: readonly HeaderPair[];
  /** Credentials by lower-cased header name. */
  credentialHeaders: ReadonlyMap<string, Credential>;
  revealed: ReadonlySet<string>;
  onToggleRow: (row: number) => void;
  /** A search's pattern: what it finds in names and unmasked values is marked. */
  highlight?: RegExp | null;
}) {
  if (headers.length === 0) return <p className="muted">No headers.</p>;
  return (
    <table className="headers mono" data-testid="headers-table">
      <tbody>
        {headers.map(([name, value], index) => {
          const key = headerRowKey(index);
          const credential = credentialHeaders.get(name.toLowerCase());
          const masked = credential !== undefined && !revealed.has(key);
          return (
            <tr key={index} data-testid="header-row">
              <th scope="row" className="header-name" data-testid="header-name">
                <Visible text={name} highlight={highlight} />
              </th>
              <td className="header-value" data-testid="header-value">
                <span className={masked ? 'masked' : undefined}>
                  <Visible text={masked ? maskValue(value, credential) : value} highlight={masked ? null : highlight} />
                </span>
                {credential !== undefined && (
                  <button type="button" className="button tiny" onClick={() => onToggleRow(index)} data-testid="header-reveal">
                    {masked ? 'Reveal' : 'Hide'}
                  </button>
                )}
              </td>
              <td className="header-actions">
                {/* The value as received, even while masked: copying does not put the secret on the page. */}
                <CopyButton text={() => value} testId="header-copy" />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
