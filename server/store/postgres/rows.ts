/** The statements every writer of requests shares: locking bins, taking ids, inserting rows. */
import type pg from 'pg';
import type { Delivery } from '../../../shared/types';
import { tsvectorText } from '../../search/sql';
import { searchTokens } from '../../search/words';
import { NotFoundError, type BinRecord, type FullRequestRecord, type NewRequest, type StoredColumns } from '../port';
import { BIN_COLUMNS, kindsColumn, storedBytes, toBin, type BinRow } from '../rows';

/** The columns a stored request is written with, in the order `requestValues` lists them. */
const INSERT_COLUMNS = `id, bin_id, received_at, method, url, path, query, http_version, headers, content_type, size,
  truncated, body, body_sha256, remote_address, remote_port, secure, auth_label, credentials, stored_bytes, trailers, status,
  handshake, delivery_provider, delivery_id, delivery_attempt, credential_kinds, signature, provider, search`;
const INSERT_WIDTH = 30;
/** Rows per INSERT statement: PostgreSQL takes at most 65535 parameters. */
const INSERT_CHUNK = 1_000;

/** One row's parameters, in INSERT_COLUMNS order. */
function requestValues(r: FullRequestRecord): unknown[] {
  const headers = JSON.stringify(r.headers);
  const trailers = r.trailers ? JSON.stringify(r.trailers) : null;
  return [r.id, r.binId, r.receivedAt, r.method, r.url, r.path, r.query, r.httpVersion, headers,
    r.contentType, r.size, r.truncated, r.body, r.bodySha256, r.remoteAddress, r.remotePort, r.secure, r.authLabel,
    r.credentials, storedBytes(r, headers, trailers), trailers, r.status, r.handshake,
    r.delivery?.provider ?? null, r.delivery?.id ?? null, r.delivery?.attempt ?? null,
    kindsColumn(r.credentialKinds), r.signature, r.provider, tsvectorText(searchTokens(r))];
}

/**
 * Each request's delivery with its attempt: one more than the bin's earlier requests with the same id (those of the
 * batch included). Called while the bins are locked, so no other writer counts the same attempts.
 */
export async function countAttempts(client: pg.ClientBase, requests: readonly (NewRequest & StoredColumns)[]): Promise<(Delivery | null)[]> {
  const keyed = requests.filter((r) => r.deliveryKey !== null);
  const last = new Map<string, number>();
  const keyOf = (binId: string, provider: string, id: string): string => JSON.stringify([binId, provider, id]);
  if (keyed.length > 0) {
    const { rows } = await client.query<{ bin_id: string; delivery_provider: string; delivery_id: string; attempt: number }>(
      // For each key, the last attempt: one seek in index requests_by_delivery, however many there were.
      `SELECT DISTINCT k.bin_id, k.provider AS delivery_provider, k.id AS delivery_id,
         (SELECT r.delivery_attempt FROM requests r WHERE r.bin_id = k.bin_id AND r.delivery_id = k.id
            AND r.delivery_provider = k.provider ORDER BY r.delivery_attempt DESC LIMIT 1) AS attempt
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k(bin_id, provider, id)`,
      [keyed.map((r) => r.binId), keyed.map((r) => r.deliveryKey!.provider), keyed.map((r) => r.deliveryKey!.id)]);
    for (const row of rows) last.set(keyOf(row.bin_id, row.delivery_provider, row.delivery_id), row.attempt);
  }
  return requests.map(({ binId, deliveryKey }) => {
    if (deliveryKey === null) return null;
    const key = keyOf(binId, deliveryKey.provider, deliveryKey.id);
    const attempt = (last.get(key) ?? 0) + 1;
    last.set(key, attempt);
    return { ...deliveryKey, attempt };
  });
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

/**
 * lockBins for writers that derive columns from the bin's signing secrets: each locked bin's request count and
 * secrets (as they are until the transaction ends: updateBin takes the same lock).
 */
export async function lockBinsWithSecrets(client: pg.ClientBase, binIds: readonly string[]): Promise<Map<string, { count: number; secrets: Record<string, string> }>> {
  const { rows } = await client.query<{ id: string; request_count: number; signing_secrets: string }>(
    'SELECT id, request_count, signing_secrets FROM bins WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [[...new Set(binIds)]]);
  return new Map(rows.map((r) => [r.id, { count: r.request_count, secrets: JSON.parse(r.signing_secrets) as Record<string, string> }]));
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
