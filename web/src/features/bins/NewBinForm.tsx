import { useState } from 'react';
import type { FormEvent } from 'react';
import { BIN_ID_PATTERN } from '../../../../shared/bin-id';
import { errorMessage } from '../../api/errors';
import { ErrorMessage } from '../../ui/ErrorMessage';

/**
 * Creates a bin: an optional id (random when empty) and an optional name. `onCreate` rejects with a message for a
 * person (id taken, invalid) which the form shows.
 */
export function NewBinForm({ onCreate }: { onCreate: (options: { id?: string; name?: string }) => Promise<void> }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmedId = id.trim();
    if (trimmedId !== '' && !BIN_ID_PATTERN.test(trimmedId)) {
      setError('A bin id is 1–64 characters of A–Z, a–z, 0–9, _ and -.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onCreate({ id: trimmedId === '' ? undefined : trimmedId, name: name.trim() === '' ? undefined : name.trim() });
      setId('');
      setName('');
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="new-bin" onSubmit={onSubmit} data-testid="new-bin-form">
      <input value={name} onChange={(event) => setName(event.target.value)} placeholder="Name (optional)" aria-label="Bin name" data-testid="new-bin-name" />
      <input value={id} onChange={(event) => setId(event.target.value)} placeholder="Id (random when empty)" aria-label="Bin id" data-testid="new-bin-id" />
      <button type="submit" className="button primary" disabled={busy} data-testid="new-bin-submit">
        New bin
      </button>
      <ErrorMessage error={error} testId="new-bin-error" />
    </form>
  );
}
