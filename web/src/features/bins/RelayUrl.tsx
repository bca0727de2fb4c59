import { ConfirmButton } from '../../ui/ConfirmButton';
import { CopyButton } from '../../ui/CopyButton';

/**
 * A bin's relay URL: smee-compatible, needs no token, reaches this bin only. Copyable; "New relay URL" rotates its
 * key (the old URL stops working, so it asks first); a folded line says how to bring the bin's captures to a local
 * server.
 */
export function RelayUrl({ url, onRotate }: { url: string; onRotate: () => void }) {
  return (
    <div className="relay" data-testid="relay">
      <p className="capture">
        <span className="muted relay-label">Relay</span>
        <code data-testid="bin-relay-url">{url}</code>
        <CopyButton text={() => url} label="Copy" testId="bin-copy-relay-url" />
        <ConfirmButton label="New relay URL" confirmLabel="Replace the relay URL" onConfirm={onRotate} testId="rotate-relay" />
      </p>
      <details className="relay-help" data-testid="relay-help">
        <summary className="muted">Forward to your machine</summary>
        <p className="muted">
          No token needed: <code>{`npx smee-client --url ${url} --target http://localhost:3000/…`}</code> or, byte-exact,{' '}
          <code>{`npx hooklens forward ${url} --to http://localhost:3000`}</code>
        </p>
      </details>
    </div>
  );
}
