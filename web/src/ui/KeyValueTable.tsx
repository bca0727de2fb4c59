import type { ReactNode } from 'react';
import { Visible } from './Visible';

/**
 * A two-column table of named values; values are text (or nodes built from text). Names and text values may be
 * captured (JWT claims, a credential's username), so both are shown through Visible.
 */
export function KeyValueTable({ rows, testId }: { rows: readonly [name: string, value: ReactNode][]; testId?: string }) {
  if (rows.length === 0) return null;
  return (
    <table className="kv" data-testid={testId}>
      <tbody>
        {rows.map(([name, value], index) => (
          <tr key={`${name}-${index}`}>
            <th scope="row">
              <Visible text={name} />
            </th>
            <td>{typeof value === 'string' ? <Visible text={value} /> : value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
