import { CaptureUrl } from './CaptureUrl';
import type { BinView } from '../../api/model';
import { binPath } from '../../app/router';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { CopyButton } from '../../ui/CopyButton';
import { Link } from '../../ui/Link';
import { Visible } from '../../ui/Visible';
import { visibleString } from '../../lib/visible';

/** Every bin, with a link to its page, its request count, a copy button for its capture URL, and delete. */
export function BinList({ bins, selectedId, onDelete }: { bins: readonly BinView[]; selectedId: string | null; onDelete: (binId: string) => void }) {
  if (bins.length === 0) return <p className="muted">No bins yet. Create one above.</p>;
  return (
    <ul className="bin-list" data-testid="bin-list">
      {bins.map((bin) => (
        <li key={bin.id} className={bin.id === selectedId ? 'bin-item selected' : 'bin-item'} data-testid="bin-item" data-bin-id={bin.id}>
          <Link to={binPath(bin.id)} className="bin-link" testId="bin-link">
            <span className="bin-name" title={visibleString(bin.name || bin.id)} data-testid="bin-name">
              <Visible text={bin.name || bin.id} />
            </span>
            <span className="bin-count" title="requests" data-testid="bin-count">
              {bin.requestCount}
            </span>
          </Link>
          <CaptureUrl className="capture-url" testId="capture-url" url={bin.captureUrl} />
          <span className="bin-actions">
            <CopyButton text={() => bin.captureUrl} label="Copy URL" testId="copy-capture-url" />
            <ConfirmButton label="Delete" confirmLabel="Delete bin" onConfirm={() => onDelete(bin.id)} testId="delete-bin" />
          </span>
        </li>
      ))}
    </ul>
  );
}
