/** The statements every writer of requests shares: locking bins, taking ids, inserting rows. */
import type pg from 'pg';
import { NotFoundError, type BinRecord, type FullRequestRecord } from '../port';
import { BIN_COLUMNS, storedBytes, toBin, type BinRow } from '../rows';

/** The columns a stored request is written with, in the order `requestValues` lists them. */
const INSERT_COLUMNS = `id, bin_id, received_at, method, url, path, query, http_version, headers, content_type, size,
  truncated, body, body_sha256, remote_address, remote_port, secure, auth_label, credentials, stored_bytes, trailers`;
const INSERT_WIDTH = 21;
/** Rows per INSERT statement: PostgreSQL takes at most 65535 parameters. */
const INSERT_CHUNK = 1_000;

/** One row's parameters, in INSERT_COLUMNS order. */
function requestValues(r: FullRequestRecord): unknown[] {
  const headers = JSON.stringify(r.headers);
  return [r.id, r.binId, r.receivedAt, r.method, r.url, r.path, r.query, r.httpVersion, headers,
    r.contentType, r.size, r.truncated, r.body, r.bodySha256, r.remoteAddress, r.remotePort, r.secure, r.authLabel,
    r.credentials, storedBytes(r, headers), r.trailers ? JSON.stringify(r.trailers) : null];
}

/** `($1, ..., $21), ($22, ...)` for `rows` rows. */
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
