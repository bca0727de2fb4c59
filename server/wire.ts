import { isUtf8 } from 'node:buffer';
import type { Writable } from 'node:stream';
import type { Analysis, Bin, CapturedRequest, HeaderPair, LiveRequest, RequestSummary } from '../shared/types';
import type { BinRecord, FullRequestRecord, RequestRecord } from './store';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The wire Bin: the providers that have a signing secret, never the values. */
export function toWireBin(bin: BinRecord, captureBase: string): Bin {
  return {
    id: bin.id,
    name: bin.name,
    createdAt: iso(bin.createdAt),
    captureUrl: `${captureBase}/b/${bin.id}`,
    requestCount: bin.requestCount,
    lastRequestAt: bin.lastRequestAt === null ? null : iso(bin.lastRequestAt),
    signingSecrets: Object.keys(bin.signingSecrets).sort(),
    response: bin.response,
    relayUrl: `${captureBase}/relay/${bin.relayKey}`,
  };
}

export function toSummary(r: RequestRecord): RequestSummary {
  const summary: RequestSummary = {
    id: r.id,
    binId: r.binId,
    receivedAt: iso(r.receivedAt),
    method: r.method,
    path: r.path,
    query: r.query,
    contentType: r.contentType,
    size: r.size,
    remoteAddress: r.remoteAddress,
    authLabel: r.authLabel,
    signature: r.signature,
    status: r.status,
  };
  if (r.credentials !== null) summary.redacted = true;
  if (r.handshake !== null) summary.handshake = r.handshake;
  if (r.delivery !== null) summary.delivery = r.delivery;
  return summary;
}

/** What the live stream sends: the summary and the headers, never the body. */
export function toLiveRequest(r: RequestRecord): LiveRequest {
  return { ...toSummary(r), headers: readableHeaders(r.headers) };
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Header values as a person reads them. Node hands header bytes over as Latin-1 (one character a byte, so the store
 * and /raw keep the exact bytes); a value whose bytes are valid UTF-8 (`café` sent as UTF-8) is shown decoded.
 */
export function readableHeaders(headers: HeaderPair[]): HeaderPair[] {
  if (!headers.some(([, value]) => NON_ASCII.test(value))) return headers;
  return headers.map(([name, value]): HeaderPair => {
    if (!NON_ASCII.test(value)) return [name, value];
    const bytes = Buffer.from(value, 'latin1');
    return [name, isUtf8(bytes) ? bytes.toString('utf8') : value];
  });
}

/**
 * The request as received, for `/raw`: the request line, the header lines in order and case, a blank line, the body
 * bytes. Header values hold the bytes as Node read them (latin1), so latin1 writes them back unchanged.
 */
export function rawMessage(r: FullRequestRecord): Buffer {
  const head = [`${r.method} ${r.url} HTTP/${r.httpVersion}`, ...r.headers.map(([n, v]) => `${n}: ${v}`)];
  return Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), r.body]);
}

/**
 * Bytes of the body per piece written: a multiple of 3, so that the base64 pieces join without padding between,
 * and small enough that each piece's strings die young (large ones would wait for a full collection).
 */
const BODY_PIECE = 48 * 1024;

/**
 * Writes a CapturedRequest as JSON to `out`, the body's base64 and text a piece at a time: a body of --max-body's
 * largest size never becomes one string of the whole (text escaped by JSON can take 6 characters a byte), and what
 * waits for a slow reader stays a piece. Resolves once written, or when `out` closes first.
 */
export async function writeCapturedRequest(out: Writable, r: FullRequestRecord, analysis: Analysis): Promise<void> {
  const head: Omit<CapturedRequest, 'body'> = {
    ...toSummary(r), url: r.url, httpVersion: r.httpVersion, headers: readableHeaders(r.headers),
    ...(r.trailers ? { trailers: readableHeaders(r.trailers) } : {}), analysis,
  };
  const body: Pick<CapturedRequest['body'], 'truncated' | 'sha256'> = { truncated: r.truncated, sha256: r.bodySha256 };
  const pieces = function* (): Generator<string> {
    yield `${JSON.stringify(head).slice(0, -1)},"body":${JSON.stringify(body).slice(0, -1)},"base64":"`;
    for (let at = 0; at < r.body.length; at += BODY_PIECE) yield r.body.toString('base64', at, at + BODY_PIECE);
    if (!isUtf8(r.body)) return yield '","text":null}}';
    yield '","text":"';
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    for (let at = 0; at < r.body.length; at += BODY_PIECE) {
      yield JSON.stringify(decoder.decode(r.body.subarray(at, at + BODY_PIECE), { stream: true })).slice(1, -1);
    }
    yield `${JSON.stringify(decoder.decode()).slice(1, -1)}"}}`;
  };
  for (const piece of pieces()) {
    if (out.destroyed) return;
    if (!out.write(piece)) await drained(out);
  }
  out.end();
}

/** Resolves when `out` can take more, or has closed. */
export function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done).off('close', done);
      resolve();
    };
    out.on('drain', done).on('close', done);
  });
}
