import type { BinsState } from '../hooks/useBins';
import { BinList } from '../components/BinList';
import { NewBinForm } from '../components/NewBinForm';
import { binPath, navigate } from '../lib/router';

/** The bins column: a form for a new bin (opened once created) and every bin. */
export function BinsSidebar({ bins, selectedId }: { bins: BinsState; selectedId: string | null }) {
  const onCreate = async (options: { id?: string; name?: string }) => {
    const bin = await bins.create(options);
    navigate(binPath(bin.id));
  };
  const onDelete = (binId: string) => {
    bins.remove(binId).then(
      () => {
        if (binId === selectedId) navigate('/');
      },
      () => {
        // The list stays as it was; a 401 has already sent the viewer to sign-in.
      },
    );
  };
  return (
    <aside className="column bins-column" data-testid="bins-column">
      <h2>Bins</h2>
      <NewBinForm onCreate={onCreate} />
      {bins.error && (
        <p className="error" role="alert">
          {bins.error}
        </p>
      )}
      {bins.bins === null ? <p className="muted">Loading…</p> : <BinList bins={bins.bins} selectedId={selectedId} onDelete={onDelete} />}
    </aside>
  );
}
