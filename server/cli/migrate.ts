import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { BinRecord, FullRequestRecord } from '../store';
import { openPostgresStore, type PostgresStore } from '../store/postgres';
import type { BinResponse } from '../../shared/types';
import { newRelayKey, toFullRequest, type RequestRow } from '../store/rows';
import { holdDatabase, lockFileOf } from '../store/sqlite/database';
import { withoutPassword } from '../store/url';

/** Requests per copy transaction, and the body bytes that cut a batch short. */
const BATCH_ROWS = 500;
const BATCH_BYTES = 32 * 1024 * 1024;
/** Set in PostgreSQL by the first run: its requests up to `lastId` are copies, so a re-run resumes among them. */
const MARKER = 'migrated_from_sqlite';

/**
 * Copies an embedded (SQLite) database into PostgreSQL, keeping request ids: bins with their names, times and
 * signing secrets, every request (bodies byte for byte), and the settings (token hash, session key). The SQLite file
 * is only read. Each batch is one transaction, in id order, so an interrupted run leaves a prefix; running again
 * copies only what is missing (what PostgreSQL already has stays as it is, bins deleted there come back) and
 * resumes after the last request copied. Ids PostgreSQL hands out afterwards, and while it runs, are above every
 * SQLite id. Rejects when the file is missing, locked by a running hooklens or not a hooklens database, when
 * PostgreSQL already holds other requests under the ids to copy, or when either database fails.
 * `log` receives progress lines and a summary.
 */
export async function migrateSqliteToPostgres(from: string, to: string, log: (line: string) => void): Promise<{ bins: number; requests: number }> {
  const lock = holdSource(from);
  let sqlite: Database.Database;
  try {
    sqlite = openSource(from);
  } catch (err) {
    lock?.close();
    throw err;
  }
  try {
    const source = readSummary(sqlite, from);
    const store = await openPostgresStore(to);
    try {
      return await copy(sqlite, source, store, withoutPassword(to), log);
    } finally {
      await store.close();
    }
  } finally {
    sqlite.close();
    lock?.close();
  }
}

/**
 * Holds the lock a running hooklens holds on the file (database.ts), for the copy's length: the copy must not miss
 * captures made while it runs. Null for a file no hooklens of this version has opened (it has no lock file).
 */
function holdSource(file: string): Database.Database | null {
  if (!existsSync(lockFileOf(file))) return null;
  try {
    return holdDatabase(file);
  } catch (err) {
    throw sourceError(file, 'open', err);
  }
}

/** Why the source cannot be used: in use by a running hooklens (SQLite says busy), or what SQLite said. */
function sourceError(file: string, doing: 'open' | 'read', err: unknown): Error {
  if ((err as { code?: unknown }).code === 'SQLITE_BUSY') {
    return new Error(`${file} is in use by a running hooklens: stop it, then run migrate again`, { cause: err });
  }
  return new Error(`cannot ${doing} the SQLite database ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

function openSource(file: string): Database.Database {
  if (file === ':memory:' || !existsSync(file)) throw new Error(`no SQLite database at ${file}`);
  try {
    // A database being written may be busy a moment (a checkpoint): wait that long, not longer.
    return new Database(file, { readonly: true, fileMustExist: true, timeout: 500 });
  } catch (err) {
    throw sourceError(file, 'open', err);
  }
}

/** What the copy needs to know up front; throws when the file is locked or not a hooklens database. */
function readSummary(db: Database.Database, file: string): { lastId: number; bins: number; requests: number } {
  try {
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    if (!['bins', 'requests', 'settings'].every((t) => tables.has(t))) throw new Error(`${file} is not a hooklens database`);
    const maxId = (db.prepare('SELECT max(id) FROM requests').pluck().get() as number | null) ?? 0;
    // The largest id ever handed out, deleted or not: a viewer's `after` cursor may point there.
    const handedOut = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'requests'").pluck().get() as number | undefined) ?? 0;
    return {
      lastId: Math.max(maxId, handedOut),
      bins: db.prepare('SELECT count(*) FROM bins').pluck().get() as number,
      requests: db.prepare('SELECT count(*) FROM requests').pluck().get() as number,
    };
  } catch (err) {
    throw sourceError(file, 'read', err);
  }
}

async function copy(
  sqlite: Database.Database, source: { lastId: number; bins: number; requests: number }, store: PostgresStore, target: string,
  log: (line: string) => void,
): Promise<{ bins: number; requests: number }> {
  log(`migrate: ${source.bins} bins and ${source.requests} requests in the SQLite database; copying into ${target}`);
  const marker = await store.getSetting(MARKER);
  const resumed = marker !== null;
  const alreadyThere = await store.largestRequestId(source.lastId);
  if (!resumed && alreadyThere > 0) {
    throw new Error(`${target} already holds requests with ids up to ${alreadyThere} that did not come from a migration: migrate into a database no hooklens has captured into`);
  }
  // Copies are at or below the first run's last id. Above it, PostgreSQL's own captures and any the SQLite file took
  // after that run would share ids: copying those under their ids is impossible, and skipping them silently wrong.
  const copiedThrough = resumed ? (JSON.parse(marker) as { lastId: number }).lastId : 0;
  if (resumed && alreadyThere > copiedThrough) {
    throw new Error(`the SQLite database took requests after the first migration (ids up to ${source.lastId}), and ${target} ` +
      `has captured its own since under the same ids (up to ${alreadyThere}): they cannot be copied with their ids; nothing was copied`);
  }
  // First, so that captures PostgreSQL takes meanwhile get ids above the ones being copied.
  await store.reserveIdsUpTo(source.lastId);
  await store.setSetting(MARKER, JSON.stringify({ lastId: Math.max(source.lastId, copiedThrough) }));

  const bins = (sqlite.prepare('SELECT * FROM bins ORDER BY rowid').all() as
    { id: string; name: string; created_at: number; signing_secrets: string; response?: string | null; relay_key?: string | null }[])
    .map((row): BinRecord => ({
      id: row.id, name: row.name, createdAt: row.created_at, requestCount: 0, lastRequestAt: null,
      signingSecrets: JSON.parse(row.signing_secrets) as Record<string, string>,
      // A file of an older schema has no response or relay key: the default answer and a new key.
      response: row.response ? JSON.parse(row.response) as BinResponse : null,
      relayKey: row.relay_key ?? newRelayKey(),
    }));
  let binsCopied = 0;
  for (let i = 0; i < bins.length; i += BATCH_ROWS) binsCopied += await store.importBins(bins.slice(i, i + BATCH_ROWS));
  log(`migrate: bins: ${binsCopied} copied, ${bins.length - binsCopied} already there`);

  const settings = sqlite.prepare('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[];
  const settingsCopied = await store.importSettings(settings);
  const kept = settings.map((s) => s.key).filter((key) => !settingsCopied.includes(key));
  log(`migrate: settings: ${settingsCopied.length} copied${settingsCopied.length ? ` (${settingsCopied.join(', ')})` : ''}` +
    `${kept.length ? `, ${kept.length} already set in PostgreSQL and kept (${kept.join(', ')})` : ''}`);
  // Signed-out sessions stay signed out: the session key travels with the settings.
  const hasRevoked = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'revoked_sessions'").get() !== undefined;
  const revoked = hasRevoked ? sqlite.prepare('SELECT digest, expires_at AS expiresAt FROM revoked_sessions').all() as { digest: string; expiresAt: number }[] : [];
  for (const { digest, expiresAt } of revoked) await store.revokeSession(digest, expiresAt, Date.now());

  let cursor = resumed ? alreadyThere : 0;
  const toCopy = sqlite.prepare('SELECT count(*) FROM requests WHERE id > ?').pluck().get(cursor) as number;
  if (cursor > 0) log(`migrate: resuming after request ${cursor}: ${toCopy} left to copy`);
  const read = sqlite.prepare('SELECT * FROM requests WHERE id > ? ORDER BY id');
  let copied = 0;
  let seen = 0;
  let batches = 0;
  for (;;) {
    const batch: FullRequestRecord[] = [];
    let bytes = 0;
    for (const row of read.iterate(cursor) as IterableIterator<RequestRow>) {
      const request = toFullRequest(row);
      batch.push(request);
      bytes += request.body.length;
      if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) break;
    }
    if (batch.length === 0) break;
    copied += await store.importRequests(batch);
    seen += batch.length;
    cursor = batch[batch.length - 1].id;
    if (++batches % 10 === 0 || seen === toCopy) log(`migrate: requests: ${seen} of ${toCopy} read, ${copied} copied (up to id ${cursor})`);
  }
  await store.reserveIdsUpTo(source.lastId);
  log(`migrate: done: ${binsCopied} bins, ${copied} requests and ${settingsCopied.length} settings copied` +
    `${seen > copied ? ` (${seen - copied} requests were already there or their bin is gone)` : ''}; new request ids start above ${source.lastId}`);
  return { bins: binsCopied, requests: copied };
}
