/** The tables' rows as the store reads and writes them, and the statements every writer of requests shares. */
import type pg from 'pg';
import type { HeaderPair } from '../../../shared/types';
import { NotFoundError, type BinRecord, type FullRequestRecord, type RequestRecord } from '../port';

export interface BinRow {
  id: string;
  name: string;
  created_at: number;
  signing_secrets: string;
  request_count: number;
  last_request_at: number | null;
}

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
  truncated: boolean;
  body_sha256: string;
  remote_address: string;
  remote_port: number | null;
  secure: boolean;
  auth_label: string | null;
  credentials: string | null;
  body?: Buffer;
}

export const BIN_COLUMNS = `b.id, b.name, b.created_at, b.signing_secrets, b.request_count,
  (SELECT received_at FROM requests r WHERE r.bin_id = b.id ORDER BY r.id DESC LIMIT 1) AS last_request_at`;

export const SUMMARY_COLUMNS = `id, bin_id, received_at, method, url, path, query, http_version, headers, content_type,
  size, truncated, body_sha256, remote_address, remote_port, secure, auth_label, credentials`;

/** The columns a stored request is written with, in the order `requestValues` lists them. */
const INSERT_COLUMNS = `id, bin_id, received_at, method, url, path, query, http_version, headers, content_type, size,
  truncated, body, body_sha256, remote_address, remote_port, secure, auth_label, credentials`;
const INSERT_WIDTH = 19;
/** Rows per INSERT statement: PostgreSQL takes at most 65535 parameters. */
const INSERT_CHUNK = 1_000;


export function toBin(row: BinRow): BinRecord {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    requestCount: row.request_count,
    lastRequestAt: row.last_request_at,
    signingSecrets: JSON.parse(row.signing_secrets) as Record<string, string>,
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
    truncated: row.truncated,
    bodySha256: row.body_sha256,
    remoteAddress: row.remote_address,
    remotePort: row.remote_port,
    secure: row.secure,
    authLabel: row.auth_label,
    credentials: row.credentials,
  };
}

/** One row's parameters, in INSERT_COLUMNS order. */
function requestValues(r: FullRequestRecord): unknown[] {
  return [r.id, r.binId, r.receivedAt, r.method, r.url, r.path, r.query, r.httpVersion, JSON.stringify(r.headers),
    r.contentType, r.size, r.truncated, r.body, r.bodySha256, r.remoteAddress, r.remotePort, r.secure, r.authLabel,
    r.credentials];
}

/** `($1, ..., $19), ($20, ...)` for `rows` rows. */
function placeholders(rows: number): string {
  return Array.from({ length: rows }, (_, row) =>
    `(${Array.from({ length: INSERT_WIDTH }, (_, col) => `$${row * INSERT_WIDTH + col + 1}`).join(', ')})`).join(', ');
}

export async function readBin(client: pg.ClientBase, id: string): Promise<BinRecord> {
  const { rows } = await client.query<BinRow>(`SELECT ${BIN_COLUMNS} FROM bins b WHERE b.id = $1`, [id]);
  if (rows.length === 0) throw new NotFoundError(`no such bin: ${id}`);
  return toBin(rows[0]);
}

/**
 * Locks the rows of the bins named (those that exist), in id order, until the transaction ends; resolves with each
 * locked bin's request count. Every writer of requests calls it first: see PostgresStore.
 */
export async function lockBins(client: pg.ClientBase, binIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await client.query<{ id: string; request_count: number }>(
    'SELECT id, request_count FROM bins WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [[...new Set(binIds)]]);
  return new Map(rows.map((r) => [r.id, r.request_count]));
}

/** `n` new request ids, in increasing order. */
export async function takeIds(client: pg.ClientBase, n: number): Promise<number[]> {
  if (n === 0) return [];
  const { rows } = await client.query<{ id: number }>("SELECT nextval('requests_id_seq') AS id FROM generate_series(1, $1)", [n]);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Inserts the rows (ids included) in statements of INSERT_CHUNK rows; resolves with how many went in. */
export async function insertRows(client: pg.ClientBase, rows: readonly FullRequestRecord[], onConflict: string): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK);
    const { rowCount } = await client.query(`INSERT INTO requests (${INSERT_COLUMNS}) VALUES ${placeholders(chunk.length)} ${onConflict}`,
      chunk.flatMap(requestValues));
    inserted += rowCount ?? 0;
  }
  return inserted;
}
