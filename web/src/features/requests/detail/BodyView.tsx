import { useMemo, useState } from 'react';
import type { CapturedBody } from '../../../../../shared/types';
import { base64ToBytes, formatSize, hexDump } from '../../../lib/bytes';
import { charsetOf, decodeCharset, saysJson } from '../../../lib/contentType';
import { jsonError, prettyJson } from '../../../lib/json';
import { Visible } from '../../../ui/Visible';

type BodyMode = 'pretty' | 'text' | 'decoded' | 'hex';

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
 * A request body: pretty JSON when it parses (the raw text stays one click away), text when it is UTF-8 or, when
 * it is not, decoded with the charset its Content-Type names (if the browser knows it), and a hex dump always (the
 * only view for binary). Says when the body was truncated at capture, and why a body labelled JSON has no pretty
 * view.
 */
export function BodyView({ body, size, contentType }: { body: CapturedBody; size: number; contentType: string | null }) {
  const pretty = useMemo(() => (body.text === null ? null : prettyJson(body.text)), [body.text]);
  const notJson = useMemo(() => {
    if (!saysJson(contentType) || pretty !== null) return null;
    return body.text === null ? 'the body is not UTF-8' : jsonError(body.text);
  }, [contentType, pretty, body.text]);
  const charset = body.text === null ? charsetOf(contentType) : null;
  const decoded = useMemo(() => (charset === null ? null : decodeCharset(decodeBytes(body.base64), charset)), [charset, body.base64]);
  const modes = useMemo<BodyMode[]>(
    () => [...(pretty !== null ? (['pretty'] as const) : []), ...(body.text !== null ? (['text'] as const) : []), ...(decoded !== null ? (['decoded'] as const) : []), 'hex'],
    [pretty, body.text, decoded],
  );
  const [mode, setMode] = useState<BodyMode>(modes[0]);
  const shown = modes.includes(mode) ? mode : modes[0];
  const bytes = useMemo(() => (shown === 'hex' ? decodeBytes(body.base64) : null), [shown, body.base64]);

  if (size === 0 && body.base64 === '') return <p className="muted" data-testid="body-empty">No body.</p>;

  const tabLabel = (candidate: BodyMode) =>
    candidate === 'pretty' ? 'Pretty JSON' : candidate === 'text' ? 'Raw text' : candidate === 'decoded' ? `Text, decoded as ${charset}` : 'Hex';
  const content =
    shown === 'pretty' ? pretty : shown === 'text' ? body.text : shown === 'decoded' ? decoded : hexDump(bytes ?? new Uint8Array(0), HEX_LIMIT);

  return (
    <div className="body-view">
      {body.truncated && (
        <p className="notice warning" data-testid="body-truncated">
          The body was larger than the server's limit and was truncated at capture: {formatSize(size)} announced or received, only the first bytes were
          stored.
        </p>
      )}
      {notJson !== null && (
        <p className="muted" data-testid="body-not-json">
          not valid JSON: <Visible text={notJson} />
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
            {tabLabel(candidate)}
          </button>
        ))}
      </div>
      <pre className="body mono" data-testid="body-content" data-mode={shown}>
        {/* The hex dump is ASCII of its own making; every text view is the sender's. */}
        {shown === 'hex' || content === null ? content : <Visible text={content} />}
      </pre>
      {shown === 'hex' && (bytes?.length ?? 0) > HEX_LIMIT && <p className="muted">Showing the first {formatSize(HEX_LIMIT)}; download the body for all of it.</p>}
    </div>
  );
}
