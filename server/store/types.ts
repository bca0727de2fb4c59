import type { HeaderPair } from '../../shared/types';

/** Thrown when a bin or request does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** Thrown when a bin id is already taken. */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

export interface BinRecord {
  id: string;
  name: string;
  createdAt: number;
  requestCount: number;
  lastRequestAt: number | null;
  /** Provider id → secret. Never leaves the server. */
  signingSecrets: Record<string, string>;
}

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
  contentType: string | null;
  size: number;
  truncated: boolean;
  body: Buffer;
  remoteAddress: string;
  remotePort: number | null;
  secure: boolean;
  authLabel: string | null;
  /** JSON of the credential analysis, kept only when the values were redacted at capture. */
  credentials: string | null;
}

/** A stored request without its body: what lists and the live stream need. */
export interface RequestRecord extends Omit<NewRequest, 'body'> {
  id: number;
  bodySha256: string;
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
}

/** The only seam to the database. Every method is synchronous: a call that returns has committed. */
export interface Store {
  /** Throws ConflictError when the id is taken. */
  createBin(id: string, name: string, now: number): BinRecord;
  /** Throws NotFoundError. */
  getBin(id: string): BinRecord;
  hasBin(id: string): boolean;
  /** Newest first. */
  listBins(): BinRecord[];
  /** Sets the name and merges the secrets (a null value removes one). Throws NotFoundError. */
  updateBin(id: string, changes: { name?: string; signingSecrets?: Record<string, string | null> }): BinRecord;
  /** Deletes the bin and its requests. Throws NotFoundError. */
  deleteBin(id: string): void;
  /**
   * Stores requests in one transaction (one commit for all), each followed by the eviction of its bin's oldest past
   * `maxRequests`. Returns, in order, each stored record (without the body), or a NotFoundError for a request whose
   * bin was deleted meanwhile (the others are stored). Throws, storing none, when the database fails.
   */
  insertRequests(requests: readonly NewRequest[], maxRequests: number): (StoredRequest | Error)[];
  /** Newest first; `before`/`after` are exclusive id bounds. Throws NotFoundError for an unknown bin. */
  listRequests(binId: string, page: PageQuery): { requests: RequestRecord[]; hasMore: boolean };
  /** Oldest first, ids greater than `after`, at most `limit`: the live stream's backlog. */
  requestsAfter(binId: string, after: number, limit: number): RequestRecord[];
  /** Throws NotFoundError. */
  getRequest(binId: string, id: number): FullRequestRecord;
  /** Throws NotFoundError. */
  deleteRequest(binId: string, id: number): void;
  /** Removes every request of the bin. Throws NotFoundError. */
  clearBin(binId: string): void;
  /** Removes requests received before `cutoff` (ms epoch); returns which, oldest first. */
  deleteReceivedBefore(cutoff: number): { binId: string; id: number }[];
  getSetting(key: string): string | null;
  setSetting(key: string, value: string): void;
  close(): void;
  /** False once close() was called. */
  isOpen(): boolean;
}
