import type { Credential } from '../../../../../shared/types';
import { parseQuery } from '../../../../../shared/auth';
import { maskValue } from '../../../lib/secrets';
import { Visible } from '../../../ui/Visible';

/**
 * The query parameters in order, duplicates kept, decoded for reading. Parameters the analysis names as
 * credential locations are masked until revealed.
 */
export function QueryTable({
  query,
  credentialParams,
  revealed,
}: {
  query: string;
  /** Credentials by lower-cased parameter name. */
  credentialParams: ReadonlyMap<string, Credential>;
  revealed: ReadonlySet<string>;
}) {
  const params = parseQuery(query);
  if (params.length === 0) return <p className="muted">No query string.</p>;
  return (
    <table className="headers mono" data-testid="query-table">
      <tbody>
        {params.map((param, index) => {
          const credential = credentialParams.get(param.name.toLowerCase());
          const masked = credential !== undefined && !revealed.has(`query:${param.name.toLowerCase()}`);
          return (
            <tr key={index}>
              <th scope="row">
                <Visible text={param.name} />
              </th>
              <td className={masked ? 'masked' : undefined}>
                <Visible text={masked ? maskValue(param.value, credential) : param.value} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
