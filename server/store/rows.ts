/** The tables' rows as both adapters read them (the same columns on SQLite and PostgreSQL), and their records. */
import { randomBytes } from 'node:crypto';
import type { BinResponse, Delivery, HeaderPair, SignatureStatus } from '../../shared/types';
import { INDEXED_BODY_BYTES, type SearchSource } from '../search/words';
import { storedCredentialKinds } from './derive';
import {
  NotFoundError, type BinRecord, type FullRequestRecord, type NewRequest, type RequestRecord, type StoredColumns, type StoredRequest,
} from './port';

export interface BinRow {
  id: string;
  name: string;
  created_at: number;
  signing_secrets: string;
  request_count: number;
  last_request_at: number | null;
  response: string | null;
  relay_key: string;
}

/** A new relay key: 192 random bits, URL-safe. */
export function newRelayKey(): string {
  return randomBytes(24).toString('base64url');
}

/** A request row; SQLite has no boolean type and answers 0 or 1 where PostgreSQL answers false or true. */
export interface RequestRow {
  id: number;
  bin_id: string;
  received_at: number;
  method: string;
  url: string;
  path: string;
  query: string;
  http_version: string;
  headers: string;
  content_type: string | null;
  size: number;
  truncated: boolean | number;
  body_sha256: string;
  remote_address: string;
  remote_port: number | null;
  secure: boolean | number;
  auth_label: string | null;
  credentials: string | null;
  trailers: string | null;
  status: number;
  handshake: string | null;
  delivery_provider: string | null;
  delivery_id: string | null;
  delivery_attempt: number | null;
  /** Space-separated; '' when none; NULL for a row stored before kinds were kept (absent from older files). */
  credential_kinds?: string | null;
  signature?: SignatureStatus | null;
  provider?: string | null;
  body?: Buffer;
}

/**
 * What a request takes in the database, as the global cap (--max-stored) counts it: the bytes of its body, its
 * headers and trailers as stored (JSON: `headersJson`, `trailersJson`), its target, path and query, and its stored
 * credential analysis. (The fixed-size columns and indexes are left out: a few dozen bytes a row.)
 */
export function storedBytes(
  request: Pick<FullRequestRecord, 'body' | 'url' | 'path' | 'query' | 'credentials'>,
  headersJson: string,
  trailersJson: string | null,
): number {
  return request.body.length + Buffer.byteLength(headersJson) + Buffer.byteLength(request.url) + Buffer.byteLength(request.path)
    + Buffer.byteLength(request.query) + Buffer.byteLength(request.credentials ?? '') + Buffer.byteLength(trailersJson ?? '');
}

/**
 * The record of a request as written (`row`: the request and its derived columns), without its body: what lists and
 * the live stream get. Built field by field: a copy of the row by spread or rest would cost V8 µs per capture.
 */
export function recordOf(row: NewRequest & Omit<StoredColumns, 'deliveryKey'>, id: number, delivery: Delivery | null): RequestRecord {
  return {
    id, binId: row.binId, receivedAt: row.receivedAt, method: row.method, url: row.url, path: row.path, query: row.query,
    httpVersion: row.httpVersion, headers: row.headers, ...(row.trailers ? { trailers: row.trailers } : {}),
    contentType: row.contentType, size: row.size, truncated: row.truncated, bodySha256: row.bodySha256,
    remoteAddress: row.remoteAddress, remotePort: row.remotePort, secure: row.secure, authLabel: row.authLabel,
    credentials: row.credentials, status: row.status, handshake: row.handshake, delivery, credentialKinds: row.credentialKinds,
    signature: row.signature, provider: row.provider,
  };
}

/** A bin's columns, with the time of its newest request. */
export const BIN_COLUMNS = `b.id, b.name, b.created_at, b.signing_secrets, b.request_count, b.response, b.relay_key,
  (SELECT received_at FROM requests r WHERE r.bin_id = b.id ORDER BY r.id DESC LIMIT 1) AS last_request_at`;

/** A request's columns but its body. */
export const SUMMARY_COLUMNS = `id, bin_id, received_at, method, url, path, query, http_version, headers, content_type,
  size, truncated, body_sha256, remote_address, remote_port, secure, auth_label, credentials, trailers, status, handshake,
  delivery_provider, delivery_id, delivery_attempt, credential_kinds, signature, provider`;

export function toBin(row: BinRow): BinRecord {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    requestCount: row.request_count,
    lastRequestAt: row.last_request_at,
    signingSecrets: JSON.parse(row.signing_secrets) as Record<string, string>,
    response: row.response === null ? null : JSON.parse(row.response) as BinResponse,
    relayKey: row.relay_key,
  };
}

export function toRequest(row: RequestRow): RequestRecord {
  return {
    id: row.id,
    binId: row.bin_id,
    receivedAt: row.received_at,
    method: row.method,
    url: row.url,
    path: row.path,
    query: row.query,
    httpVersion: row.http_version,
    headers: JSON.parse(row.headers) as HeaderPair[],
    contentType: row.content_type,
    size: row.size,
    truncated: Boolean(row.truncated),
    bodySha256: row.body_sha256,
    remoteAddress: row.remote_address,
    remotePort: row.remote_port,
    secure: Boolean(row.secure),
    authLabel: row.auth_label,
    credentials: row.credentials,
    // Absent from files of an older schema that `hooklens migrate` reads as they are.
    ...(row.trailers ? { trailers: JSON.parse(row.trailers) as HeaderPair[] } : {}),
    status: row.status ?? 200,
    handshake: row.handshake ?? null,
    delivery: row.delivery_id ? { provider: row.delivery_provider!, id: row.delivery_id, attempt: row.delivery_attempt ?? 1 } : null,
    credentialKinds: row.credential_kinds ? row.credential_kinds.split(' ') : [],
    signature: row.signature ?? null,
    provider: row.provider ?? null,
  };
}

/** Credential kinds as a column: space-separated, '' for none. */
export function kindsColumn(kinds: readonly string[]): string {
  return kinds.join(' ');
}

/** A row read with its body (an empty one when the column was not read). */
export function toFullRequest(row: RequestRow): FullRequestRecord {
  return { ...toRequest(row), body: row.body ?? Buffer.alloc(0) };
}

/**
 * The answers of insertRequests, in the requests' order, as one insert after the other would give them: a request
 * whose bin is missing (not in `counts`) gets NotFoundError; each stored one (`stored`: records of recordOf, in
 * order, the missing ones left out; each becomes its answer) reports the ids its own insert pushed out of its bin.
 * `counts` holds each bin's count before the batch, `evicted` each bin's removed ids, oldest first; both are used up.
 */
export function storedResults(
  requests: readonly NewRequest[],
  counts: Map<string, number>,
  stored: readonly RequestRecord[],
  evicted: Map<string, number[]>,
  maxRequests: number,
): (StoredRequest | Error)[] {
  let next = 0;
  return requests.map((request): StoredRequest | Error => {
    if (!counts.has(request.binId)) return new NotFoundError(`no such bin: ${request.binId}`);
    const record = stored[next++];
    const count = counts.get(request.binId)! + 1;
    const pushedOut = evicted.get(request.binId)?.splice(0, Math.max(0, count - maxRequests)) ?? [];
    counts.set(request.binId, count - pushedOut.length);
    return Object.assign(record, { evicted: pushedOut });
  });
}

/** Body bytes a recheck of signatures reads at once, at most (a single larger body is read alone). */
const RECHECK_BYTES = 32 * 1024 * 1024;

/**
 * The last id of the rows a recheck reads together: as many of `sizes` (in id order) as fit in RECHECK_BYTES of
 * bodies, at least one; null when there are none.
 */
export function recheckThrough(sizes: readonly { id: number; bytes: number | string }[]): number | null {
  let bytes = 0;
  let through: number | null = null;
  for (const row of sizes) {
    bytes += Number(row.bytes);
    if (through !== null && bytes > RECHECK_BYTES) break;
    through = row.id;
  }
  return through;
}

/** What an index is built from, as both engines read it back (`INDEX_COLUMNS`): only the body's indexed bytes. */
export interface IndexRow {
  id: number;
  bin_id: string;
  method: string;
  url: string;
  path: string;
  query: string;
  headers: string;
  content_type: string | null;
  body: Buffer | null;
  credential_kinds: string | null;
  credentials: string | null;
  secure: boolean | number;
  received_at: number;
}

/** The columns of an IndexRow, `substr` being each engine's function for the first bytes of a blob. */
export function indexColumns(substr: 'substr' | 'substring'): string {
  return `id, bin_id, method, url, path, query, headers, content_type, ${substr}(body, 1, ${INDEXED_BODY_BYTES}) AS body,
    credential_kinds, credentials, secure, received_at`;
}

/** A stored row as the index reads it; the credential kinds of a row stored before they were kept are decoded again. */
export function searchSourceOf(row: IndexRow): SearchSource {
  const headers = JSON.parse(row.headers) as HeaderPair[];
  const credentialKinds = row.credential_kinds !== null
    ? (row.credential_kinds === '' ? [] : row.credential_kinds.split(' '))
    : storedCredentialKinds({ headers, query: row.query, path: row.path, url: row.url, secure: Boolean(row.secure),
      receivedAt: row.received_at, credentials: row.credentials });
  return {
    binId: row.bin_id, method: row.method, path: row.path, query: row.query, headers, contentType: row.content_type,
    body: row.body ?? Buffer.alloc(0), credentialKinds,
  };
}
