import { binPath, navigate } from '../../app/router';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useBins, useCreateBin, useDeleteBin } from './api';
import { BinList } from './BinList';
import { NewBinForm } from './NewBinForm';

/** The bins column: a form for a new bin (opened once created) and every bin, kept current by the live stream. */
export function BinsSidebar({ selectedId }: { selectedId: string | null }) {
  const bins = useBins();
  const create = useCreateBin();
  const remove = useDeleteBin();

  const onCreate = async (options: { id?: string; name?: string }) => {
    const bin = await create.mutateAsync(options);
    navigate(binPath(bin.id));
  };
  const onDelete = (binId: string) => {
    remove.mutate(binId, {
      onSuccess: () => {
        if (binId === selectedId) navigate('/');
      },
    });
  };
  return (
    <aside className="column bins-column" id="bins-column" data-testid="bins-column">
      <h2>Bins</h2>
      <NewBinForm onCreate={onCreate} />
      <ErrorMessage error={bins.error ?? remove.error} />
      {bins.data === undefined ? bins.isPending && <p className="muted">Loading…</p> : <BinList bins={bins.data} selectedId={selectedId} onDelete={onDelete} />}
    </aside>
  );
}
