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
  };
  if (r.credentials !== null) summary.redacted = true;
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
    return [name, utf8OrNull(Buffer.from(value, 'latin1')) ?? value];
  });
}

/** Decodes bytes as UTF-8, or null when they are not valid UTF-8. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8OrNull(bytes: Buffer): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

export function toCapturedRequest(r: FullRequestRecord, analysis: Analysis): CapturedRequest {
  return {
    ...toSummary(r),
    url: r.url,
    httpVersion: r.httpVersion,
    headers: readableHeaders(r.headers),
    body: { base64: r.body.toString('base64'), text: utf8OrNull(r.body), truncated: r.truncated, sha256: r.bodySha256 },
    analysis,
  };
}
