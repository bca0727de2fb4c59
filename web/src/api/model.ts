/**
 * View types: the wire types of shared/types.ts with times as `Date`, and the functions that map one to the other.
 * Only web/src/api builds these; components receive them ready to show.
 */
import type { Bin, CapturedRequest, LiveRequest, RequestSummary, SignatureStatus } from '../../../shared/types';

/** A bin as the viewer shows it. */
export interface BinView extends Omit<Bin, 'createdAt' | 'lastRequestAt'> {
  createdAt: Date;
  lastRequestAt: Date | null;
}

/** A row of a bin's request list. */
export interface RequestSummaryView extends Omit<RequestSummary, 'receivedAt'> {
  receivedAt: Date;
  /** The most telling signature check (contract.md `RequestSummary.signature`); null when none, or from a server that does not say. */
  signature: SignatureStatus | null;
}

/** Everything stored of one request, as the detail view shows it. */
export interface RequestDetailView extends Omit<CapturedRequest, 'receivedAt'> {
  receivedAt: Date;
  signature: SignatureStatus | null;
}

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

/** Maps a REST `Bin`, whose `captureUrl` is absolute. `signingSecrets` defaults to none for a server that does not send it. */
export function toBinView(bin: Bin): BinView {
  return view(bin, bin.captureUrl);
}

/**
 * Where capture URLs start (e.g. `https://hooks.example.com`), read from a REST bin's absolute `captureUrl` (built
 * from --public-url or the Host this viewer uses); null for a bin whose URL does not end in its own path.
 */
export function captureBaseOf(bin: Pick<BinView, 'id' | 'captureUrl'>): string | null {
  const suffix = `/b/${bin.id}`;
  return !bin.captureUrl.startsWith('/') && bin.captureUrl.endsWith(suffix) ? bin.captureUrl.slice(0, -suffix.length) : null;
}

/**
 * Maps the `Bin` of a live `bin` message: its `captureUrl` is a path (`/b/{id}`), completed with `captureBase` (what
 * a REST answer taught, else the page's origin), so that components always get an absolute URL. An absolute
 * `captureUrl` (from an older server) is kept as it is.
 */
export function toLiveBinView(bin: Bin, captureBase: string): BinView {
  return view(bin, bin.captureUrl.startsWith('/') ? `${captureBase}${bin.captureUrl}` : bin.captureUrl);
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
    signature: request.signature ?? null,
  };
}

/** Maps a wire `CapturedRequest`. */
export function toDetailView(request: CapturedRequest): RequestDetailView {
  return { ...request, receivedAt: new Date(request.receivedAt), signature: request.signature ?? null };
}
