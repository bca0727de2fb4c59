import type { ReactNode } from 'react';

/** A two-column table of named values; values are text (or nodes built from text). */
export function KeyValueTable({ rows, testId }: { rows: readonly [name: string, value: ReactNode][]; testId?: string }) {
  if (rows.length === 0) return null;
  return (
    <table className="kv" data-testid={testId}>
      <tbody>
        {rows.map(([name, value], index) => (
          <tr key={`${name}-${index}`}>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
