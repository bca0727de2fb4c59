/**
 * View types: the wire types of shared/types.ts with times as `Date`, and the functions that map one to the other.
 * Only web/src/api builds these; components receive them ready to show.
 */
import type { Bin, CapturedRequest, LiveRequest, RequestSummary } from '../../../shared/types';

/** A bin as the viewer shows it. */
export interface BinView extends Omit<Bin, 'createdAt' | 'lastRequestAt'> {
  createdAt: Date;
  lastRequestAt: Date | null;
}

/** A row of a bin's request list. */
export interface RequestSummaryView extends Omit<RequestSummary, 'receivedAt'> {
  receivedAt: Date;
}

/** Everything stored of one request, as the detail view shows it. */
export interface RequestDetailView extends Omit<CapturedRequest, 'receivedAt'> {
  receivedAt: Date;
}

/** Maps a wire `Bin`; `signingSecrets` defaults to none for a server that does not send it. */
export function toBinView(bin: Bin): BinView {
  return {
    ...bin,
    createdAt: new Date(bin.createdAt),
    lastRequestAt: bin.lastRequestAt === null ? null : new Date(bin.lastRequestAt),
    signingSecrets: bin.signingSecrets ?? [],
  };
}

/** Maps a wire summary, or a live request (its headers are dropped: the list does not need them). */
export function toSummaryView(request: RequestSummary | LiveRequest): RequestSummaryView {
  return {
    id: request.id,
    binId: request.binId,
    receivedAt: new Date(request.receivedAt),
    method: request.method,
    path: request.path,
    query: request.query,
    contentType: request.contentType,
    size: request.size,
    remoteAddress: request.remoteAddress,
    authLabel: request.authLabel,
    redacted: request.redacted,
  };
}

/** Maps a wire `CapturedRequest`. */
export function toDetailView(request: CapturedRequest): RequestDetailView {
  return { ...request, receivedAt: new Date(request.receivedAt) };
}
