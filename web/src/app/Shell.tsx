import { useState } from 'react';
import { useBins } from '../features/bins/api';
import { BinPage } from '../features/bins/BinPage';
import { BinsSidebar } from '../features/bins/BinsSidebar';
import { useBinsFeed } from '../features/bins/feed';
import { HomeView } from '../features/bins/HomeView';
import { HeaderBuilderView } from '../features/builder/HeaderBuilderView';
import { CompareView } from '../features/compare/CompareView';
import { Link } from '../ui/Link';
import { ErrorBoundary } from './ErrorBoundary';
import { LiveIndicator } from './LiveIndicator';
import { NotFoundView } from './NotFoundView';
import { builderPath, useRoute } from './router';
import type { Route } from './router';
import { ShortcutsDialog } from './ShortcutsDialog';
import { ThemeToggle } from './ThemeToggle';
import { useShortcuts } from './useShortcuts';

/**
 * The signed-in viewer: the top bar, the bins column, and the view the route names (each in an error boundary).
 * On a narrow window (layout.css) the bins column is hidden behind the Bins button; `?` shows the keyboard shortcuts.
 */
export function Shell({ showSignOut, onSignOut }: { showSignOut: boolean; onSignOut: () => void }) {
  const route = useRoute();
  useBinsFeed();
  const bins = useBins();
  const selectedBinId = route.name === 'bin' || route.name === 'request' ? route.binId : null;
  const viewKey = route.name === 'bin' || route.name === 'request' ? `bin:${route.binId}` : route.name;
  // The drawer is open on the route it was opened on: going anywhere (a bin picked in it, a link) closes it.
  const [binsOpenOn, setBinsOpenOn] = useState<Route | null>(null);
  const binsOpen = binsOpenOn === route;
  const setBinsOpen = (open: boolean) => setBinsOpenOn(open ? route : null);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  useShortcuts({ '?': () => setShortcutsOpen(true) });

  return (
    <div className="app">
      <header className="topbar">
        <button
          type="button"
          className="button small bins-toggle"
          onClick={() => setBinsOpen(!binsOpen)}
          aria-expanded={binsOpen}
          aria-controls="bins-column"
          data-testid="bins-toggle"
        >
          ☰ Bins
        </button>
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
        <ThemeToggle />
        <button type="button" className="button small icon-button shortcuts-button" onClick={() => setShortcutsOpen(true)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" data-testid="shortcuts-button">
          ?
        </button>
        {showSignOut && (
          <button type="button" className="button small" onClick={onSignOut} data-testid="sign-out">
            Sign out
          </button>
        )}
      </header>
      <div className={binsOpen ? 'layout bins-open' : 'layout'}>
        {binsOpen && <div className="drawer-backdrop" onClick={() => setBinsOpen(false)} aria-hidden="true" />}
        <ErrorBoundary resetKey="bins">
          <BinsSidebar selectedId={selectedBinId} />
        </ErrorBoundary>
        <ErrorBoundary resetKey={viewKey}>
          {route.name === 'home' && <HomeView />}
          {(route.name === 'bin' || route.name === 'request') && (
            <BinPage key={route.binId} binId={route.binId} selectedRequestId={route.name === 'request' ? route.requestId : null} q={route.q} />
          )}
          {route.name === 'builder' && <HeaderBuilderView bins={bins.data ?? []} />}
          {route.name === 'compare' && <CompareView route={route} />}
          {route.name === 'not-found' && <NotFoundView />}
        </ErrorBoundary>
      </div>
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}
