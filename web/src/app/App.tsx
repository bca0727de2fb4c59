import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { getSession, signOut } from '../api/client';
import { useLive } from '../api/useLive';
import { SignInView } from '../features/session/SignInView';
import { ErrorBoundary } from './ErrorBoundary';
import { AppProviders } from './providers';
import { Shell } from './Shell';
import { applyTheme, storedTheme } from './theme';

const sessionKey = ['session'] as const;

/**
 * The viewer: asks /api/session whether a token is needed, shows the sign-in page when it is (or whenever an API
 * call answers 401), and otherwise the bins | requests | detail layout.
 */
export function App() {
  // The remembered theme, shown before the first paint of anything.
  useState(() => applyTheme(storedTheme()));
  const [signInNeeded, setSignInNeeded] = useState(false);
  const onUnauthorized = useCallback(() => setSignInNeeded(true), []);
  return (
    <AppProviders onUnauthorized={onUnauthorized}>
      <ErrorBoundary>
        <Access signInNeeded={signInNeeded} onSignInNeeded={setSignInNeeded} />
      </ErrorBoundary>
    </AppProviders>
  );
}

function Access({ signInNeeded, onSignInNeeded }: { signInNeeded: boolean; onSignInNeeded: (needed: boolean) => void }) {
  const queryClient = useQueryClient();
  const live = useLive();
  // A server without /api/session (an error here): go on, and let a 401 bring up the sign-in page.
  const session = useQuery({ queryKey: sessionKey, queryFn: getSession, retry: false });
  // Bumped on sign-in so that the shell mounts anew and everything loads with the new session.
  const [generation, setGeneration] = useState(0);

  const onSignedIn = useCallback(() => {
    queryClient.removeQueries();
    queryClient.setQueryData(sessionKey, { authRequired: true, authenticated: true });
    onSignInNeeded(false);
    setGeneration((value) => value + 1);
    live.reconnectNow();
  }, [queryClient, live, onSignInNeeded]);

  const onSignOut = useCallback(() => {
    const done = () => onSignInNeeded(true);
    signOut().then(done, done);
  }, [onSignInNeeded]);

  if (session.isPending) return <p className="muted boot">Loading…</p>;
  if (signInNeeded || (session.data?.authRequired === true && !session.data.authenticated)) return <SignInView onSignedIn={onSignedIn} />;
  return <Shell key={generation} showSignOut={session.data?.authRequired === true} onSignOut={onSignOut} />;
}
