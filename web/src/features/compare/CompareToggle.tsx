import { togglePicked, useIsPicked } from './selection';
import './compare.css';

/** A list row's checkbox that picks the request for comparing (two picked: the list's Compare bar opens them). */
export function CompareToggle({ binId, id }: { binId: string; id: number }) {
  const picked = useIsPicked(binId, id);
  return (
    <input
      type="checkbox"
      className="compare-toggle"
      checked={picked}
      onChange={() => togglePicked({ binId, id })}
      title="Pick for comparing"
      aria-label={`Pick request ${id} for comparing`}
      data-testid="compare-toggle"
    />
  );
}
