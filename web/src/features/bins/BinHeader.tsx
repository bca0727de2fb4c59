import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { BinPatch } from '../../api/client';
import type { BinView } from '../../api/model';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { CopyButton } from '../../ui/CopyButton';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { requestKeys, useClearBin } from '../requests/api';
import { useRotateRelayKey, useUpdateBin } from './api';
import { BinName } from './BinName';
import { shortSetting } from './binResponse';
import { CaptureUrl } from './CaptureUrl';
import { RelayUrl } from './RelayUrl';
import { ResponsePanel } from './ResponsePanel';
import { SigningSecretsPanel } from './SigningSecretsPanel';

/**
 * The top of a bin's page: its name, capture and relay URLs, and what can be done to it — signing secrets (a panel
 * the detail's Auth panel can open too, hence `settingsOpen` from the page), what capture answers, clearing it.
 * `bin` is undefined while it loads.
 */
export function BinHeader({
  binId,
  bin,
  settingsOpen,
  onSettingsOpen,
}: {
  binId: string;
  bin: BinView | undefined;
  settingsOpen: boolean;
  onSettingsOpen: (open: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const [responseOpen, setResponseOpen] = useState(false);
  const update = useUpdateBin(binId);
  const rotate = useRotateRelayKey(binId);
  const clear = useClearBin(binId);

  const saveSecrets = async (signingSecrets: Record<string, string | null>) => {
    await update.mutateAsync({ signingSecrets });
    // Analysis runs on read: fetch the open request again to show what the new secret verifies.
    await queryClient.invalidateQueries({ queryKey: requestKeys.details(binId) });
  };
  const saveResponse = async (response: BinPatch['response']) => {
    await update.mutateAsync({ response });
  };

  return (
    <header className="bin-header">
      <BinName binId={binId} bin={bin} />
      {bin && (
        <p className="capture">
          <CaptureUrl testId="bin-capture-url" url={bin.captureUrl} />
          <CopyButton text={() => bin.captureUrl} label="Copy URL" testId="bin-copy-url" />
        </p>
      )}
      {bin?.relayUrl && <RelayUrl url={bin.relayUrl} onRotate={() => rotate.mutate()} />}
      <div className="toolbar">
        <button type="button" className="button small" onClick={() => onSettingsOpen(!settingsOpen)} data-testid="open-settings" aria-expanded={settingsOpen}>
          Signing secrets{bin && bin.signingSecrets.length > 0 ? ` (${bin.signingSecrets.length})` : ''}
        </button>
        <button type="button" className="button small" onClick={() => setResponseOpen((open) => !open)} data-testid="open-response" aria-expanded={responseOpen}>
          Response: {bin ? shortSetting(bin.response) : '…'}
        </button>
        <ConfirmButton label="Clear bin" confirmLabel="Delete all requests" onConfirm={() => clear.mutate()} testId="clear-bin" />
      </div>
      {settingsOpen && bin && <SigningSecretsPanel configured={bin.signingSecrets} onSave={saveSecrets} onClose={() => onSettingsOpen(false)} />}
      {responseOpen && bin && <ResponsePanel response={bin.response} onSave={saveResponse} onClose={() => setResponseOpen(false)} />}
      <ErrorMessage error={rotate.error ?? clear.error} />
    </header>
  );
}
