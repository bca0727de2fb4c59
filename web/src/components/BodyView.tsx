import { useMemo, useState } from 'react';
import type { CapturedBody } from '../../../shared/types';
import { base64ToBytes, formatSize, hexDump } from '../lib/bytes';
import { prettyJson } from '../lib/json';

type BodyMode = 'pretty' | 'text' | 'hex';

/** Hex dumps past this many bytes would stall the page; the download link has the rest. */
const HEX_LIMIT = 64 * 1024;

function decodeBytes(base64: string): Uint8Array {
  try {
    return base64ToBytes(base64);
  } catch {
    return new Uint8Array(0);
  }
}

/**
 * A request body: pretty JSON when it parses (the raw text stays one click away), text when it is UTF-8, and a
 * hex dump always (the only view for binary). Says when the body was truncated at capture.
 */
export function BodyView({ body, size }: { body: CapturedBody; size: number }) {
  const pretty = useMemo(() => (body.text === null ? null : prettyJson(body.text)), [body.text]);
  const modes: BodyMode[] = [...(pretty !== null ? (['pretty'] as const) : []), ...(body.text !== null ? (['text'] as const) : []), 'hex'];
  const [mode, setMode] = useState<BodyMode>(modes[0]);
  const shown = modes.includes(mode) ? mode : modes[0];
  const bytes = useMemo(() => (shown === 'hex' ? decodeBytes(body.base64) : null), [shown, body.base64]);

  if (size === 0 && body.base64 === '') return <p className="muted" data-testid="body-empty">No body.</p>;

  return (
    <div className="body-view">
      {body.truncated && (
        <p className="notice warning" data-testid="body-truncated">
          The body was larger than the server's limit and was truncated at capture: {formatSize(size)} announced or received, only the first bytes were
          stored.
        </p>
      )}
      <div className="tabs" role="tablist">
        {modes.map((candidate) => (
          <button
            key={candidate}
            type="button"
            role="tab"
            aria-selected={candidate === shown}
            className={candidate === shown ? 'tab selected' : 'tab'}
            onClick={() => setMode(candidate)}
            data-testid={`body-tab-${candidate}`}
          >
            {candidate === 'pretty' ? 'Pretty JSON' : candidate === 'text' ? 'Raw text' : 'Hex'}
          </button>
        ))}
      </div>
      <pre className="body mono" data-testid="body-content" data-mode={shown}>
        {shown === 'pretty' ? pretty : shown === 'text' ? body.text : hexDump(bytes ?? new Uint8Array(0), HEX_LIMIT)}
      </pre>
      {shown === 'hex' && (bytes?.length ?? 0) > HEX_LIMIT && <p className="muted">Showing the first {formatSize(HEX_LIMIT)}; download the body for all of it.</p>}
    </div>
  );
}
