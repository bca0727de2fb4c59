import type Database from 'better-sqlite3';
import { searchTokens } from '../../search/words';
import { indexColumns, searchSourceOf, type IndexRow } from '../rows';

/** Requests indexed per transaction: one FTS5 segment each, so that captures pay no index write of their own. */
const BATCH = 500;
/** How soon after a capture the background indexer runs (a search does not wait for it: it catches up first). */
const DELAY_MS = 250;
/** The most requests a search indexes before it answers (a backlog larger than this is left to the background). */
const CATCH_UP_LIMIT = 50_000;

/**
 * The words index of the SQLite store (migration 008): the FTS5 table request_search, rowid = request id. Captures
 * only store their rows; this indexes them afterwards, a batch per transaction (the requests with ids above
 * search_progress.indexed_through), in the background shortly after and before every search, so that a search
 * finds every request stored before it. Requests deleted once indexed are listed in search_removed by a trigger,
 * whatever deleted them, and leave the index with the next batch. Everything runs on the store's connection, in its
 * thread: nothing here runs at the same time as a capture's transaction.
 */
export class SqliteSearchIndex {
  private readonly statements;
  private readonly indexBatch: () => boolean;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      // Only the body's first bytes: what is indexed of it.
      pending: db.prepare(`SELECT ${indexColumns('substr')} FROM requests WHERE id > ? ORDER BY id LIMIT ${BATCH}`),
      progress: db.prepare('SELECT indexed_through FROM search_progress').pluck(),
      setProgress: db.prepare('UPDATE search_progress SET indexed_through = ?'),
      insert: db.prepare('INSERT INTO request_search (rowid, words) VALUES (?, ?)'),
      remove: db.prepare('DELETE FROM request_search WHERE rowid IN (SELECT id FROM search_removed)'),
      forgetRemoved: db.prepare('DELETE FROM search_removed'),
      anyRemoved: db.prepare('SELECT EXISTS (SELECT 1 FROM search_removed)').pluck(),
      optimize: db.prepare("INSERT INTO request_search (request_search) VALUES ('optimize')"),
    };
    // One transaction: the next requests past the progress mark go in, the mark moves past them, and the index rows
    // of requests deleted since leave. True when more requests may be waiting.
    this.indexBatch = db.transaction((): boolean => {
      const through = this.statements.progress.get() as number;
      const rows = this.statements.pending.all(through) as IndexRow[];
      for (const row of rows) this.statements.insert.run(row.id, searchTokens(searchSourceOf(row)).join(' '));
      if (rows.length > 0) this.statements.setProgress.run(rows[rows.length - 1].id);
      this.removeDeleted();
      return rows.length === BATCH;
    });
    // Rows stored before this process (a backlog after a crash, or every row after the upgrade) are indexed soon.
    this.scheduled();
  }

  /** Notes that requests were stored: they are indexed within DELAY_MS. */
  scheduled(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => this.runInBackground(), DELAY_MS).unref();
  }

  /** Brings the index up to date before a search: every request stored so far (up to CATCH_UP_LIMIT of them). */
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
    if (!this.statements.anyRemoved.get()) return;
    this.db.transaction(() => {
      this.removeDeleted();
      this.statements.optimize.run();
    })();
  }

  /** Stops the background indexer; what it left is indexed when the database is next opened. */
  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private removeDeleted(): void {
    if (!this.statements.anyRemoved.get()) return;
    this.statements.remove.run();
    this.statements.forgetRemoved.run();
  }

  /** One batch now, and the next one after the event loop has had a turn (captures go on meanwhile). */
  private runInBackground(): void {
    this.timer = null;
    if (this.closed || !this.db.open) return;
    try {
      if (this.indexBatch()) this.timer = setTimeout(() => this.runInBackground(), 0).unref();
    } catch (err) {
      console.error('hooklens: indexing requests for search failed:', err instanceof Error ? err.message : err);
    }
  }
}
