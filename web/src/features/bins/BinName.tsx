import { useState } from 'react';
import type { BinView } from '../../api/model';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Visible } from '../../ui/Visible';
import { useUpdateBin } from './api';

/**
 * A bin's name as its page's title, renamed in place: Rename (or a click on the name) opens a box, Enter saves it
 * with PATCH /api/bins/{id} (the sidebar follows from the cache, other viewers from the live `bin` message), Esc
 * cancels. The server's error (a name over 200 characters) is shown under the box; an empty name is refused here,
 * since the server would keep the old one.
 */
export function BinName({ binId, bin }: { binId: string; bin: BinView | undefined }) {
  const update = useUpdateBin(binId);
  const [draft, setDraft] = useState<string | null>(null);
  const [emptyError, setEmptyError] = useState<Error | null>(null);
  const shown = bin?.name || binId;

  const start = () => {
    update.reset();
    setEmptyError(null);
    setDraft(bin?.name ?? '');
  };
  const save = () => {
    if (draft === null) return;
    if (draft.trim() === '') {
      setEmptyError(new Error('A bin needs a name.'));
      return;
    }
    update.mutate({ name: draft }, { onSuccess: () => setDraft(null) });
  };

  if (draft === null || bin === undefined) {
    return (
      <div className="bin-title-row">
        <h2 data-testid="bin-title" onClick={bin ? start : undefined}>
          <Visible text={shown} />
        </h2>
        {bin && (
          <button type="button" className="button tiny" onClick={start} data-testid="rename-bin">
            Rename
          </button>
        )}
      </div>
    );
  }
  return (
    <form
      className="bin-rename"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <input
        autoFocus
        value={draft}
        aria-label="Bin name"
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            setDraft(null);
          }
        }}
        disabled={update.isPending}
        data-testid="rename-input"
      />
      <button type="submit" className="button small primary" disabled={update.isPending} data-testid="rename-save">
        Save
      </button>
      <button type="button" className="button small" onClick={() => setDraft(null)}>
        Cancel
      </button>
      <ErrorMessage error={emptyError ?? update.error} testId="rename-error" />
    </form>
  );
}
