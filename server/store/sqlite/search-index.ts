import type Database from 'better-sqlite3';
import { searchText, type SearchSource } from '../../search/words';
import { indexColumns, searchSourceOf, type IndexRow } from '../rows';

/** Requests read back and indexed per transaction while catching up (after a start, or a backlog). */
const BATCH = 500;
/** How soon after a capture the background indexer runs (a search does not wait for it: it catches up first). */
const DELAY_MS = 250;
/** Words held for the next batch past which it runs at once, so that large text bodies do not pile up in memory. */
const QUEUE_CHARACTERS = 4 * 1024 * 1024;
/** The most requests a search reads back and indexes before it answers (a larger backlog is left to the background). */
const CATCH_UP_LIMIT = 50_000;

/**
 * The words index of the SQLite store (migration 008): the FTS5 table request_search, rowid = request id.
 *
 * Captures do not write to it: their words are worked out as they are stored and go in with the next batch (one
 * transaction, one FTS5 segment, for all that came in during DELAY_MS), in the background and before every search,
 * so that a search finds every request stored before it. search_progress.indexed_through says how far the index got;
 * after a start, what lies beyond it (a stop before the batch ran, an upgrade) is read back from the table and
 * indexed. The store tells it of every delete once committed (eviction, delete, clear, TTL, --max-stored, a bin's
 * requests): the index rows go with the next batch, at once for the deletes a person asks for (purge). Index rows
 * whose request is gone without it being told (a stop before the batch ran, another program) are found and removed
 * at start. Everything runs on the store's connection, in its thread: nothing here runs at the same time as a
 * capture's transaction.
 */
export class SqliteSearchIndex {
  private readonly statements;
  private readonly indexBatch: () => boolean;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Captured requests' words for the next batch; only once everything stored before them is indexed. */
  private queue: { id: number; words: string }[] = [];
  private queued = 0;
  private caughtUp = false;
  private swept = false;
  /** Requests deleted since the last batch (some perhaps never indexed). */
  private removed: number[] = [];

  constructor(private readonly db: Database.Database) {
    this.statements = {
      // Only the body's first bytes: what is indexed of it.
      pending: db.prepare(`SELECT ${indexColumns('substr')} FROM requests WHERE id > ? ORDER BY id LIMIT ${BATCH}`),
      progress: db.prepare('SELECT indexed_through FROM search_progress').pluck(),
      setProgress: db.prepare('UPDATE search_progress SET indexed_through = ?'),
      insert: db.prepare('INSERT INTO request_search (rowid, words) VALUES (?, ?)'),
      existing: db.prepare('SELECT id FROM requests WHERE id IN (SELECT value FROM json_each(?))').pluck(),
      remove: db.prepare('DELETE FROM request_search WHERE rowid IN (SELECT value FROM json_each(?))'),
      // Index rows whose request is gone (a full scan of the index's rowids: tens of ms per 100,000).
      ghosts: db.prepare(`DELETE FROM request_search WHERE rowid IN (SELECT s.rowid FROM request_search s
        WHERE NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = s.rowid))`),
      optimize: db.prepare("INSERT INTO request_search (request_search) VALUES ('optimize')"),
    };
    // One transaction: the words of new requests go in (queued, or read back while catching up), the progress mark
    // moves past them, and the index rows of requests deleted since leave. True when more may be waiting.
    this.indexBatch = db.transaction((): boolean => {
      if (!this.swept) {
        this.statements.ghosts.run();
        this.swept = true;
      }
      let more = false;
      if (this.caughtUp) {
        const queue = this.queue;
        this.queue = [];
        this.queued = 0;
        if (queue.length > 0) {
          // Evicted before their batch (never indexed, so the trigger kept no note): left out.
          const existing = new Set(this.statements.existing.all(JSON.stringify(queue.map((q) => q.id))) as number[]);
          for (const { id, words } of queue) if (existing.has(id)) this.statements.insert.run(id, words);
          this.statements.setProgress.run(queue[queue.length - 1].id);
        }
      } else {
        const rows = this.statements.pending.all(this.statements.progress.get() as number) as IndexRow[];
        for (const row of rows) this.statements.insert.run(row.id, searchText(searchSourceOf(row)));
        if (rows.length > 0) this.statements.setProgress.run(rows[rows.length - 1].id);
        more = rows.length === BATCH;
        // From here on every new request's words are queued as it is stored.
        if (!more) this.caughtUp = true;
      }
      this.removeDeleted();
      return more;
    });
    // Rows stored before this process (a backlog after a stop, or every row after the upgrade) are indexed soon.
    this.schedule();
  }

  /** Notes requests just committed (in id order): their words go in with the next batch, within DELAY_MS. */
  stored(requests: readonly { id: number; source: SearchSource }[]): void {
    if (this.closed) return;
    if (this.caughtUp) {
      for (const { id, source } of requests) {
        const words = searchText(source);
        this.queue.push({ id, words });
        this.queued += words.length;
      }
    }
    if (this.queued > QUEUE_CHARACTERS) this.runNow();
    else this.schedule();
  }

  /** Notes requests deleted (the delete committed): their index rows go with the next batch, or purge. */
  deleted(ids: Iterable<number>): void {
    for (const id of ids) this.removed.push(id);
    if (this.removed.length > 0) this.schedule();
  }

  /** Brings the index up to date before a search: every request stored so far (up to CATCH_UP_LIMIT read back). */
  catchUp(): void {
    for (let done = 0; done < CATCH_UP_LIMIT; done += BATCH) {
      if (!this.indexBatch()) return;
    }
  }

  /**
   * After a delete a person asked for (the store runs it with secure_delete ON): removes the deleted requests' index
   * rows, then, when there were any, rewrites the index in one piece, so that their words are in no page of the file
   * (FTS5 otherwise keeps them in its segments until those are merged). This costs a write of the whole index.
   */
  purge(): void {
    this.db.transaction(() => {
      if (this.removeDeleted() > 0) this.statements.optimize.run();
    })();
  }

  /** Indexes what is queued and stops the background indexer; a backlog left is indexed when next opened. */
  close(): void {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.caughtUp && this.db.open) this.indexBatch();
    this.closed = true;
  }

  /** Removes the index rows of the requests deleted since the last batch; resolves with how many it removed. */
  private removeDeleted(): number {
    if (this.removed.length === 0) return 0;
    // Those above the progress mark were never indexed (a queued one is left out of its batch as it is gone).
    const through = this.statements.progress.get() as number;
    const indexed = this.removed.filter((id) => id <= through);
    this.removed = [];
    return indexed.length === 0 ? 0 : this.statements.remove.run(JSON.stringify(indexed)).changes;
  }

  private schedule(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => this.runNow(), DELAY_MS).unref();
  }

  /** One batch now, and the next one after the event loop has had a turn (captures go on meanwhile). */
  private runNow(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed || !this.db.open) return;
    try {
      if (this.indexBatch()) this.timer = setTimeout(() => this.runNow(), 0).unref();
    } catch (err) {
      console.error('hooklens: indexing requests for search failed:', err instanceof Error ? err.message : err);
    }
  }
}
