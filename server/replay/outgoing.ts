/**
 * A captured request as it goes out again, to another URL: shared by server-side replay and `hooklens forward`.
 * Pure: no I/O, no node:http. It works from the stored bytes — header values are latin1 strings, one character per
 * byte as Node's rawHeaders gave them — never from the decoded strings of the JSON API.
 */
import { isHopByHop } from '../net/hop-by-hop';

/** What of a captured request goes out: the store's record, or the same fields read back from `/raw`. */
export interface CapturedMessage {
  method: string;
  /** The sub-path after /b/{binId}, as received ("/" when none). */
  path: string;
  /** The raw query string, without "?". */
  query: string;
  /** As received: order, case and duplicates; values as latin1 strings. */
  headers: ReadonlyArray<readonly [string, string]>;
  body: Buffer;
  /** The body was cut at --max-body; it goes out as stored all the same (the caller may warn). */
  truncated: boolean;
}

/** The request to send. */
export interface OutgoingRequest {
  method: string;
  /** The target URL with the captured path and query joined; for connecting and for display. */
  url: URL;
  /**
   * The request-target to put on the request line: `url`'s path and query, except that the captured sub-path and
   * query are kept byte for byte (a URL object would resolve `..` and re-encode some characters).
   */
  path: string;
  /** Flat [name, value, name, value, …] as node:http's `headers` array takes them: order and case kept. */
  headers: string[];
  body: Buffer;
}

/**
 * The captured request, addressed to `targetUrl`: the same method; the target's path, then the captured sub-path
 * unless it is "/" (one "/" between them); the target's query, then the captured one after "&"; every header in
 * order and case except hop-by-hop ones, with Host the target's and Content-Length the body's length, each where
 * the first received one stood (or Host first and Content-Length last when none was received); the body bytes as
 * stored, a truncated body too. The target URL's fragment and user-info are not sent.
 */
export function outgoingRequest(record: CapturedMessage, targetUrl: URL): OutgoingRequest {
  const basePath = targetUrl.pathname;
  const path = record.path === '/' ? basePath : basePath.replace(/\/$/, '') + record.path;
  const ownQuery = targetUrl.search.slice(1);
  const query = [ownQuery, record.query].filter((q) => q !== '').join('&');
  const requestTarget = query === '' ? path : `${path}?${query}`;

  const headers: string[] = [];
  let hostSent = false;
  let lengthSent = false;
  for (const [name, value] of record.headers) {
    const lower = name.toLowerCase();
    if (isHopByHop(lower)) continue;
    if (lower === 'host') {
      if (!hostSent) headers.push(name, targetUrl.host);
      hostSent = true;
    } else if (lower === 'content-length') {
      if (!lengthSent) headers.push(name, String(record.body.length));
      lengthSent = true;
    } else {
      headers.push(name, value);
    }
  }
  if (!hostSent) headers.unshift('Host', targetUrl.host);
  if (!lengthSent) headers.push('Content-Length', String(record.body.length));

  // Set piece by piece: resolving the joined path against the origin would read a captured "//name/…" as a host.
  const url = new URL(targetUrl.origin);
  url.pathname = path;
  url.search = query;
  return {
    method: record.method,
    url,
    path: requestTarget,
    headers,
    body: record.body,
  };
}
