import { useState } from 'react';
import type { FormEvent } from 'react';
import { SIGNING_PROVIDERS, isPublicKey, keyNoun, providerName, secretHint } from '../../lib/labels';
import { errorMessage } from '../../api/errors';
import { ErrorMessage } from '../../ui/ErrorMessage';

/**
 * A bin's signing secrets and public keys, write-only: shows which providers have one, never a value; each can be
 * set, replaced or removed. `onSave` rejects with a message for a person.
 */
export function SigningSecretsPanel({
  configured,
  onSave,
  onClose,
}: {
  configured: readonly string[];
  onSave: (secrets: Record<string, string | null>) => Promise<void>;
  onClose: () => void;
}) {
  const [provider, setProvider] = useState<string>(SIGNING_PROVIDERS[0]);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputLabel = isPublicKey(provider) ? 'Public key' : 'Signing secret';

  const save = async (secrets: Record<string, string | null>, done: string) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await onSave(secrets);
      setSaved(done);
      setSecret('');
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (secret === '') return;
    void save({ [provider]: secret }, `Saved the ${providerName(provider)} ${keyNoun(provider)}.`);
  };

  return (
    <section className="panel settings" data-testid="signing-secrets">
      <header className="panel-header">
        <h3>Signing secrets</h3>
        <button type="button" className="button small" onClick={onClose}>
          Close
        </button>
      </header>
      <p className="muted">Used to verify webhook signatures of requests in this bin, old ones too. They are never shown again once saved.</p>
      <ul className="provider-list">
        {SIGNING_PROVIDERS.map((name) => {
          const isSet = configured.includes(name);
          return (
            <li key={name} data-testid="signing-provider" data-provider={name} data-set={isSet}>
              <span>{providerName(name)}</span>
              <span className={isSet ? 'badge status-verified' : 'badge'}>{isSet ? 'set' : 'not set'}</span>
              {isSet && (
                <button type="button" className="button tiny" disabled={busy} onClick={() => void save({ [name]: null }, `Removed the ${providerName(name)} ${keyNoun(name)}.`)} data-testid="remove-signing-secret">
                  Remove
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <form className="secret-form" onSubmit={onSubmit}>
        <select value={provider} onChange={(event) => setProvider(event.target.value)} aria-label="Provider" data-testid="signing-provider-select">
          {SIGNING_PROVIDERS.map((name) => (
            <option key={name} value={name}>
              {providerName(name)}
            </option>
          ))}
        </select>
        <input
          type="password"
          autoComplete="off"
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
          placeholder={inputLabel}
          aria-label={inputLabel}
          data-testid="signing-secret-input"
        />
        <button type="submit" className="button primary" disabled={busy || secret === ''} data-testid="save-signing-secret">
          Save
        </button>
      </form>
      <p className="muted" data-testid="signing-secret-hint">{secretHint(provider)}</p>
      {saved && <p className="notice info">{saved}</p>}
      <ErrorMessage error={error} />
    </section>
  );
}
