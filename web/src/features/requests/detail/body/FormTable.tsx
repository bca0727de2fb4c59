import { Visible } from '../../../../ui/Visible';

/** application/x-www-form-urlencoded as name/value rows, decoded as a form decodes them ("+" is a space), in order. */
export function FormTable({ text }: { text: string }) {
  const rows = Array.from(new URLSearchParams(text));
  if (rows.length === 0) return <p className="muted">No fields.</p>;
  return (
    <table className="headers mono form-table" data-testid="form-table">
      <tbody>
        {rows.map(([name, value], index) => (
          <tr key={index} data-testid="form-row">
            <th scope="row" data-testid="form-name">
              <Visible text={name} />
            </th>
            <td data-testid="form-value">
              <Visible text={value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
