import { useState } from 'react';
import type { FormEvent } from 'react';
import { signIn } from '../../api/client';
import { ApiError, errorMessage } from '../../api/errors';
import { ErrorMessage } from '../../ui/ErrorMessage';

/**
 * The sign-in page, shown when the server needs its access token: POSTs it to /api/session (which sets an
 * HttpOnly cookie) and calls `onSignedIn` on success; shows the server's reason otherwise (wrong token, too many tries).
 */
export function SignInView({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(token);
      onSignedIn();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) setError(failure.message || 'That token is not right.');
      else setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" data-testid="sign-in">
      <form className="panel sign-in-form" onSubmit={onSubmit}>
        <h1>hooklens</h1>
        <p>This hooklens needs its access token. It was printed when the server started, or set with <code>--token</code> / <code>HOOKLENS_TOKEN</code>.</p>
        <label>
          Access token
          <input type="password" autoComplete="current-password" value={token} onChange={(event) => setToken(event.target.value)} data-testid="sign-in-token" autoFocus />
        </label>
        <button type="submit" className="button primary" disabled={busy || token === ''} data-testid="sign-in-submit">
          Sign in
        </button>
        <ErrorMessage error={error} testId="sign-in-error" />
      </form>
    </main>
  );
}
