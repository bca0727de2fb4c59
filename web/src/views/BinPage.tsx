import { CaptureUrl } from '../components/CaptureUrl';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, getBin, rotateRelayKey, updateBin } from '../api/client';
import type { BinPatch } from '../api/client';
import type { BinView } from '../api/model';
import { ConfirmButton } from '../components/ConfirmButton';
import { CopyButton } from '../components/CopyButton';
import { Link } from '../components/Link';
import { RelayUrl } from '../components/RelayUrl';
import { RequestList } from '../components/RequestList';
import { ResponsePanel } from '../components/ResponsePanel';
import { SigningSecretsPanel } from '../components/SigningSecretsPanel';
import { Visible } from '../components/Visible';
import { useBinRequests } from '../hooks/useBinRequests';
import { useNow } from '../hooks/useNow';
import { shortSetting } from '../lib/binResponse';
import { binPath, navigate } from '../lib/router';
import { RequestDetail } from './RequestDetail';

/**
 * A bin's page: its capture and relay URLs, its requests arriving live (newest first, older pages on demand), its
 * settings (signing secrets, what capture answers), and the detail of the selected request. Mount it with `key={binId}`: its state belongs to one bin.
 */
export function BinPage({
  binId,
  selectedRequestId,
  onBinChanged,
}: {
  binId: string;
  selectedRequestId: number | null;
  onBinChanged: (bin: BinView) => void;
}) {
  const [bin, setBin] = useState<BinView | null>(null);
  const [binError, setBinError] = useState<ApiError | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [responseOpen, setResponseOpen] = useState(false);
  const [analysisVersion, setAnalysisVersion] = useState(0);
  const [actionError, setActionError] = useState<string | null>(null);
  const now = useNow();

  const binChanged = useCallback(
    (changed: BinView) => {
      setBin(changed);
      onBinChanged(changed);
    },
    [onBinChanged],
  );
  const events = useMemo(() => ({ onBin: binChanged }), [binChanged]);
  const requests = useBinRequests(binId, events);

  useEffect(() => {
    let cancelled = false;
    getBin(binId).then(
      (loaded) => {
        // A `bin` message that came first is newer than this answer: keep it.
        if (!cancelled) setBin((current) => current ?? loaded);
      },
      (failure: unknown) => {
        if (!cancelled) setBinError(failure instanceof ApiError ? failure : new ApiError(0, String(failure)));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [binId]);

  const saveSecrets = async (signingSecrets: Record<string, string | null>) => {
    binChanged(await updateBin(binId, { signingSecrets }));
    // Analysis runs on read: fetch the open request again to show what the new secret verifies.
    setAnalysisVersion((version) => version + 1);
  };

  const saveResponse = async (response: BinPatch['response']) => {
    binChanged(await updateBin(binId, { response }));
  };

  const run = (action: () => Promise<void>) => {
    setActionError(null);
    action().catch((failure: unknown) => setActionError(failure instanceof Error ? failure.message : String(failure)));
  };

  if (requests.binDeleted || binError?.status === 404) {
    return (
      <section className="column" data-testid="bin-gone">
        <h2>{requests.binDeleted ? 'This bin was deleted' : 'No such bin'}</h2>
        <p>
          <Link to="/">Back to the bins</Link>
        </p>
      </section>
    );
  }

  return (
    <>
      <section className="column requests-column" data-testid="requests-column">
        <header className="bin-header">
          <h2 data-testid="bin-title">
            <Visible text={bin?.name || binId} />
          </h2>
          {bin && (
            <p className="capture">
              <CaptureUrl testId="bin-capture-url" url={bin.captureUrl} />
              <CopyButton text={() => bin.captureUrl} label="Copy URL" testId="bin-copy-url" />
            </p>
          )}
          {bin?.relayUrl && <RelayUrl url={bin.relayUrl} onRotate={() => run(async () => binChanged(await rotateRelayKey(binId)))} />}
          <div className="toolbar">
            <button type="button" className="button small" onClick={() => setSettingsOpen((open) => !open)} data-testid="open-settings" aria-expanded={settingsOpen}>
              Signing secrets{bin && bin.signingSecrets.length > 0 ? ` (${bin.signingSecrets.length})` : ''}
            </button>
            <button type="button" className="button small" onClick={() => setResponseOpen((open) => !open)} data-testid="open-response" aria-expanded={responseOpen}>
              Response: {bin ? shortSetting(bin.response) : '…'}
            </button>
            <ConfirmButton label="Clear bin" confirmLabel="Delete all requests" onConfirm={() => run(requests.clear)} testId="clear-bin" />
          </div>
        </header>
        {settingsOpen && bin && <SigningSecretsPanel configured={bin.signingSecrets} onSave={saveSecrets} onClose={() => setSettingsOpen(false)} />}
        {responseOpen && bin && <ResponsePanel response={bin.response} onSave={saveResponse} onClose={() => setResponseOpen(false)} />}
        {(actionError ?? requests.error ?? (binError && binError.message)) && (
          <p className="error" role="alert">
            {actionError ?? requests.error ?? binError?.message}
          </p>
        )}
        {requests.loading ? (
          <p className="muted">Loading…</p>
        ) : requests.requests.length === 0 ? (
          <p className="muted waiting" data-testid="waiting">
            Waiting for requests. Send one to the capture URL above; it appears here as it arrives.
          </p>
        ) : (
          <RequestList requests={requests.requests} selectedId={selectedRequestId} now={now} />
        )}
        {requests.hasMore && (
          <button type="button" className="button" disabled={requests.loadingOlder} onClick={() => run(requests.loadOlder)} data-testid="load-older">
            {requests.loadingOlder ? 'Loading…' : 'Older requests'}
          </button>
        )}
      </section>
      <section className="column detail-column" data-testid="detail-column">
        {selectedRequestId === null ? (
          <p className="muted">Select a request to see its headers, body and auth.</p>
        ) : (
          <RequestDetail
            key={selectedRequestId}
            binId={binId}
            requestId={selectedRequestId}
            refresh={analysisVersion}
            gone={requests.isGone(selectedRequestId)}
            now={now}
            onDelete={() =>
              run(async () => {
                await requests.remove(selectedRequestId);
                navigate(binPath(binId), { replace: true });
              })
            }
            onOpenSettings={() => setSettingsOpen(true)}
          />
        )}
      </section>
    </>
  );
}
