import { useEffect, useState } from 'react';
import { formatSize, hexDump } from '../../../../lib/bytes';
import { prettyJson } from '../../../../lib/json';
import { Visible } from '../../../../ui/Visible';
import type { Coding, Decompressed } from './decompress';
import { decompress, DECOMPRESSED_LIMIT } from './decompress';

const HEX_LIMIT = 64 * 1024;

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * A Content-Encoding'd body decoded in the browser (by the server for what the browser cannot: br), beside the size of the bytes received (the hex view keeps those):
 * pretty JSON when the decoded text is JSON, else the text, else a hex dump of the decoded bytes. Says why when the
 * bytes cannot be decoded (corrupt, or br where the browser has no brotli decoder).
 */
export function DecompressedView({ bytes, coding, fromServer }: {
  bytes: Uint8Array;
  coding: Coding;
  /** Asks the server to decode, for what this browser cannot (br). */
  fromServer?: () => Promise<Decompressed>;
}) {
  const [done, setDone] = useState<{ bytes: Uint8Array; coding: Coding; result: Decompressed } | null>(null);
  const result = done !== null && done.bytes === bytes && done.coding === coding ? done.result : null;
  useEffect(() => {
    let current = true;
    void decompress(bytes, coding)
      .then((decoded) => ('error' in decoded && fromServer ? fromServer() : decoded))
      .then((decoded) => {
        if (current) setDone({ bytes, coding, result: decoded });
      });
    return () => {
      current = false;
    };
  }, [bytes, coding, fromServer]);

  if (result === null) return <p className="muted">Decoding {coding}…</p>;
  if ('error' in result) {
    return (
      <p className="notice warning" data-testid="decompressed-error">
        Cannot decode the {formatSize(bytes.length)} received as {coding}: <Visible text={result.error} />
      </p>
    );
  }
  const text = utf8(result.bytes);
  const pretty = text === null ? null : prettyJson(text);
  return (
    <div className="decompressed">
      <p className="muted" data-testid="decompressed-sizes" data-raw-bytes={bytes.length} data-decoded-bytes={result.bytes.length}>
        {coding}: {formatSize(bytes.length)} received, {formatSize(result.bytes.length)} decoded
        {result.cut && ` (stopped at ${formatSize(DECOMPRESSED_LIMIT)})`}
        {pretty !== null ? ', JSON' : text === null ? ', not UTF-8 text' : ''}; the hex view shows the bytes received.
      </p>
      <pre className="body mono" data-testid="decompressed-content">
        {text === null ? hexDump(result.bytes, HEX_LIMIT) : <Visible text={pretty ?? text} />}
      </pre>
    </div>
  );
}
