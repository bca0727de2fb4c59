import { useBins } from '../features/bins/api';
import { BinPage } from '../features/bins/BinPage';
import { BinsSidebar } from '../features/bins/BinsSidebar';
import { useBinsFeed } from '../features/bins/feed';
import { HomeView } from '../features/bins/HomeView';
import { HeaderBuilderView } from '../features/builder/HeaderBuilderView';
import { Link } from '../ui/Link';
import { ErrorBoundary } from './ErrorBoundary';
import { LiveIndicator } from './LiveIndicator';
import { NotFoundView } from './NotFoundView';
import { builderPath, useRoute } from './router';

/** The signed-in viewer: the top bar, the bins column, and the view the route names (each in an error boundary). */
export function Shell({ showSignOut, onSignOut }: { showSignOut: boolean; onSignOut: () => void }) {
  const route = useRoute();
  useBinsFeed();
  const bins = useBins();
  const selectedBinId = route.name === 'bin' || route.name === 'request' ? route.binId : null;
  const viewKey = route.name === 'bin' || route.name === 'request' ? `bin:${route.binId}` : route.name;

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
        <ErrorBoundary resetKey="bins">
          <BinsSidebar selectedId={selectedBinId} />
        </ErrorBoundary>
        <ErrorBoundary resetKey={viewKey}>
          {route.name === 'home' && <HomeView />}
          {(route.name === 'bin' || route.name === 'request') && (
            <BinPage key={route.binId} binId={route.binId} selectedRequestId={route.name === 'request' ? route.requestId : null} q={route.q} />
          )}
          {route.name === 'builder' && <HeaderBuilderView bins={bins.data ?? []} />}
          {route.name === 'not-found' && <NotFoundView />}
        </ErrorBoundary>
      </div>
    </div>
  );
}
