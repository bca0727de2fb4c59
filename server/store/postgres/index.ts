import pg from 'pg';
import type { HeaderPair, SignatureStatus } from '../../../shared/types';
import { postgresConditions, tsvectorText } from '../../search/sql';
import { searchTokens } from '../../search/words';
import { signatureVerdict } from '../../verify/verdict';
import { mergeSecrets } from '../secrets';
import { scrubber } from '../url';
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
  type StoredRequest,
} from '../port';
import { connectionConfig, isConnectionFailure, toStoreError } from './connection';
import { migrateSchema } from './migrate-schema';
import { deriveColumns, storedCredentialKinds } from '../derive';
import {
  BIN_COLUMNS, SUMMARY_COLUMNS, indexColumns, kindsColumn, newRelayKey, recheckThrough, recordOf, searchSourceOf, storedResults, toBin, toFullRequest,
  toRequest,
  type BinRow, type IndexRow, type RequestRow,
} from '../rows';
import { countAttempts, insertRows, lockBins, lockBinsWithSecrets, readBin, takeIds } from './rows';

/**
 * How long what capture needs of a bin is believed (binForCapture, on every capture): another process's change to
 * the bin's response reaches this one's captures within it. Inserts check that the bin exists under lock anyway.
 */
const BIN_CACHE_MS = 1_000;

/** Requests removed per transaction by deleteReceivedBefore. */
const SWEEP_CHUNK = 5_000;

/** The settings row that claimSweep moves forward. */
const SWEEP_KEY = 'sweep_claimed_at';

/** Matches few enough to be taken from the search index and then ordered (see listRequests). */
const FEW_MATCHES = 2_000;

/** Rows given their index per transaction by the fill at start (rows stored before the index existed). */
const INDEX_FILL_CHUNK = 200;

/**
 * Opens the store on the PostgreSQL server that `url` names (its `search_path` picks the schema), creating or
 * migrating the schema first. Rejects, with a message that names the URL without its password, when the server
 * cannot be reached (StoreUnavailableError) or the schema cannot be migrated.
 */
export async function openPostgresStore(url: string, options: StoreOptions = { redactSecrets: false }): Promise<PostgresStore> {
  const scrub = scrubber(url);
  const pool = new pg.Pool({ ...connectionConfig(url), max: 10, idleTimeoutMillis: 30_000 });
  // A client that dies while idle (server restart, network) is removed by the pool; this keeps it from crashing us.
  pool.on('error', (err) => console.error(`hooklens: a PostgreSQL connection failed: ${scrub(err.message)}`));
  // Same for one that dies while checked out: its query rejects, and the 'error' event must not go unheard.
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    const client = await pool.connect();
    try {
      await migrateSchema(client);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    const reason = scrub(err instanceof Error ? err.message : String(err));
    if (isConnectionFailure(err)) {
      throw new StoreUnavailableError(`cannot reach PostgreSQL: ${reason}`, { cause: err });
    }
    throw new Error(`cannot set up the database: ${reason}`, { cause: err });
  }
  const store = new PostgresStore(pool, scrub, options.redactSecrets, options.publicUrl ?? null);
  void store.fillSearchIndex();
  return store;
}

/**
 * The store on PostgreSQL, shared by any number of hooklens processes. Every statement uses unqualified names: the
 * schema is the connection's search_path. Writers that touch requests first lock the rows of the bins involved, in id
 * order: per bin, ids are taken and committed one transaction after the other (so they become visible in increasing
 * order), and no two writers wait on each other in a cycle.
 */
export class PostgresStore implements Store {
  readonly engine = 'postgres';
  private open = true;
  /** Bin id → what capture needs of it, and until when (performance.now()) that is believed. */
  private readonly knownBins = new Map<string, { bin: CaptureBin; until: number }>();
  /** The fill of the search index for rows stored before it existed, while it runs. */
  private filling: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool, private readonly scrub: (text: string) => string, private readonly redactSecrets: boolean,
    private readonly publicUrl: string | null = null,
  ) {}

  async createBin(id: string, name: string, now: number, relayKey = newRelayKey()): Promise<BinRecord> {
    const rows = await this.query<{ id: string }>(`INSERT INTO bins (id, name, created_at, relay_key) VALUES ($1, $2, $3, $4)
      ON CONFLICT (id) DO NOTHING RETURNING id`, [id, name, now, relayKey]);
    if (rows.length === 0) throw new ConflictError(`bin id already taken: ${id}`);
    const bin = { id, name, createdAt: now, requestCount: 0, lastRequestAt: null, signingSecrets: {}, response: null, relayKey };
    this.remember(bin);
    return bin;
  }

  async getBin(id: string): Promise<BinRecord> {
    return this.withClient((client) => readBin(client, id));
  }

  async getBinByRelayKey(key: string): Promise<BinRecord> {
    const rows = await this.query<BinRow>(`SELECT ${BIN_COLUMNS} FROM bins b WHERE b.relay_key = $1`, [key]);
    if (rows.length === 0) throw new NotFoundError('no such relay key');
    return toBin(rows[0]);
  }

  async hasBin(id: string): Promise<boolean> {
    return (await this.binForCapture(id)) !== null;
  }

  async binForCapture(id: string): Promise<CaptureBin | null> {
    const known = this.knownBins.get(id);
    if (known !== undefined && known.until > performance.now()) return known.bin;
    const rows = await this.query<BinRow>('SELECT id, response, signing_secrets, relay_key FROM bins WHERE id = $1', [id]);
    if (rows.length === 0) {
      this.knownBins.delete(id);
      return null;
    }
    return this.remember(toBin(rows[0]));
  }

  private remember({ id, response, signingSecrets }: BinRecord): CaptureBin {
    const bin = { response, signingSecrets };
    this.knownBins.set(id, { bin, until: performance.now() + BIN_CACHE_MS });
    return bin;
  }

  async listBins(): Promise<BinRecord[]> {
    const rows = await this.query<BinRow>(`SELECT ${BIN_COLUMNS} FROM bins b ORDER BY b.created_at DESC, b.position DESC`);
    return rows.map(toBin);
  }

  async updateBin(id: string, changes: BinChanges): Promise<BinRecord> {
    const bin = await this.transaction(async (client) => {
      const { rows } = await client.query<{ name: string; signing_secrets: string }>(
        'SELECT name, signing_secrets FROM bins WHERE id = $1 FOR UPDATE', [id]);
      if (rows.length === 0) throw new NotFoundError(`no such bin: ${id}`);
      const secrets = mergeSecrets(JSON.parse(rows[0].signing_secrets) as Record<string, string>, changes.signingSecrets);
      // New secrets make the stored signature verdicts of the bin's requests out of date (see binsToRecheck).
      await client.query(`UPDATE bins SET name = $2, signing_secrets = $3,
        response = CASE WHEN $4::boolean THEN $5::text ELSE response END, relay_key = coalesce($6::text, relay_key),
        secrets_version = secrets_version + $7 WHERE id = $1`,
      [id, changes.name ?? rows[0].name, JSON.stringify(secrets), changes.response !== undefined,
        changes.response ? JSON.stringify(changes.response) : null, changes.relayKey ?? null, changes.signingSecrets === undefined ? 0 : 1]);
      return readBin(client, id);
    });
    this.remember(bin);
    return bin;
  }

  async deleteBin(id: string): Promise<void> {
    this.knownBins.delete(id);
    const { rowCount } = await this.withClient((client) => client.query('DELETE FROM bins WHERE id = $1', [id]));
    if (rowCount === 0) throw new NotFoundError(`no such bin: ${id}`);
  }

  /**
   * One transaction: locks the bins involved (in id order; a missing one answers its requests with NotFoundError),
   * takes the ids from the sequence while holding those locks, inserts every row, then evicts each bin's oldest past
   * `maxRequests`, reporting them as the SQLite store does (each request with the ids its own insert pushed out).
   */
  async insertRequests(requests: readonly NewRequest[], maxRequests: number): Promise<(StoredRequest | Error)[]> {
    if (requests.length === 0) return [];
    return this.transaction(async (client) => {
      const bins = await lockBinsWithSecrets(client, requests.map((r) => r.binId));
      const counts = new Map([...bins].map(([id, { count }]) => [id, count]));
      const accepted = requests.filter((r) => counts.has(r.binId));
      const ids = await takeIds(client, accepted.length);
      const derived = accepted.map((request) => deriveColumns(request, {
        redactSecrets: this.redactSecrets, secrets: bins.get(request.binId)!.secrets, publicUrl: this.publicUrl,
      }));
      const attempts = await countAttempts(client, derived);
      const stored = derived.map(({ deliveryKey: _key, ...row }, i): FullRequestRecord => ({ ...row, delivery: attempts[i], id: ids[i] }));
      await insertRows(client, stored, '');
      const evicted = new Map<string, number[]>();
      for (const [binId, before] of counts) {
        const excess = before + stored.filter((r) => r.binId === binId).length - maxRequests;
        if (excess <= 0) continue;
        const { rows } = await client.query<{ id: number }>(`DELETE FROM requests WHERE id IN
          (SELECT id FROM requests WHERE bin_id = $1 ORDER BY id LIMIT $2) RETURNING id`, [binId, excess]);
        evicted.set(binId, rows.map((r) => r.id).sort((a, b) => a - b));
      }
      return storedResults(requests, counts, stored.map((r) => recordOf(r, r.id, r.delivery)), evicted, maxRequests);
    });
  }

  async listRequests(binId: string, page: PageQuery): Promise<RequestRecordPage> {
    const bounds = [page.before ?? Number.MAX_SAFE_INTEGER, page.after ?? 0];
    let rows: RequestRow[];
    let total: number | null;
    if (!page.search || page.search.clauses.length === 0) {
      rows = await this.query<RequestRow>(`SELECT ${SUMMARY_COLUMNS} FROM requests
        WHERE bin_id = $1 AND id < $2 AND id > $3 ORDER BY id DESC LIMIT $4`, [binId, ...bounds, page.limit + 1]);
      total = (await this.query<{ count: number }>('SELECT request_count AS count FROM bins WHERE id = $1', [binId]))[0]?.count ?? null;
    } else {
      // The same search twice, numbered for each statement: the count (no bounds), then the page (bounds, limit).
      const counted = postgresConditions(binId, page.search, 2);
      const listed = postgresConditions(binId, page.search, 4);
      total = (await this.query<{ count: number }>(`SELECT count(*)::bigint AS count FROM requests r WHERE r.bin_id = $1 AND ${counted.where}`,
        [binId, ...counted.params]))[0].count;
      const conditions = `r.bin_id = $1 AND r.id < $2 AND r.id > $3 AND ${listed.where}`;
      const limit = `LIMIT $${4 + listed.params.length}`;
      // The planner cannot tell a rare word from a common one (a prefix's selectivity is a guess), and with a LIMIT
      // it walks the bin newest first, testing each row: fine when many match, a scan of the bin when few do. So a
      // search that the count says few requests match takes their ids from the index first (an ARRAY sub-select is
      // planned on its own, with the index), then reads and orders those rows.
      rows = await this.query<RequestRow>(total <= FEW_MATCHES
        ? `SELECT ${SUMMARY_COLUMNS} FROM requests WHERE id = ANY (ARRAY(SELECT r.id FROM requests r WHERE ${conditions}))
          ORDER BY id DESC ${limit}`
        : `SELECT ${SUMMARY_COLUMNS} FROM requests r WHERE ${conditions} ORDER BY r.id DESC ${limit}`,
      [binId, ...bounds, ...listed.params, page.limit + 1]);
      if (total === 0 && !(await this.binForCapture(binId))) total = null;
    }
    if (total === null || (rows.length === 0 && !(await this.binForCapture(binId)))) throw new NotFoundError(`no such bin: ${binId}`);
    return { requests: rows.slice(0, page.limit).map(toRequest), hasMore: rows.length > page.limit, total };
  }

  async requestsAfter(binId: string, after: number, limit: number): Promise<RequestRecord[]> {
    const rows = await this.query<RequestRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM requests WHERE bin_id = $1 AND id > $2 ORDER BY id LIMIT $3`, [binId, after, limit]);
    return rows.map(toRequest);
  }

  /**
   * Read under a share lock on the bin's row, which waits out any insert into the bin in progress. Then every id
   * the bin will show later is above the bin's largest id, or, when it has none, above every id taken so far.
   * (Without the lock, a larger id of another bin may commit first and hide a smaller id of this bin still in flight.)
   */
  async lastRequestId(binId: string): Promise<number> {
    return this.transaction(async (client) => {
      await client.query('SELECT 1 FROM bins WHERE id = $1 FOR SHARE', [binId]);
      const { rows } = await client.query<{ id: number }>(`SELECT coalesce(
        (SELECT max(id) FROM requests WHERE bin_id = $1),
        (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM requests_id_seq)) AS id`, [binId]);
      return rows[0].id;
    });
  }

  async getRequest(binId: string, id: number): Promise<FullRequestRecord> {
    const rows = await this.query<RequestRow>(`SELECT ${SUMMARY_COLUMNS}, body FROM requests WHERE bin_id = $1 AND id = $2`, [binId, id]);
    if (rows.length === 0) throw new NotFoundError(`no such request: ${id} in bin ${binId}`);
    return toFullRequest(rows[0]);
  }

  async getRequests(binId: string, ids: readonly number[]): Promise<FullRequestRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.query<RequestRow>(`SELECT ${SUMMARY_COLUMNS}, body FROM requests
      WHERE bin_id = $1 AND id = ANY($2::bigint[]) ORDER BY id DESC`, [binId, ids]);
    return rows.map(toFullRequest);
  }

  async binsToRecheck(): Promise<{ binId: string; version: number }[]> {
    return this.query<{ binId: string; version: number }>(
      'SELECT id AS "binId", secrets_version AS version FROM bins WHERE checked_version < secrets_version');
  }

  /** Under a share lock on the bin's row: the secrets cannot change (updateBin) before the new verdicts are in. */
  async recheckSignatures(binId: string, afterId: number, limit: number): Promise<{ lastId: number | null; version: number }> {
    return this.transaction(async (client) => {
      const { rows: [bin] } = await client.query<{ signing_secrets: string; secrets_version: number }>(
        'SELECT signing_secrets, secrets_version FROM bins WHERE id = $1 FOR SHARE', [binId]);
      if (!bin) return { lastId: null, version: 0 };
      const secrets = JSON.parse(bin.signing_secrets) as Record<string, string>;
      // octet_length of a stored body is read from its TOAST pointer: the sizes first, then as many bodies as fit.
      const { rows: sizes } = await client.query<{ id: number; bytes: string }>(
        'SELECT id, octet_length(body) AS bytes FROM requests WHERE bin_id = $1 AND id > $2 ORDER BY id LIMIT $3', [binId, afterId, limit]);
      const through = recheckThrough(sizes);
      if (through === null) return { lastId: null, version: bin.secrets_version };
      const { rows } = await client.query<Pick<RequestRow, 'id' | 'method' | 'url' | 'headers' | 'truncated' | 'received_at' | 'signature' |
        'provider'> & { body: Buffer }>(`SELECT id, method, url, headers, body, truncated, received_at, signature, provider FROM requests
        WHERE bin_id = $1 AND id > $2 AND id <= $3 ORDER BY id`, [binId, afterId, through]);
      const changed: { id: number; signature: SignatureStatus | null; provider: string | null }[] = [];
      for (const row of rows) {
        const verdict = signatureVerdict({
          method: row.method, url: row.url, headers: JSON.parse(row.headers) as HeaderPair[], body: row.body,
          truncated: Boolean(row.truncated), receivedAt: row.received_at,
        }, secrets, this.publicUrl);
        if (verdict.signature !== (row.signature ?? null) || verdict.provider !== (row.provider ?? null)) changed.push({ id: row.id, ...verdict });
      }
      if (changed.length > 0) {
        await client.query(`UPDATE requests r SET signature = v.signature, provider = v.provider
          FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(id, signature, provider) WHERE r.id = v.id`,
        [changed.map((c) => c.id), changed.map((c) => c.signature), changed.map((c) => c.provider)]);
      }
      return { lastId: rows.at(-1)?.id ?? null, version: bin.secrets_version };
    });
  }

  async markRechecked(binId: string, version: number): Promise<void> {
    await this.query('UPDATE bins SET checked_version = $2 WHERE id = $1 AND secrets_version = $2 AND checked_version < $2', [binId, version]);
  }

  /**
   * Gives the rows stored before the search index existed (search IS NULL) theirs, in the background, a chunk per
   * transaction; processes that start at once share the work (SKIP LOCKED). Until it is done, searches do not find
   * those rows. Resolves when it is done (the fill in progress, if one is); errors are logged, and the next start goes
   * on where this one stopped.
   */
  fillSearchIndex(): Promise<void> {
    this.filling ??= (async () => {
      while (this.open) {
        const filled = await this.transaction(async (client) => {
          const { rows } = await client.query<IndexRow>(`SELECT ${indexColumns('substring')} FROM requests
            WHERE search IS NULL ORDER BY id LIMIT ${INDEX_FILL_CHUNK} FOR UPDATE SKIP LOCKED`);
          if (rows.length === 0) return 0;
          const sources = rows.map(searchSourceOf);
          await client.query(`UPDATE requests r SET search = v.search::tsvector, credential_kinds = coalesce(r.credential_kinds, v.kinds)
            FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(id, search, kinds) WHERE r.id = v.id`,
          [rows.map((r) => r.id), sources.map((source) => tsvectorText(searchTokens(source))), sources.map((source) => kindsColumn(source.credentialKinds))]);
          return rows.length;
        });
        if (filled < INDEX_FILL_CHUNK) return;
      }
    })().catch((err: unknown) => {
      if (this.open) console.error('hooklens: filling the search index failed:', err instanceof Error ? this.scrub(err.message) : err);
    }).finally(() => {
      this.filling = null;
    });
    return this.filling;
  }

  /** The counts kept with the bins: no scan of the requests. */
  async countRequests(): Promise<number> {
    const rows = await this.query<{ count: number }>('SELECT coalesce(sum(request_count), 0)::bigint AS count FROM bins');
    return rows[0].count;
  }

  async deleteRequest(binId: string, id: number): Promise<void> {
    const deleted = await this.transaction(async (client) => {
      if ((await lockBins(client, [binId])).size === 0) return 0;
      return (await client.query('DELETE FROM requests WHERE bin_id = $1 AND id = $2', [binId, id])).rowCount;
    });
    if (deleted === 0) throw new NotFoundError(`no such request: ${id} in bin ${binId}`);
  }

  async clearBin(binId: string): Promise<number> {
    return this.transaction(async (client) => {
      if ((await lockBins(client, [binId])).size === 0) throw new NotFoundError(`no such bin: ${binId}`);
      const { rows } = await client.query<{ id: number | null }>('SELECT max(id) AS id FROM requests WHERE bin_id = $1', [binId]);
      await client.query('DELETE FROM requests WHERE bin_id = $1', [binId]);
      return rows[0].id ?? 0;
    });
  }

  /**
   * In transactions of SWEEP_CHUNK requests (the oldest first), so that a first sweep of a large database holds no
   * bin's lock for long and no statement runs into statement_timeout.
   */
  async deleteReceivedBefore(cutoff: number): Promise<{ binId: string; id: number }[]> {
    const removed: { binId: string; id: number }[] = [];
    for (;;) {
      const { rows, more } = await this.transaction(async (client) => {
        const { rows: due } = await client.query<{ bin_id: string; id: number }>(
          'SELECT bin_id, id FROM requests WHERE received_at < $1 ORDER BY received_at LIMIT $2', [cutoff, SWEEP_CHUNK]);
        if (due.length === 0) return { rows: [], more: false };
        const locked = await lockBins(client, due.map((r) => r.bin_id));
        const ids = due.filter((r) => locked.has(r.bin_id)).map((r) => r.id);
        const deleted = await client.query<{ binId: string; id: number }>(
          'DELETE FROM requests WHERE id = ANY($1::bigint[]) RETURNING bin_id AS "binId", id', [ids]);
        return { rows: deleted.rows, more: due.length === SWEEP_CHUNK };
      });
      removed.push(...rows);
      if (!more) return removed.sort((a, b) => a.id - b.id);
    }
  }

  async storedBytes(): Promise<number> {
    const rows = await this.query<{ bytes: string }>('SELECT coalesce(sum(stored_bytes), 0)::bigint AS bytes FROM bins');
    return Number(rows[0].bytes);
  }

  /** Like the TTL sweep: a chunk of the oldest at a time, each deleted under its bins' locks. */
  async deleteOldest(bytes: number): Promise<{ binId: string; id: number }[]> {
    const removed: { binId: string; id: number }[] = [];
    for (let freed = 0; freed < bytes;) {
      const { rows, more } = await this.transaction(async (client) => {
        const { rows: oldest } = await client.query<{ bin_id: string; id: number; bytes: string }>(
          'SELECT bin_id, id, stored_bytes AS bytes FROM requests ORDER BY id LIMIT $1', [SWEEP_CHUNK]);
        const due: typeof oldest = [];
        let sum = freed;
        for (const row of oldest) {
          if (sum >= bytes) break;
          due.push(row);
          sum += Number(row.bytes);
        }
        if (due.length === 0) return { rows: [], more: false };
        const locked = await lockBins(client, due.map((r) => r.bin_id));
        const ids = due.filter((r) => locked.has(r.bin_id)).map((r) => r.id);
        const deleted = await client.query<{ binId: string; id: number; bytes: string }>(
          'DELETE FROM requests WHERE id = ANY($1::bigint[]) RETURNING bin_id AS "binId", id, stored_bytes AS bytes', [ids]);
        return { rows: deleted.rows, more: oldest.length === SWEEP_CHUNK };
      });
      for (const { binId, id, bytes: size } of rows) {
        removed.push({ binId, id });
        freed += Number(size);
      }
      if (!more || rows.length === 0) break;
    }
    return removed.sort((a, b) => a.id - b.id);
  }

  /** One settings row moved forward with a conditional upsert: of concurrent callers, one sees its row come back. */
  async claimSweep(now: number, everyMs: number): Promise<boolean> {
    const rows = await this.query(`INSERT INTO settings (key, value) VALUES ($1, $2)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE settings.value::bigint <= $3::bigint
      RETURNING 1`, [SWEEP_KEY, String(now), now - everyMs]);
    return rows.length === 1;
  }

  async getSetting(key: string): Promise<string | null> {
    const rows = await this.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  /** Two statements on purpose: the second one's snapshot sees the row of a concurrent caller that won. */
  async setSettingIfAbsent(key: string, value: string): Promise<string> {
    return this.withClient(async (client) => {
      await client.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
      return (await client.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0].value;
    });
  }

  async recordFailure(key: string, now: number, windowMs: number): Promise<number> {
    const rows = await this.query<{ count: number }>(`INSERT INTO auth_failures (key, count, since) VALUES ($1, 1, $2)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN auth_failures.since > $2::bigint - $3::bigint THEN auth_failures.count + 1 ELSE 1 END,
        since = CASE WHEN auth_failures.since > $2::bigint - $3::bigint THEN auth_failures.since ELSE $2::bigint END
      RETURNING count`, [key, now, windowMs]);
    return rows[0].count;
  }

  async failureCount(key: string, now: number, windowMs: number): Promise<number> {
    const rows = await this.query<{ count: number }>(
      'SELECT count FROM auth_failures WHERE key = $1 AND since > $2::bigint - $3::bigint', [key, now, windowMs]);
    return rows[0]?.count ?? 0;
  }

  async revokeSession(digest: string, expiresAt: number, now: number): Promise<void> {
    await this.query('DELETE FROM revoked_sessions WHERE expires_at < $1', [now]);
    await this.query('INSERT INTO revoked_sessions (digest, expires_at) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING', [digest, expiresAt]);
  }

  async isSessionRevoked(digest: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM revoked_sessions WHERE digest = $1', [digest])).length > 0;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.filling;
    await this.pool.end();
  }

  isOpen(): boolean {
    return this.open;
  }

  // ---- For `hooklens migrate`: copies keeping ids, each call one transaction, idempotent. ----

  /** Inserts the bins that are missing (in the order given, which listBins keeps for equal times); resolves with how many. */
  async importBins(bins: readonly BinRecord[]): Promise<number> {
    if (bins.length === 0) return 0;
    const { rowCount } = await this.withClient((client) => client.query(`INSERT INTO bins (id, name, created_at, signing_secrets, response, relay_key)
      SELECT id, name, created_at, secrets, response, relay_key
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])
        WITH ORDINALITY AS b(id, name, created_at, secrets, response, relay_key, n)
      ORDER BY n ON CONFLICT (id) DO NOTHING`,
    [bins.map((b) => b.id), bins.map((b) => b.name), bins.map((b) => b.createdAt), bins.map((b) => JSON.stringify(b.signingSecrets)),
      bins.map((b) => (b.response ? JSON.stringify(b.response) : null)), bins.map((b) => b.relayKey)]));
    return rowCount ?? 0;
  }

  /**
   * Inserts the requests whose id is not taken yet, keeping their ids and body digests; a request whose bin is not in
   * the database is skipped. Request counts follow. Resolves with how many were inserted.
   */
  async importRequests(requests: readonly FullRequestRecord[]): Promise<number> {
    if (requests.length === 0) return 0;
    return this.transaction(async (client) => {
      const bins = await lockBinsWithSecrets(client, requests.map((r) => r.binId));
      // A file of an older schema kept no credential kinds or verdicts: derived again from what was stored, the
      // verdicts with the secrets the bin has here.
      const rows = requests.filter((r) => bins.has(r.binId)).map((r): FullRequestRecord => ({
        ...r, credentialKinds: storedCredentialKinds(r), ...signatureVerdict(r, bins.get(r.binId)!.secrets, this.publicUrl),
      }));
      return insertRows(client, rows, 'ON CONFLICT (id) DO NOTHING');
    });
  }

  /** The largest request id not above `atMost` (0 when none): where an interrupted copy of ids up to it resumes. */
  async largestRequestId(atMost: number): Promise<number> {
    const rows = await this.query<{ id: number | null }>('SELECT max(id) AS id FROM requests WHERE id <= $1', [atMost]);
    return rows[0].id ?? 0;
  }

  /**
   * Makes the ids the database hands out from now on greater than `id`. Takes the bins table's lock that every
   * insert's row locks wait for, so no id is being taken while the sequence moves.
   */
  async reserveIdsUpTo(id: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('LOCK TABLE bins IN EXCLUSIVE MODE');
      await client.query(`SELECT setval('requests_id_seq', $1) FROM requests_id_seq
        WHERE $1::bigint > CASE WHEN is_called THEN last_value ELSE 0 END`, [id]);
    });
  }

  /** Inserts the settings that are missing; resolves with the keys it inserted. */
  async importSettings(settings: readonly { key: string; value: string }[]): Promise<string[]> {
    if (settings.length === 0) return [];
    const rows = await this.query<{ key: string }>(`INSERT INTO settings (key, value)
      SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (key) DO NOTHING RETURNING key`,
    [settings.map((s) => s.key), settings.map((s) => s.value)]);
    return rows.map((r) => r.key);
  }

  // ---- Plumbing ----

  private async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]> {
    return this.withClient(async (client) => (await client.query<R>(sql, params)).rows);
  }

  /** Runs `work` in one transaction; rolls back and rethrows when it throws. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        // A rollback that fails means the connection is gone: that is the error to report (and the client is dropped).
        await client.query('ROLLBACK');
        throw err;
      }
    });
  }

  /** Lends a pooled client to `work`; turns connection failures into StoreUnavailableError and drops broken clients. */
  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (!this.open) throw new StoreUnavailableError('the store is closed');
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new StoreUnavailableError(`the database is unavailable: ${this.scrub(err instanceof Error ? err.message : String(err))}`, { cause: err });
    }
    try {
      const result = await work(client);
      client.release();
      return result;
    } catch (err) {
      client.release(isConnectionFailure(err) ? (err as Error) : undefined);
      throw toStoreError(err, this.scrub);
    }
  }
}

