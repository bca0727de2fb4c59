import Database from 'better-sqlite3';
import type { HeaderPair } from '../../../shared/types';
import { sqliteSearch } from '../../search/sql';
import { signatureVerdict } from '../../verify/verdict';
import { deriveColumns } from '../derive';
import {
  BIN_COLUMNS, SUMMARY_COLUMNS, kindsColumn, newRelayKey, recheckThrough, recordOf, storedBytes, storedResults, toBin, toFullRequest, toRequest, type BinRow,
  type RequestRow,
} from '../rows';
import { mergeSecrets } from '../secrets';
import { checkpointOnThread, type Checkpointer } from './checkpointer';
import { openDatabase, truncateWal, type OpenDatabase } from './database';
import { SqliteSearchIndex } from './search-index';
import {
  ConflictError,
  NotFoundError,
  StoreUnavailableError,
  type BinChanges,
  type BinRecord,
  type CaptureBin,
  type FullRequestRecord,
  type NewRequest,
  type PageQuery,
  type RequestRecord,
  type RequestRecordPage,
  type Store,
  type StoreOptions,
  type StoredColumns,
  type StoredRequest,
} from '../port';

/** The columns a request is written with, given its bin as it is when the request is written (under the lock). */
export type Derive<T extends NewRequest> = (request: T, bin: CaptureBin) => NewRequest & StoredColumns;

/** The SQLite store, and what its writer process offers the server processes of --workers (server/workers/). */
export interface SqliteStore extends Store {
  /**
   * insertRequests for requests whose columns were derived elsewhere: `derive` hands back the columns to write,
   * from the request and its bin as the transaction sees it (a server process derived them with the bin's secrets
   * as it knew them).
   */
  insertDerived<T extends NewRequest>(requests: readonly T[], maxRequests: number, derive: Derive<T>): Promise<(StoredRequest | Error)[]>;
}

/**
 * Opens the SQLite store at `file` (":memory:" for tests). better-sqlite3 is synchronous, so every promise settles
 * at once, in call order: captures keep their single-writer speed, and callers are written for any engine.
 */
export function openSqliteStore(file: string, options: StoreOptions = { redactSecrets: false }): SqliteStore {
  const opened = openDatabase(file);
  try {
    return new SqliteDatabaseStore(opened, file === ':memory:' ? null : file, options.redactSecrets, options.publicUrl ?? null);
  } catch (err) {
    // The file stays free for the next try (an embedding, a test).
    opened.db.close();
    opened.lock?.close();
    throw err;
  }
}

/** Statements built for searches, kept by their SQL (a query's shape, not its values: those are parameters). */
const SEARCH_STATEMENTS = 200;

class SqliteDatabaseStore implements SqliteStore {
  readonly engine = 'sqlite';
  private readonly statements;
  private readonly insertAll: (requests: readonly NewRequest[], maxRequests: number, derive: Derive<NewRequest>) => (StoredRequest | Error)[];
  /**
   * What capture needs of each bin, kept in memory: capture asks for every request. This process is the database's
   * only writer of bins (createBin, updateBin and deleteBin keep the map), so the map stays true.
   */
  private readonly bins: Map<string, CaptureBin>;
  private readonly search: SqliteSearchIndex;
  /** The highest id the last insertAll wrote: for the search index once committed (0: none). */
  private justStored = 0;
  private readonly searchStatements = new Map<string, Database.Statement>();
  private readonly db: Database.Database;
  /** Keeps other hooklens processes off the file (database.ts): held until close. */
  private readonly lock: Database.Database | null;
  /** The WAL's checkpoints, off this thread; null for a database in memory. */
  private readonly checkpoints: Checkpointer | null;

  constructor({ db, lock }: OpenDatabase, file: string | null, private readonly redactSecrets: boolean,
    private readonly publicUrl: string | null) {
    this.db = db;
    this.lock = lock;
    this.statements = {
      getBin: db.prepare(`SELECT ${BIN_COLUMNS} FROM bins b WHERE b.id = ?`),
      binByRelayKey: db.prepare(`SELECT ${BIN_COLUMNS} FROM bins b WHERE b.relay_key = ?`),
      insertBin: db.prepare('INSERT INTO bins (id, name, created_at, relay_key) VALUES (?, ?, ?, ?)'),
      // Positional: bound from an argument list (insertAll), not from a copy of the row with 28 named properties.
      insertRequest: db.prepare(`INSERT INTO requests (bin_id, received_at, method, url, path, query, http_version,
        headers, content_type, size, truncated, body, body_sha256, remote_address, remote_port, secure, auth_label,
        credentials, stored_bytes, trailers, status, handshake, delivery_provider, delivery_id, delivery_attempt,
        credential_kinds, signature, provider)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // Retries of a delivery: the last attempt before this one, in the bin (one seek in index requests_by_delivery).
      lastAttempt: db.prepare(`SELECT delivery_attempt FROM requests
        WHERE bin_id = ? AND delivery_id = ? AND delivery_provider = ? ORDER BY delivery_attempt DESC LIMIT 1`).pluck(),
      // The counts (kept by the store for captures, by a trigger for deletes), and the oldest rows first in
      // (bin_id, id): index seeks only.
      count: db.prepare('SELECT request_count FROM bins WHERE id = ?').pluck(),
      addCount: db.prepare('UPDATE bins SET request_count = request_count + ?, stored_bytes = stored_bytes + ? WHERE id = ?'),
      storedBytes: db.prepare('SELECT coalesce(sum(stored_bytes), 0) FROM bins').pluck(),
      oldest: db.prepare('SELECT id, stored_bytes AS bytes FROM requests WHERE id > ? ORDER BY id LIMIT 500'),
      deleteThrough: db.prepare('DELETE FROM requests WHERE id <= ? RETURNING bin_id AS binId, id'),
      // The bin's oldest `excess`: up to the id `excess - 1` after its first (all of them when it has fewer). Not
      // `id IN (SELECT … LIMIT ?)`: SQLite prepares that statement again each time it runs (measured: 16 µs a batch).
      evictOldest: db.prepare(`DELETE FROM requests WHERE bin_id = @binId AND id <= coalesce(
        (SELECT id FROM requests WHERE bin_id = @binId ORDER BY id LIMIT 1 OFFSET @excess - 1),
        (SELECT max(id) FROM requests WHERE bin_id = @binId)) RETURNING id`).pluck(),
      after: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM requests WHERE bin_id = ? AND id > ? ORDER BY id LIMIT ?`),
      page: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM requests WHERE bin_id = ? AND id < ? AND id > ? ORDER BY id DESC LIMIT ?`),
      getRequest: db.prepare(`SELECT ${SUMMARY_COLUMNS}, body FROM requests WHERE bin_id = ? AND id = ?`),
      deleteRequest: db.prepare('DELETE FROM requests WHERE bin_id = ? AND id = ?'),
      clearBin: db.prepare('DELETE FROM requests WHERE bin_id = ? RETURNING id').pluck(),
      binRequests: db.prepare('SELECT id FROM requests WHERE bin_id = ?').pluck(),
      deleteBefore: db.prepare('DELETE FROM requests WHERE received_at < ? RETURNING bin_id AS binId, id'),
      getSetting: db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
      setSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      // The counts the triggers keep: no scan of the requests.
      countAll: db.prepare('SELECT coalesce(sum(request_count), 0) FROM bins').pluck(),
      addSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
      lastInBin: db.prepare('SELECT max(id) FROM requests WHERE bin_id = ?').pluck(),
      lastId: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'requests'").pluck(),
      failure: db.prepare(`INSERT INTO auth_failures (key, count, since) VALUES (@key, 1, @now)
        ON CONFLICT (key) DO UPDATE SET count = CASE WHEN since > @now - @windowMs THEN count + 1 ELSE 1 END,
          since = CASE WHEN since > @now - @windowMs THEN since ELSE @now END
        RETURNING count`).pluck(),
      failures: db.prepare('SELECT count FROM auth_failures WHERE key = @key AND since > @now - @windowMs').pluck(),
      forgetRevoked: db.prepare('DELETE FROM revoked_sessions WHERE expires_at < ?'),
      revoke: db.prepare('INSERT INTO revoked_sessions (digest, expires_at) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING'),
      isRevoked: db.prepare('SELECT 1 FROM revoked_sessions WHERE digest = ?').pluck(),
      toRecheck: db.prepare('SELECT id AS binId, secrets_version AS version FROM bins WHERE checked_version < secrets_version'),
      secretsVersion: db.prepare('SELECT secrets_version FROM bins WHERE id = ?').pluck(),
      // length() of a blob is read from the record, not the blob: the sizes first, then as many bodies as fit.
      toVerifySizes: db.prepare('SELECT id, length(body) AS bytes FROM requests WHERE bin_id = ? AND id > ? ORDER BY id LIMIT ?'),
      toVerify: db.prepare(`SELECT id, method, url, headers, body, truncated, received_at, signature, provider FROM requests
        WHERE bin_id = ? AND id > ? AND id <= ? ORDER BY id`),
      setVerdict: db.prepare('UPDATE requests SET signature = ?, provider = ? WHERE id = ?'),
      rechecked: db.prepare('UPDATE bins SET checked_version = ? WHERE id = ? AND secrets_version = ?'),
    };
    this.search = new SqliteSearchIndex(db, file);
    this.bins = new Map((db.prepare('SELECT id, response, signing_secrets, relay_key FROM bins').all() as BinRow[])
      .map((row) => [row.id, captureBin(toBin(row))]));
    // Every row in one transaction: one commit for the batch, then one count update and one eviction per bin. A request whose bin is
    // gone is answered with the error and not inserted; any other failure (disk full, ...) rolls the whole batch back
    // and is thrown.
    this.insertAll = db.transaction((requests: readonly NewRequest[], maxRequests: number, derive: Derive<NewRequest>) => {
      this.justStored = 0;
      const counts = new Map<string, number>();
      for (const { binId } of requests) {
        if (!counts.has(binId) && this.bins.has(binId)) counts.set(binId, this.statements.count.get(binId) as number);
      }
      const stored: RequestRecord[] = [];
      const bytes = new Map<string, number>();
      for (const request of requests) {
        if (!counts.has(request.binId)) continue;
        const row = derive(request, this.bins.get(request.binId)!);
        const headers = JSON.stringify(row.headers);
        const trailers = row.trailers ? JSON.stringify(row.trailers) : null;
        const size = storedBytes(row, headers, trailers);
        const key = row.deliveryKey;
        const delivery = key && {
          provider: key.provider, id: key.id,
          attempt: ((this.statements.lastAttempt.get(row.binId, key.id, key.provider) as number | null) ?? 0) + 1,
        };
        // In the order of the statement's columns. No copy of the row: V8 takes µs to copy an object this size.
        const { lastInsertRowid } = this.statements.insertRequest.run(row.binId, row.receivedAt, row.method, row.url, row.path,
          row.query, row.httpVersion, headers, row.contentType, row.size, row.truncated ? 1 : 0, row.body, row.bodySha256,
          row.remoteAddress, row.remotePort, row.secure ? 1 : 0, row.authLabel, row.credentials, size, trailers, row.status,
          row.handshake, delivery?.provider ?? null, delivery?.id ?? null, delivery?.attempt ?? null, kindsColumn(row.credentialKinds),
          row.signature, row.provider);
        const id = Number(lastInsertRowid);
        stored.push(recordOf(row, id, delivery));
        this.justStored = id;
        bytes.set(row.binId, (bytes.get(row.binId) ?? 0) + size);
      }
      const evicted = new Map<string, number[]>();
      for (const [binId, before] of counts) {
        const added = stored.filter((r) => r.binId === binId).length;
        this.statements.addCount.run(added, bytes.get(binId) ?? 0, binId);
        const excess = before + added - maxRequests;
        if (excess > 0) evicted.set(binId, (this.statements.evictOldest.all({ binId, excess }) as number[]).sort((a, b) => a - b));
      }
      return storedResults(requests, counts, stored, evicted, maxRequests);
    });
    // Last: nothing after it may throw and leave the thread running.
    this.checkpoints = file === null ? null : checkpointOnThread(db, file);
  }

  async createBin(id: string, name: string, now: number, relayKey = newRelayKey()): Promise<BinRecord> {
    if (this.bins.has(id)) throw new ConflictError(`bin id already taken: ${id}`);
    this.statements.insertBin.run(id, name, now, relayKey);
    const bin = this.readBin(id);
    this.bins.set(id, captureBin(bin));
    return bin;
  }

  async getBin(id: string): Promise<BinRecord> {
    return this.readBin(id);
  }

  async getBinByRelayKey(key: string): Promise<BinRecord> {
    const row = this.statements.binByRelayKey.get(key) as BinRow | undefined;
    if (!row) throw new NotFoundError('no such relay key');
    return toBin(row);
  }

  async hasBin(id: string): Promise<boolean> {
    return (await this.binForCapture(id)) !== null;
  }

  async binForCapture(id: string): Promise<CaptureBin | null> {
    return this.bins.get(id) ?? null;
  }

  async listBins(): Promise<BinRecord[]> {
    const rows = this.db.prepare(`SELECT ${BIN_COLUMNS} FROM bins b ORDER BY b.created_at DESC, b.rowid DESC`).all() as BinRow[];
    return rows.map(toBin);
  }

  async updateBin(id: string, changes: BinChanges): Promise<BinRecord> {
    const bin = this.readBin(id);
    const response = changes.response === undefined ? bin.response : changes.response;
    // New secrets make the stored signature verdicts of the bin's requests out of date (see binsToRecheck).
    this.db.prepare(`UPDATE bins SET name = ?, signing_secrets = ?, response = ?, relay_key = ?,
      secrets_version = secrets_version + ? WHERE id = ?`).run(
      changes.name ?? bin.name, JSON.stringify(mergeSecrets(bin.signingSecrets, changes.signingSecrets)),
      response === null ? null : JSON.stringify(response), changes.relayKey ?? bin.relayKey,
      changes.signingSecrets === undefined ? 0 : 1, id);
    const updated = this.readBin(id);
    this.bins.set(id, captureBin(updated));
    return updated;
  }

  async deleteBin(id: string): Promise<void> {
    const { changes } = await this.erasing(() => {
      // The bin's requests go with it (ON DELETE CASCADE): the index is told which, once that is done.
      const requests = this.statements.binRequests.all(id) as number[];
      const result = this.db.prepare('DELETE FROM bins WHERE id = ?').run(id);
      if (result.changes > 0) this.search.deleted(requests, true);
      // At once, not after the index's purge: a capture for it meanwhile is refused alone, not with its whole batch.
      this.bins.delete(id);
      return result;
    });
    if (changes === 0) throw new NotFoundError(`no such bin: ${id}`);
  }

  async insertRequests(requests: readonly NewRequest[], maxRequests: number): Promise<(StoredRequest | Error)[]> {
    return this.insertDerived(requests, maxRequests, (request, bin) => deriveColumns(request, {
      redactSecrets: this.redactSecrets, secrets: bin.signingSecrets, publicUrl: this.publicUrl,
    }));
  }

  async insertDerived<T extends NewRequest>(requests: readonly T[], maxRequests: number, derive: Derive<T>): Promise<(StoredRequest | Error)[]> {
    let results: (StoredRequest | Error)[];
    try {
      // Each request reaches `derive` as given.
      results = this.insertAll(requests, maxRequests, derive as Derive<NewRequest>);
      // Committed: their words go in with the index's next batch, and those they pushed out leave it.
      if (this.justStored > 0) this.search.stored(this.justStored);
      for (const result of results) if (!(result instanceof Error) && result.evicted.length > 0) this.search.deleted(result.evicted);
    } finally {
      this.justStored = 0;
    }
    return results;
  }

  async listRequests(binId: string, page: PageQuery): Promise<RequestRecordPage> {
    if (!this.bins.has(binId)) throw new NotFoundError(`no such bin: ${binId}`);
    const bounds = [page.before ?? Number.MAX_SAFE_INTEGER, page.after ?? 0];
    if (!page.search || page.search.clauses.length === 0) {
      const rows = this.statements.page.all(binId, ...bounds, page.limit + 1) as RequestRow[];
      return { ...this.pageOf(rows, page.limit), total: this.statements.count.get(binId) as number };
    }
    await this.search.catchUp();
    const { match, where, params } = sqliteSearch(binId, page.search);
    const conditions = ['r.bin_id = ?', ...where].join(' AND ');
    if (match === null) {
      const rows = this.searchStatement(`SELECT ${SUMMARY_COLUMNS} FROM requests r
        WHERE ${conditions} AND r.id < ? AND r.id > ? ORDER BY r.id DESC LIMIT ?`).all(binId, ...params, ...bounds, page.limit + 1) as RequestRow[];
      const total = this.searchStatement(`SELECT count(*) FROM requests r WHERE ${conditions}`).pluck().get(binId, ...params) as number;
      return { ...this.pageOf(rows, page.limit), total };
    }
    // One read transaction: the list of index tables and the queries of them see the same file, whatever its thread
    // commits meanwhile (a table dropped, say).
    return this.db.transaction((): RequestRecordPage => this.searchIndexed(binId, page, bounds, conditions, match, where, params))();
  }

  /**
   * A search with words (or marks) to match: the index leads (CROSS JOIN fixes the order): its rows come in id order,
   * newest first, with the bounds applied by FTS5, each joined to its request for the other terms. Led by the bin's
   * index instead, every request of the bin would be looked up in the index. One index table after the other, newest
   * first, until the page is full.
   */
  private searchIndexed(binId: string, page: PageQuery, bounds: number[], conditions: string, match: string, where: string[],
    params: unknown[]): RequestRecordPage {
    const { schema } = this.search;
    const rows: RequestRow[] = [];
    for (const t of this.search.tablesWithin(bounds[1], bounds[0])) {
      rows.push(...this.searchStatement(`SELECT ${SUMMARY_COLUMNS} FROM ${schema}.${t} AS ${t} CROSS JOIN requests r ON r.id = ${t}.rowid
        WHERE ${t} MATCH ? AND ${t}.rowid < ? AND ${t}.rowid > ? AND ${conditions}
        ORDER BY ${t}.rowid DESC LIMIT ?`).all(match, ...bounds, binId, ...params, page.limit + 1 - rows.length) as RequestRow[]);
      if (rows.length > page.limit) break;
    }
    // The bin's token is part of the match: without other terms, the index alone counts. Every table in one statement.
    const tables = this.search.tablesWithin(0, Number.MAX_SAFE_INTEGER);
    const counts = tables.map((t) => (where.length === 0
      ? `SELECT count(*) AS n FROM ${schema}.${t} AS ${t} WHERE ${t} MATCH ?`
      : `SELECT count(*) AS n FROM ${schema}.${t} AS ${t} CROSS JOIN requests r ON r.id = ${t}.rowid WHERE ${t} MATCH ? AND ${conditions}`));
    const each = where.length === 0 ? [match] : [match, binId, ...params];
    const total = counts.length === 0 ? 0
      : this.searchStatement(`SELECT sum(n) FROM (${counts.join(' UNION ALL ')})`).pluck().get(...tables.flatMap(() => each)) as number;
    return { ...this.pageOf(rows, page.limit), total };
  }

  private pageOf(rows: RequestRow[], limit: number): { requests: RequestRecord[]; hasMore: boolean } {
    return { requests: rows.slice(0, limit).map(toRequest), hasMore: rows.length > limit };
  }

  /** A prepared statement for a search's SQL, from the cache when that shape was seen before. */
  private searchStatement(sql: string): Database.Statement {
    let statement = this.searchStatements.get(sql);
    if (statement === undefined) {
      if (this.searchStatements.size >= SEARCH_STATEMENTS) this.searchStatements.clear();
      statement = this.db.prepare(sql);
      this.searchStatements.set(sql, statement);
    }
    return statement;
  }

  async requestsAfter(binId: string, after: number, limit: number): Promise<RequestRecord[]> {
    return (this.statements.after.all(binId, after, limit) as RequestRow[]).map(toRequest);
  }

  async lastRequestId(binId: string): Promise<number> {
    return (this.statements.lastInBin.get(binId) as number | null) ?? (this.statements.lastId.get() as number | undefined) ?? 0;
  }

  async getRequest(binId: string, id: number): Promise<FullRequestRecord> {
    const row = this.statements.getRequest.get(binId, id) as RequestRow | undefined;
    if (!row) throw new NotFoundError(`no such request: ${id} in bin ${binId}`);
    return toFullRequest(row);
  }

  async getRequests(binId: string, ids: readonly number[]): Promise<FullRequestRecord[]> {
    if (ids.length === 0) return [];
    const rows = this.db.prepare(`SELECT ${SUMMARY_COLUMNS}, body FROM requests
      WHERE bin_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id DESC`).all(binId, JSON.stringify(ids)) as RequestRow[];
    return rows.map(toFullRequest);
  }

  async binsToRecheck(): Promise<{ binId: string; version: number }[]> {
    return this.statements.toRecheck.all() as { binId: string; version: number }[];
  }

  /** Rewrites only the rows whose verdict changed (SQLite rewrites a whole row, body included, to change a column). */
  async recheckSignatures(binId: string, afterId: number, limit: number): Promise<{ lastId: number | null; version: number }> {
    const bin = this.bins.get(binId);
    if (!bin) return { lastId: null, version: 0 };
    const version = this.statements.secretsVersion.get(binId) as number;
    const through = recheckThrough(this.statements.toVerifySizes.all(binId, afterId, limit) as { id: number; bytes: number }[]);
    if (through === null) return { lastId: null, version };
    const rows = this.statements.toVerify.all(binId, afterId, through) as (Pick<RequestRow, 'id' | 'method' | 'url' | 'headers' | 'truncated' |
      'received_at' | 'signature' | 'provider'> & { body: Buffer })[];
    this.db.transaction(() => {
      for (const row of rows) {
        const verdict = signatureVerdict({
          method: row.method, url: row.url, headers: JSON.parse(row.headers) as HeaderPair[], body: row.body,
          truncated: Boolean(row.truncated), receivedAt: row.received_at,
        }, bin.signingSecrets, this.publicUrl);
        if (verdict.signature !== (row.signature ?? null) || verdict.provider !== (row.provider ?? null)) {
          this.statements.setVerdict.run(verdict.signature, verdict.provider, row.id);
        }
      }
    })();
    return { lastId: rows.at(-1)?.id ?? null, version };
  }

  async markRechecked(binId: string, version: number): Promise<void> {
    this.statements.rechecked.run(version, binId, version);
  }

  async countRequests(): Promise<number> {
    return this.statements.countAll.get() as number;
  }

  async deleteRequest(binId: string, id: number): Promise<void> {
    const deleted = await this.erasing(() => {
      const { changes } = this.statements.deleteRequest.run(binId, id);
      if (changes > 0) this.search.deleted([id], true);
      return changes;
    });
    if (deleted === 0) {
      throw new NotFoundError(`no such request: ${id} in bin ${binId}`);
    }
  }

  async clearBin(binId: string): Promise<number> {
    if (!this.bins.has(binId)) throw new NotFoundError(`no such bin: ${binId}`);
    const through = (this.statements.lastInBin.get(binId) as number | null) ?? 0;
    await this.erasing(() => this.search.deleted(this.statements.clearBin.all(binId) as number[], true));
    return through;
  }

  async storedBytes(): Promise<number> {
    return this.statements.storedBytes.get() as number;
  }

  async deleteOldest(bytes: number): Promise<{ binId: string; id: number }[]> {
    return this.db.transaction(() => {
      let through = 0;
      for (let freed = 0; freed < bytes;) {
        const rows = this.statements.oldest.all(through) as { id: number; bytes: number }[];
        if (rows.length === 0) break;
        for (const row of rows) {
          through = row.id;
          freed += row.bytes;
          if (freed >= bytes) break;
        }
      }
      const removed = through === 0 ? [] : this.statements.deleteThrough.all(through) as { binId: string; id: number }[];
      return removed.sort((a, b) => a.id - b.id);
    })().map((removed) => {
      this.search.deleted([removed.id]);
      return removed;
    });
  }

  async deleteReceivedBefore(cutoff: number): Promise<{ binId: string; id: number }[]> {
    return await this.erasing(() => {
      const removed = this.statements.deleteBefore.all(cutoff) as { binId: string; id: number }[];
      this.search.deleted(removed.map((r) => r.id), true);
      return removed;
    });
  }

  /**
   * Runs a delete a person asked for (or the TTL sweep) so that nothing of it stays in any file: with secure_delete
   * ON, every freed page is zeroed, overflow pages of bodies too; then a checkpoint that truncates the WAL removes
   * the earlier versions of those pages from it. (Eviction past --max-requests or --max-stored zeroes what it can
   * without extra writes; its free pages are reused by the next captures.)
   */
  private async erasing<T>(remove: () => T): Promise<T> {
    this.db.pragma('main.secure_delete = ON');
    let result: T;
    try {
      result = remove();
    } finally {
      this.db.pragma('main.secure_delete = FAST');
      if (!(await truncateWal(this.db))) {
        console.error('hooklens: the WAL could not be emptied after a delete (other checkpoints kept it busy); the next delete tries again');
      }
    }
    // The search index keeps the words of what was deleted until it is rewritten: that is done now, zeroed too.
    try {
      await this.search.purge();
    } catch (err) {
      // The delete is done: the index's part is tried again in the background.
      console.error('hooklens: the search index could not be rewritten after a delete (tried again shortly):', err instanceof Error ? err.message : err);
    }
    return result;
  }

  /** One process per SQLite file: its own timer already runs the sweep once per period. */
  async claimSweep(): Promise<boolean> {
    return true;
  }

  async getSetting(key: string): Promise<string | null> {
    return (this.statements.getSetting.get(key) as string | undefined) ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.statements.setSetting.run(key, value);
  }

  async setSettingIfAbsent(key: string, value: string): Promise<string> {
    this.statements.addSetting.run(key, value);
    return this.statements.getSetting.get(key) as string;
  }

  async recordFailure(key: string, now: number, windowMs: number): Promise<number> {
    return this.statements.failure.get({ key, now, windowMs }) as number;
  }

  async failureCount(key: string, now: number, windowMs: number): Promise<number> {
    return (this.statements.failures.get({ key, now, windowMs }) as number | undefined) ?? 0;
  }

  async revokeSession(digest: string, expiresAt: number, now: number): Promise<void> {
    this.statements.forgetRevoked.run(now);
    this.statements.revoke.run(digest, expiresAt);
  }

  async isSessionRevoked(digest: string): Promise<boolean> {
    return this.statements.isRevoked.get(digest) !== undefined;
  }

  /** The copy keeps no session key: whoever holds a backup cannot mint a session for the live server. */
  async backupTo(file: string): Promise<void> {
    await this.db.backup(file);
    const copy = new Database(file);
    try {
      copy.pragma('journal_mode = DELETE');
      copy.prepare("DELETE FROM settings WHERE key = 'session_key'").run();
      // Its search index is not in the copy: built again wherever the copy is put back.
      copy.prepare('DELETE FROM search_index').run();
    } finally {
      copy.close();
    }
  }

  async ping(): Promise<void> {
    if (!this.db.open) throw new StoreUnavailableError('the database is closed');
  }

  async close(): Promise<void> {
    // Both threads are gone before their files' connection closes; the lock goes last.
    const threads = await Promise.allSettled([this.search.close(), this.checkpoints?.close()]);
    this.db.close();
    this.lock?.close();
    for (const thread of threads) if (thread.status === 'rejected') throw thread.reason;
  }

  isOpen(): boolean {
    return this.db.open;
  }

  private readBin(id: string): BinRecord {
    const row = this.statements.getBin.get(id) as BinRow | undefined;
    if (!row) throw new NotFoundError(`no such bin: ${id}`);
    return toBin(row);
  }
}

function captureBin({ response, signingSecrets }: BinRecord): CaptureBin {
  return { response, signingSecrets };
}
