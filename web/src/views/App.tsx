import { useCallback, useEffect, useState } from 'react';
import { getSession, onUnauthorized, signOut } from '../api/client';
import { reconnectNow } from '../api/live';
import { Link } from '../components/Link';
import { LiveIndicator } from '../components/LiveIndicator';
import { useBins } from '../hooks/useBins';
import { builderPath, useRoute } from '../lib/router';
import { BinPage } from './BinPage';
import { BinsSidebar } from './BinsSidebar';
import { HeaderBuilderView } from './HeaderBuilderView';
import { HomeView } from './HomeView';
import { NotFoundView } from './NotFoundView';
import { SignInView } from './SignInView';

type Access = 'checking' | 'sign-in' | 'ready';

/**
 * The viewer: asks /api/session whether a token is needed, shows the sign-in page when it is (or whenever an API
 * call answers 401), and otherwise the bins | requests | detail layout.
 */
export function App() {
  const [access, setAccess] = useState<Access>('checking');
  const [authRequired, setAuthRequired] = useState(false);
  // Bumped on sign-in so that everything loads again with the new session.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    getSession().then(
      (session) => {
        setAuthRequired(session.authRequired);
        setAccess((current) => (current === 'sign-in' || (session.authRequired && !session.authenticated) ? 'sign-in' : 'ready'));
      },
      // A server without /api/session: go on, and let a 401 bring up the sign-in page.
      () => setAccess((current) => (current === 'checking' ? 'ready' : current)),
    );
    return onUnauthorized(() => {
      setAuthRequired(true);
      setAccess('sign-in');
    });
  }, []);

  const onSignedIn = useCallback(() => {
    setAuthRequired(true);
    setGeneration((value) => value + 1);
    setAccess('ready');
    reconnectNow();
  }, []);

  const onSignOut = useCallback(() => {
    signOut().then(
      () => setAccess('sign-in'),
      () => setAccess('sign-in'),
    );
  }, []);

  if (access === 'checking') return <p className="muted boot">Loading…</p>;
  if (access === 'sign-in') return <SignInView onSignedIn={onSignedIn} />;
  return <Shell key={generation} showSignOut={authRequired} onSignOut={onSignOut} />;
}

function Shell({ showSignOut, onSignOut }: { showSignOut: boolean; onSignOut: () => void }) {
  const route = useRoute();
  const bins = useBins();
  const selectedBinId = route.name === 'bin' || route.name === 'request' ? route.binId : null;

  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand">
          hooklens
        </Link>
        <nav className="nav">
          <Link to="/" className={route.name === 'builder' ? 'nav-link' : 'nav-link active'}>
            Bins
          </Link>
          <Link to={builderPath} className={route.name === 'builder' ? 'nav-link active' : 'nav-link'} testId="nav-builder">
            Header builder
          </Link>
        </nav>
        <span className="spacer" />
        <LiveIndicator />
        {showSignOut && (
          <button type="button" className="button small" onClick={onSignOut} data-testid="sign-out">
            Sign out
          </button>
        )}
      </header>
      <div className="layout">
        <BinsSidebar bins={bins} selectedId={selectedBinId} />
        {route.name === 'home' && <HomeView />}
        {(route.name === 'bin' || route.name === 'request') && (
          <BinPage key={route.binId} binId={route.binId} selectedRequestId={route.name === 'request' ? route.requestId : null} onBinChanged={bins.replace} />
        )}
        {route.name === 'builder' && <HeaderBuilderView bins={bins.bins ?? []} />}
        {route.name === 'not-found' && <NotFoundView />}
      </div>
    </div>
  );
}
