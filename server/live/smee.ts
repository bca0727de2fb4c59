/**
 * smee.io's message format, for the relay (/relay/{key}): what its server sends on a channel's event stream and what
 * the unmodified `smee-client` turns back into a POST. Pure: no I/O.
 */
import { isUtf8 } from 'node:buffer';
import type { HeaderPair } from '../../shared/types';
import type { FullRequestRecord } from '../store';
import { isHopByHop } from '../net/hop-by-hop';

/** Bodies up to this size are relayed as smee does; a larger one is replaced by a note (see smeeEvent). */
export const RELAY_MAX_BODY = 8 * 1024 * 1024;

/** Node's `message.headers` keeps the first of these and drops the later ones. */
const FIRST_ONLY = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since',
  'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after',
  'server', 'user-agent',
]);

/**
 * The headers as smee.io's server hands them on (Node's `req.headers`): names lowercased; duplicates as Node joins
 * them — `set-cookie` an array, `cookie` joined with "; ", the single-valued ones above the first only, the others
 * joined with ", "; hop-by-hop headers left out. Values stay the latin1 strings of the bytes received, as Node gives
 * them, so that smee-client's `fetch` sends the same bytes again.
 */
export function smeeHeaders(headers: readonly HeaderPair[]): Record<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (isHopByHop(key)) continue;
    const seen = out.get(key);
    if (key === 'set-cookie') out.set(key, [...((seen as string[] | undefined) ?? []), value]);
    else if (seen === undefined) out.set(key, value);
    else if (!FIRST_ONLY.has(key)) out.set(key, `${seen as string}${key === 'cookie' ? '; ' : ', '}${value}`);
  }
  // fromEntries defines each key as data, so that a header named __proto__ stays a header.
  return Object.fromEntries(out);
}

/**
 * The body as smee's `body`: the value when the bytes are JSON (whatever the Content-Type says), else the text
 * (invalid UTF-8 replaced by U+FFFD; "" when empty). smee-client sends `JSON.stringify(body)` on, so a JSON body
 * arrives re-serialised and any other as a JSON string.
 */
export function smeeBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text !== '' && isUtf8(body)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON: the text
    }
  }
  return text;
}

/** The raw query string as an object, as smee.io's server parses it: `+` is a space, a repeated name an array. */
export function smeeQuery(query: string): Record<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(query)) {
    const seen = out.get(name);
    out.set(name, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
  }
  return Object.fromEntries(out);
}

/**
 * One capture as a Server-Sent Event: `id:` the request id (so that a client resumes with Last-Event-ID), and the
 * default event type (`message`, which smee-client forwards) carrying the headers as keys plus `body`, `query` and
 * `timestamp` (ms, when it was received), as smee.io sends them. JSON escapes every line break: one `data:` line.
 */
export function smeeEvent(record: FullRequestRecord): string {
  const event = (body: unknown): string => {
    const data = { ...smeeHeaders(record.headers), body, query: smeeQuery(record.query), timestamp: record.receivedAt };
    return `id: ${record.id}\ndata: ${JSON.stringify(data)}\n\n`;
  };
  // JSON escapes can take 6 characters a byte, for every client: past the cap, a note stands in for the body.
  if (record.body.length > RELAY_MAX_BODY) {
    return event(`[hooklens: a body of ${record.body.length} bytes is not relayed; hooklens forward sends it byte for byte]`);
  }
  try {
    return event(smeeBody(record.body));
  } catch {
    // JSON nested too deep to serialise again (JSON.parse has no depth limit, stringify runs out of stack): the text,
    // so that one capture never stops the stream for good.
    return event(record.body.toString('utf8'));
  }
}

/** smee.io's first event on a stream; `throughId` as its id: a client that reconnects resumes after it. */
export function readyEvent(throughId: number): string {
  return `id: ${throughId}\nevent: ready\ndata: {}\n\n`;
}

/** smee.io's keep-alive event (every 30 s). Without an id, so that it leaves the client's Last-Event-ID alone. */
export const PING_EVENT = 'event: ping\ndata: {}\n\n';
