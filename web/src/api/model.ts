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

/**
 * Where capture URLs start (e.g. `https://hooks.example.com`), learned once from the first absolute `captureUrl` a
 * REST answer carries (built from --public-url or the Host this viewer uses); null until then.
 */
let captureBase: string | null = null;

function view(bin: Bin, captureUrl: string): BinView {
  return {
    ...bin,
    captureUrl,
    createdAt: new Date(bin.createdAt),
    lastRequestAt: bin.lastRequestAt === null ? null : new Date(bin.lastRequestAt),
    signingSecrets: bin.signingSecrets ?? [],
    response: bin.response ?? null,
    // A live message's relay URL is a path like its capture URL: completed with the same base.
    relayUrl: bin.relayUrl && captureUrl.endsWith(`/b/${bin.id}`) && bin.relayUrl.startsWith('/')
      ? `${captureUrl.slice(0, -`/b/${bin.id}`.length)}${bin.relayUrl}` : bin.relayUrl,
  };
}

/**
 * Maps a REST `Bin`, whose `captureUrl` is absolute; the first one teaches the viewer the capture base that live
 * messages' paths are completed with. `signingSecrets` defaults to none for a server that does not send it.
 */
export function toBinView(bin: Bin): BinView {
  const suffix = `/b/${bin.id}`;
  if (captureBase === null && !bin.captureUrl.startsWith('/') && bin.captureUrl.endsWith(suffix)) captureBase = bin.captureUrl.slice(0, -suffix.length);
  return view(bin, bin.captureUrl);
}

/**
 * Maps the `Bin` of a live `bin` message: its `captureUrl` is a path (`/b/{id}`), completed with the capture base
 * (the page's origin while no REST answer has taught one), so that components always get an absolute URL. An
 * absolute `captureUrl` (from an older server) is kept as it is.
 */
export function toLiveBinView(bin: Bin): BinView {
  return view(bin, bin.captureUrl.startsWith('/') ? `${captureBase ?? location.origin}${bin.captureUrl}` : bin.captureUrl);
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
    status: request.status,
    handshake: request.handshake,
    delivery: request.delivery,
  };
}

/** Maps a wire `CapturedRequest`. */
export function toDetailView(request: CapturedRequest): RequestDetailView {
  return { ...request, receivedAt: new Date(request.receivedAt) };
}
