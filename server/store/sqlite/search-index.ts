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
 * Request ids per index table. A delete a person asks for (and the TTL sweep) rewrites the tables that held what it
 * removed, to leave none of its words in the file: a table's worth (tens of ms) rather than the whole index.
 */
export const IDS_PER_TABLE = 50_000;

const TABLE = /^request_words_(\d+)$/;
const tableOf = (part: number): string => `request_words_${part}`;
const partOf = (id: number): number => Math.floor(id / IDS_PER_TABLE);

/**
 * The words index of the SQLite store: FTS5 tables request_words_<n>, rowid = request id, each for IDS_PER_TABLE ids
 * (ids n × IDS_PER_TABLE and up), made as ids reach them and dropped once none of their requests is left. Contentless
 * (the text is not stored twice) and contentless_delete (a row goes by its rowid alone); the ascii tokenizer splits
 * ASCII at anything but letters and digits and folds its case, other text comes split into words (words.ts);
 * detail=full keeps positions, for phrases.
 *
 * Captures do not write to it: their words are worked out as they are stored and go in with the next batches (what
 * came in during DELAY_MS, BATCH to a transaction, a turn of the event loop between them), in the background and
 * before every search, so that a search finds every request stored before it. search_progress.indexed_through says how far the index got; after a start,
 * what lies beyond it (a stop before the batch ran, an upgrade) is read back from the table and indexed. The store
 * tells it of every delete once committed (eviction, delete, clear, TTL, --max-stored, a bin's requests): the index
 * rows go with the next batch, at once for the deletes a person asks for (purge). Index rows whose request is gone
 * without it being told (a stop before the batch ran, another program) are found and removed at start. Everything
 * runs on the store's connection, in its thread: nothing here runs at the same time as a capture's transaction.
 */
export class SqliteSearchIndex {
  private readonly statements;
  private readonly indexBatch: () => boolean;
  /** The index tables by part number, with their statements. */
  private readonly tables = new Map<number, { insert: Database.Statement; remove: Database.Statement }>();
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
      existing: db.prepare('SELECT id FROM requests WHERE id IN (SELECT value FROM json_each(?))').pluck(),
      anyBetween: db.prepare('SELECT EXISTS (SELECT 1 FROM requests WHERE id >= ? AND id < ?)').pluck(),
    };
    for (const name of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'request_words_%'").pluck().all() as string[]) {
      const part = TABLE.exec(name);
      if (part) this.open(Number(part[1]));
    }
    // One transaction: the words of new requests go in (queued, or read back while catching up), the progress mark
    // moves past them, and the index rows of requests deleted since leave. True when more may be waiting.
    this.indexBatch = db.transaction((): boolean => {
      if (!this.swept) {
        this.sweepGhosts();
        this.swept = true;
      }
      let more: boolean;
      if (this.caughtUp) {
        // At most BATCH of them: a transaction of thousands (a few seconds' worth under load) held up every capture
        // for tens of ms; the rest go in after the event loop has had a turn.
        const queue = this.queue.splice(0, BATCH);
        for (const { words } of queue) this.queued -= words.length;
        more = this.queue.length > 0;
        if (queue.length > 0) {
          // Evicted before their batch (never indexed, so no index row to remove): left out.
          const existing = new Set(this.statements.existing.all(JSON.stringify(queue.map((q) => q.id))) as number[]);
          for (const { id, words } of queue) if (existing.has(id)) this.tableFor(id).insert.run(id, words);
          this.statements.setProgress.run(queue[queue.length - 1].id);
        }
      } else {
        const rows = this.statements.pending.all(this.statements.progress.get() as number) as IndexRow[];
        for (const row of rows) this.tableFor(row.id).insert.run(row.id, searchText(searchSourceOf(row)));
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

  /**
   * The index tables that may hold ids above `after` and below `before`, newest first: a search asks each (the
   * store's SQL names the table `request_words`; each name replaces it).
   */
  tablesWithin(after: number, before: number): string[] {
    return [...this.tables.keys()]
      .filter((part) => (part + 1) * IDS_PER_TABLE > after + 1 && part * IDS_PER_TABLE < before)
      .sort((a, b) => b - a)
      .map(tableOf);
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
   * After a delete a person asked for, or the TTL sweep (the store runs it with secure_delete ON): removes the
   * deleted requests' index rows, then rewrites each table that held any in one piece (or drops it when none of its
   * requests is left), so that their words are in no page of the file (FTS5 otherwise keeps them in its segments
   * until those are merged). This costs a write of those tables.
   */
  purge(): void {
    this.db.transaction(() => {
      for (const part of this.removeDeleted()) {
        const table = tableOf(part);
        if (this.dropIfEmpty(part)) continue;
        this.db.prepare(`INSERT INTO ${table} (${table}) VALUES ('optimize')`).run();
      }
    })();
  }

  /** Indexes what is queued and stops the background indexer; a backlog left is indexed when next opened. */
  close(): void {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.caughtUp && this.db.open) while (this.indexBatch());
    this.closed = true;
  }

  /** The statements of the table for ids of `part`, made (the table too) the first time. */
  private open(part: number): { insert: Database.Statement; remove: Database.Statement } {
    let table = this.tables.get(part);
    if (table === undefined) {
      const name = tableOf(part);
      this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${name} USING fts5(words, content='', contentless_delete=1, tokenize='ascii', detail=full);
        -- Segments with deleted rows are rewritten by the ordinary merges, not each time a tenth of one is deleted: eviction
        -- deletes with every batch, and rewriting for it costs several times the insert (measured).
        INSERT INTO ${name} (${name}, rank) VALUES ('deletemerge', 0);`);
      table = {
        insert: this.db.prepare(`INSERT INTO ${name} (rowid, words) VALUES (?, ?)`),
        remove: this.db.prepare(`DELETE FROM ${name} WHERE rowid IN (SELECT value FROM json_each(?))`),
      };
      this.tables.set(part, table);
    }
    return table;
  }

  private tableFor(id: number): { insert: Database.Statement; remove: Database.Statement } {
    return this.open(partOf(id));
  }

  /** Drops the table of `part` when no request of its ids is left (its pages freed); true when it did. */
  private dropIfEmpty(part: number): boolean {
    if (this.statements.anyBetween.get(part * IDS_PER_TABLE, (part + 1) * IDS_PER_TABLE)) return false;
    this.db.exec(`DROP TABLE ${tableOf(part)}`);
    this.tables.delete(part);
    return true;
  }

  /** Removes the index rows of the requests deleted since the last batch; answers the parts it removed rows from. */
  private removeDeleted(): Set<number> {
    const parts = new Set<number>();
    if (this.removed.length === 0) return parts;
    // Those above the progress mark were never indexed (a queued one is left out of its batch as it is gone).
    const through = this.statements.progress.get() as number;
    const byPart = new Map<number, number[]>();
    for (const id of this.removed) {
      if (id > through || !this.tables.has(partOf(id))) continue;
      const ids = byPart.get(partOf(id));
      if (ids) ids.push(id);
      else byPart.set(partOf(id), [id]);
    }
    this.removed = [];
    for (const [part, ids] of byPart) {
      if (this.tables.get(part)!.remove.run(JSON.stringify(ids)).changes > 0) parts.add(part);
    }
    return parts;
  }

  /**
   * Index rows whose request is gone (a full scan of the index's rowids: tens of ms per 100,000), and tables none of
   * whose requests is left.
   */
  private sweepGhosts(): void {
    for (const part of [...this.tables.keys()]) {
      if (this.dropIfEmpty(part)) continue;
      const table = tableOf(part);
      this.db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT s.rowid FROM ${table} s
        WHERE NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = s.rowid))`).run();
    }
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
