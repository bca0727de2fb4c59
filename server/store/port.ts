import type { BinResponse, Delivery, HeaderPair, SignatureStatus } from '../../shared/types';
import type { SearchQuery } from '../search/parse';

/** Thrown when a bin or request does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** Thrown when a bin id is already taken. */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/**
 * Thrown when the database cannot be reached (connection refused, lost, shutting down): nothing was stored. The API
 * answers 503 and capture never answers 2xx; the call may succeed once the database is back.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export interface BinRecord {
  id: string;
  name: string;
  createdAt: number;
  requestCount: number;
  lastRequestAt: number | null;
  /** Provider id → secret. Never leaves the server. */
  signingSecrets: Record<string, string>;
  /** What capture answers; null: the default. */
  response: BinResponse | null;
  /** The unguessable key of the bin's relay URL (/relay/{key}). */
  relayKey: string;
}

/** What capture needs of a bin, read on every capture (kept in memory by the stores). */
export type CaptureBin = Pick<BinRecord, 'response' | 'signingSecrets'>;

/** A request as capture hands it to the store. */
export interface NewRequest {
  binId: string;
  receivedAt: number;
  method: string;
  url: string;
  path: string;
  query: string;
  httpVersion: string;
  headers: HeaderPair[];
  /** Trailer fields after a chunked body, as received; absent when there were none. */
  trailers?: HeaderPair[];
  contentType: string | null;
  size: number;
  truncated: boolean;
  body: Buffer;
  remoteAddress: string;
  remotePort: number | null;
  secure: boolean;
  /** The HTTP status capture answers (decided before the commit: 413 for a truncated body, the bin's response…). */
  status: number;
  /** The provider whose endpoint check capture answered, e.g. "slack"; null for any other request. */
  handshake: string | null;
}

/** What the store derives from a request as it writes it (see derive.ts). */
export interface StoredColumns {
  bodySha256: string;
  authLabel: string | null;
  /** JSON of the credential analysis, kept only when the values were redacted at capture. */
  credentials: string | null;
  /** The provider's delivery id in the headers; the store counts the attempt. */
  deliveryKey: Omit<Delivery, 'attempt'> | null;
  /** The kinds of its credentials ("basic", "zendesk-api-token", …), in order found; [] when none: for `auth:`. */
  credentialKinds: string[];
  /**
   * Its most telling signature check with the bin's secrets (verify/verdict.ts), kept up to date when the bin's
   * secrets change (recheckSignatures); null when it carries no signature. For `sig:`.
   */
  signature: SignatureStatus | null;
  /** The sender its headers (or signatures) name, e.g. "zendesk"; null when none. For `provider:`. */
  provider: string | null;
}

/** How a store writes captured requests. */
export interface StoreOptions {
  /** Replace credential values before writing (--redact-secrets); the label and analysis are kept. */
  redactSecrets: boolean;
  /** --public-url, for the signature checks of URL-signing providers; absent or null: rebuilt from the headers. */
  publicUrl?: string | null;
}

/** A stored request without its body: what lists and the live stream need. */
export interface RequestRecord extends Omit<NewRequest, 'body'>, Omit<StoredColumns, 'deliveryKey'> {
  id: number;
  delivery: Delivery | null;
}

/** What storing a request answers: its record, and the ids of the bin's oldest requests it pushed out. */
export interface StoredRequest extends RequestRecord {
  evicted: number[];
}

export interface FullRequestRecord extends RequestRecord {
  body: Buffer;
}

export interface PageQuery {
  limit: number;
  before?: number;
  after?: number;
  /** Only the requests that match (see server/search); absent: all of the bin's. */
  search?: SearchQuery;
}

/** A page of a bin's requests, newest first. */
export interface RequestRecordPage {
  requests: RequestRecord[];
  /** Whether more requests within the bounds (and matching) come after the page. */
  hasMore: boolean;
  /** How many requests of the bin match the search, whatever the bounds; without one, the bin's count. */
  total: number;
}

export interface BinChanges {
  name?: string;
  /** null restores the default answer. */
  response?: BinResponse | null;
  /** A new relay key (rotation). */
  relayKey?: string;
  /** Provider id → secret; null (or "") removes one. */
  signingSecrets?: Record<string, string | null>;
}

/**
 * The only seam to the database; one adapter per engine (sqlite/, postgres/), one contract suite for both
 * (test/store/). A call whose promise resolves has committed. Any method may reject with StoreUnavailableError when
 * the database cannot be reached; then nothing was changed.
 *
 * Request ids are unique across the database and, per bin, become visible in increasing order: a reader that has
 * seen id N of a bin will never later see a smaller id of that bin appear (the live stream's guarantee rests on it).
 */
export interface Store {
  /** Which engine, for logs and /api/ready. */
  readonly engine: 'sqlite' | 'postgres';
  /** Rejects with ConflictError when the id is taken. The relay key is a new random one unless given. */
  createBin(id: string, name: string, now: number, relayKey?: string): Promise<BinRecord>;
  /** Rejects with NotFoundError. */
  getBin(id: string): Promise<BinRecord>;
  /** Rejects with NotFoundError. */
  getBinByRelayKey(key: string): Promise<BinRecord>;
  /**
   * What capture needs of the bin, or null when there is no such bin. May answer for a bin another process deleted
   * a moment ago (inserts still check), or with the setting another process changed up to a second ago.
   */
  binForCapture(id: string): Promise<CaptureBin | null>;
  /** binForCapture's answer as a yes or no. */
  hasBin(id: string): Promise<boolean>;
  /** Newest first. */
  listBins(): Promise<BinRecord[]>;
  /** Sets the name, response and relay key given, and merges the secrets. Rejects with NotFoundError. */
  updateBin(id: string, changes: BinChanges): Promise<BinRecord>;
  /** Deletes the bin and its requests. Rejects with NotFoundError. */
  deleteBin(id: string): Promise<void>;
  /**
   * Stores requests in one transaction (one commit for all), with the columns derived from each (derive.ts: the
   * credential label, redaction when the store was opened to redact), each followed by the eviction of its bin's
   * oldest past `maxRequests`. Resolves, in order, with each stored record (without the body), or a NotFoundError
   * for a request whose bin was deleted meanwhile (the others are stored). Rejects, storing none, when the database
   * fails.
   */
  insertRequests(requests: readonly NewRequest[], maxRequests: number): Promise<(StoredRequest | Error)[]>;
  /**
   * Newest first; `before`/`after` are exclusive id bounds; with `search`, only the matching requests (each
   * capture is found by the time its insert has resolved: an index kept in the background is brought up to date
   * first). Rejects with NotFoundError for an unknown bin.
   */
  listRequests(binId: string, page: PageQuery): Promise<RequestRecordPage>;
  /** Oldest first, ids greater than `after`, at most `limit`: the live stream's backlog. [] for an unknown bin. */
  requestsAfter(binId: string, after: number, limit: number): Promise<RequestRecord[]>;
  /** The largest request id of the bin, or of the whole database when the bin has none (so ids above it are new). */
  lastRequestId(binId: string): Promise<number>;
  /** Rejects with NotFoundError. */
  getRequest(binId: string, id: number): Promise<FullRequestRecord>;
  /**
   * The bins whose requests' stored signature verdicts may be out of date: their secrets changed (updateBin) since
   * the last markRechecked, or the requests were stored by a version that kept none. With the secrets' version.
   */
  binsToRecheck(): Promise<{ binId: string; version: number }[]>;
  /**
   * Recomputes the stored signature verdict and provider of up to `limit` of the bin's requests with ids above
   * `afterId` (in id order; fewer when their bodies pass 32 MB together), with the bin's secrets as they are now.
   * Resolves with the last id it read (null when none was left, or the bin is gone) and the version of the secrets
   * it used.
   */
  recheckSignatures(binId: string, afterId: number, limit: number): Promise<{ lastId: number | null; version: number }>;
  /** Notes that every request of the bin was rechecked with `version` of its secrets (nothing when they changed since). */
  markRechecked(binId: string, version: number): Promise<void>;
  /**
   * The bin's requests among `ids`, with their bodies, newest first; an id that is not one of the bin's is left out
   * (no error), and an unknown bin answers []. For exports, which read a page at a time.
   */
  getRequests(binId: string, ids: readonly number[]): Promise<FullRequestRecord[]>;
  /** How many requests the database holds, all bins together. */
  countRequests(): Promise<number>;
  /** Bytes the requests take (bodies, headers and targets), all bins together: what --max-store caps. */
  storedBytes(): Promise<number>;
  /**
   * Removes the oldest requests of the whole database, across bins, until at least `bytes` of them are gone (or
   * none is left); resolves with what it removed, oldest first.
   */
  deleteOldest(bytes: number): Promise<{ binId: string; id: number }[]>;
  /** Rejects with NotFoundError. */
  deleteRequest(binId: string, id: number): Promise<void>;
  /**
   * Removes every request of the bin; resolves with the largest id it removed (0 when the bin was empty): a request
   * with a greater id was stored after the clear. Rejects with NotFoundError.
   */
  clearBin(binId: string): Promise<number>;
  /** Removes requests received before `cutoff` (ms epoch); resolves with which, oldest first. */
  deleteReceivedBefore(cutoff: number): Promise<{ binId: string; id: number }[]>;
  /**
   * True for exactly one caller per period across every process on the database: the one that should run the
   * periodic sweep now. False when another did it less than `everyMs` before `now`.
   */
  claimSweep(now: number, everyMs: number): Promise<boolean>;
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  /** Sets the value unless the key has one; resolves with the value in force (another process's, if it won). */
  setSettingIfAbsent(key: string, value: string): Promise<string>;
  /**
   * Counts a failed sign-in for `key` and resolves with its failures within the window that ends at `now`
   * (shared by every process on the database).
   */
  recordFailure(key: string, now: number, windowMs: number): Promise<number>;
  /** Failures of `key` within the window ending at `now`. */
  failureCount(key: string, now: number, windowMs: number): Promise<number>;
  /**
   * Refuses the session whose cookie has this digest until `expiresAt` (ms), in every process on the database;
   * forgets revocations that expired before `now`.
   */
  revokeSession(digest: string, expiresAt: number, now: number): Promise<void>;
  isSessionRevoked(digest: string): Promise<boolean>;
  /**
   * Writes a consistent copy of the database to `file` while it keeps serving (SQLite's online backup). Absent on
   * PostgreSQL, whose own tools (pg_dump) back it up.
   */
  backupTo?(file: string): Promise<void>;
  /** Resolves when the database answers; rejects with StoreUnavailableError otherwise. For /api/ready. */
  ping(): Promise<void>;
  /** Closes the connections; later calls reject. */
  close(): Promise<void>;
  /** False once close() was called. */
  isOpen(): boolean;
}
