import { redactCredentials } from '../../shared/auth';
import type { CaptureTarget } from './target';

const MAX_LOGGED_TARGET = 300;

/**
 * `#12 POST /b/bin/path?query → 200`: the sub-path and query (and the bin id of a capture that was not stored)
 * with credential values redacted (the same redaction
 * as --redact-secrets: tokens in path segments and matrix parameters, credential query parameters), control
 * characters escaped so that a sender cannot write to the terminal, and the target cut at 300 characters. Headers
 * are never logged, nor the scheme and authority of an absolute-form target (its user-info may hold a password).
 */
export function captureLogLine(id: number | null, method: string | undefined, target: CaptureTarget | null, status: number): string {
  let shown = '/b/?';
  if (target) {
    // A stored capture's bin exists, so its id is ours; any other (404s) is only what the sender wrote, and is
    // redacted with the path.
    const route = id === null ? `/${target.binId}` : '';
    let path = `${route}${target.path === '/' && route !== '' ? '' : target.path}`;
    let query = target.query;
    // The hot path: most captures have neither a sub-path nor a query, and then there is nothing to scan.
    if (path !== '/' || query !== '') {
      const redacted = redactCredentials({ headers: [], query, path });
      path = redacted.path ?? path;
      query = redacted.query;
    }
    const rest = id === null ? path : `/${target.binId}${path === '/' ? '' : path}`;
    shown = `/b${rest}${target.query === '' ? '' : `?${query}`}`;
  }
  if (shown.length > MAX_LOGGED_TARGET) shown = `${shown.slice(0, MAX_LOGGED_TARGET)}…`;
  // eslint-disable-next-line no-control-regex
  shown = shown.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${id === null ? '' : `#${id} `}${method ?? '?'} ${shown} → ${status}`;
}

/**
 * A log that writes the lines of one turn of the event loop together: a burst of captures costs one write to the
 * terminal (a synchronous system call for a file or pipe) instead of one per capture. Lines keep their order.
 */
export function batchedLog(write: (text: string) => void): (line: string) => void {
  let lines: string[] = [];
  const flush = (): void => {
    const text = `${lines.join('\n')}\n`;
    lines = [];
    write(text);
  };
  return (line) => {
    if (lines.length === 0) setImmediate(flush);
    lines.push(line);
  };
}
