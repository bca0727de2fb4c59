import type { Analysis, Bin, CapturedRequest, LiveRequest, RequestSummary } from '../../shared/types';
import type { BinRecord, FullRequestRecord, RequestRecord } from '../store';

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
  return { ...toSummary(r), headers: r.headers };
}

/** Decodes bytes as UTF-8, or null when they are not valid UTF-8. */
export function utf8OrNull(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function toCapturedRequest(r: FullRequestRecord, analysis: Analysis): CapturedRequest {
  return {
    ...toSummary(r),
    url: r.url,
    httpVersion: r.httpVersion,
    headers: r.headers,
    body: { base64: r.body.toString('base64'), text: utf8OrNull(r.body), truncated: r.truncated, sha256: r.bodySha256 },
    analysis,
  };
}
