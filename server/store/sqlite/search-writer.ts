import type Database from 'better-sqlite3';
import { searchText } from '../../search/words';
import { indexColumns, searchSourceOf, type IndexRow } from '../rows';

/**
 * Request ids per index table. A delete a person asks for (and the TTL sweep) rewrites the tables that held what it
 * removed, to leave none of its words in the file: a table's worth (tens of ms) rather than the whole index.
 */
export const IDS_PER_TABLE = 50_000;

const TABLE = /^request_words_(\d+)$/;
export const tableOf = (part: number): string => `request_words_${part}`;
export const partOf = (id: number): number => Math.floor(id / IDS_PER_TABLE);

/** The parts (IDS_PER_TABLE ids each) whose index tables exist in `schema`. */
export function indexParts(db: Database.Database, schema: string): number[] {
  return (db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table'`).pluck().all() as string[])
    .map((name) => TABLE.exec(name)).filter((m) => m !== null).map((m) => Number(m[1]));
}

/** One batch of the index: what the store hands its writer (search-index.ts). */
export interface IndexBatch {
  /**
   * Requests to add: those with an id above `after` and up to `through` still stored, read by the writer from the
   * store's database (a body's first INDEXED_BODY_BYTES at most).
   */
  after: number;
  /** The progress mark once they are in: every request up to it is indexed (or was deleted before). Null: unchanged. */
  through: number | null;
  /** Requests deleted since the last batch, all at or below the progress mark: their index rows go. */
  removed: number[];
  /**
   * A delete a person asked for: `removed` go with secure_delete on, each table of `rewrite` (those that held what
   * was deleted) is rewritten whole, and the WAL truncated, so that no page of the files keeps their words.
   */
  purge: boolean;
  rewrite: number[];
  /** Tables none of whose requests is left: dropped (their pages freed, zeroed when purging). */
  drop: number[];
}

/** Rows read from the store's database at once, at most (a 64 KB body's words each). */
const READ_ROWS = 64;

/**
 * Writes the words index: FTS5 tables request_words_<n> (rowid = request id, ids n × IDS_PER_TABLE and up), made as
 * ids reach them, and search_state's progress mark, in the database `schema` of `db`, from the requests of the
 * store's database, `store` of `db`. Contentless (the text is not stored twice) and contentless_delete (a row goes
 * by its rowid alone); the ascii tokenizer splits ASCII at anything but letters and digits and folds its case, other
 * text comes split into words (words.ts); detail=full keeps positions, for phrases. It runs where the index's file is written: on its own thread (search-worker.ts), or on the
 * store's connection for a database in memory.
 */
export class SearchWriter {
  private readonly tables = new Map<number, { insert: Database.Statement; remove: Database.Statement }>();
  private readonly statements;
  private readonly addRows: (rows: readonly IndexRow[], through: number) => void;
  private readonly writeBatch: (batch: IndexBatch) => void;

  constructor(private readonly db: Database.Database, private readonly schema: string, store: string) {
    this.statements = {
      progress: db.prepare(`SELECT indexed_through FROM ${schema}.search_state`).pluck(),
      setProgress: db.prepare(`UPDATE ${schema}.search_state SET indexed_through = ?`),
      // Only the body's first bytes: what is indexed of it.
      requests: db.prepare(`SELECT ${indexColumns('substr')} FROM ${store}.requests WHERE id > ? AND id <= ? ORDER BY id LIMIT ${READ_ROWS}`),
    };
    for (const part of indexParts(db, schema)) this.open(part);
    this.addRows = db.transaction((rows: readonly IndexRow[], through: number): void => {
      for (const row of rows) this.open(partOf(row.id)).insert.run(row.id, searchText(searchSourceOf(row)));
      this.statements.setProgress.run(through);
    });
    this.writeBatch = db.transaction((batch: IndexBatch): void => {
      this.remove(batch.removed);
      for (const part of batch.drop) this.dropTable(part);
    });
  }

  /**
   * Writes a batch: its requests READ_ROWS at a time, each read on its own and written with the progress mark in a
   * transaction of its own, then its deletes in one; a purge rewrites the tables it touched and truncates the WAL
   * after it.
   */
  write(batch: IndexBatch): void {
    try {
      if (batch.through !== null) this.add(batch.after, batch.through);
      this.writeOrPurge(batch);
    } catch (err) {
      // Rolled back, tables made or dropped by it included: the statements kept are those of the tables there are.
      this.tables.clear();
      for (const part of indexParts(this.db, this.schema)) this.open(part);
      throw err;
    }
  }

  private writeOrPurge(batch: IndexBatch): void {
    if (!batch.purge) {
      this.writeBatch(batch);
      return;
    }
    this.db.pragma(`${this.schema}.secure_delete = ON`);
    try {
      this.writeBatch(batch);
      this.db.transaction(() => {
        for (const part of batch.rewrite) {
          if (!this.tables.has(part)) continue;
          const table = `${this.schema}.${tableOf(part)}`;
          this.db.prepare(`INSERT INTO ${table} (${tableOf(part)}) VALUES ('optimize')`).run();
        }
      })();
    } finally {
      this.db.pragma(`${this.schema}.secure_delete = FAST`);
      this.db.pragma(`${this.schema}.wal_checkpoint(TRUNCATE)`);
    }
  }

  /** The statements of the table for ids of `part`, made (the table too) the first time. */
  private open(part: number): { insert: Database.Statement; remove: Database.Statement } {
    let table = this.tables.get(part);
    if (table === undefined) {
      const name = tableOf(part);
      this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${this.schema}.${name} USING fts5(words, content='', contentless_delete=1, tokenize='ascii', detail=full);
        -- Segments with deleted rows are rewritten by the ordinary merges, not each time a tenth of one is deleted: eviction
        -- deletes with every batch, and rewriting for it costs several times the insert (measured).
        INSERT INTO ${this.schema}.${name} (${name}, rank) VALUES ('deletemerge', 0);`);
      table = {
        insert: this.db.prepare(`INSERT INTO ${this.schema}.${name} (rowid, words) VALUES (?, ?)`),
        remove: this.db.prepare(`DELETE FROM ${this.schema}.${name} WHERE rowid IN (SELECT value FROM json_each(?))`),
      };
      this.tables.set(part, table);
    }
    return table;
  }

  /**
   * Indexes the requests with an id above `after` (or the progress mark, for a batch sent again after the thread that
   * wrote part of it stopped: an FTS5 row added twice is there twice) and up to `through`. Each read of the store's
   * requests is a transaction of its own, outside the index's writes: a read held open keeps the store's WAL from
   * starting over (it grew past 60 MB under a flood of 64 KB bodies).
   */
  private add(after: number, through: number): void {
    for (let from = Math.max(after, this.statements.progress.get() as number); from < through;) {
      const rows = this.statements.requests.all(from, through) as IndexRow[];
      const last = rows.length < READ_ROWS ? through : rows[rows.length - 1].id;
      this.addRows(rows, last);
      from = last;
    }
  }

  /** Removes the index rows of `ids` (an id never indexed, deleted before it was read, is no harm). */
  private remove(ids: readonly number[]): void {
    const byPart = new Map<number, number[]>();
    for (const id of ids) {
      if (!this.tables.has(partOf(id))) continue;
      const part = byPart.get(partOf(id));
      if (part) part.push(id);
      else byPart.set(partOf(id), [id]);
    }
    for (const [part, each] of byPart) this.tables.get(part)!.remove.run(JSON.stringify(each));
  }

  private dropTable(part: number): void {
    if (!this.tables.delete(part)) return;
    this.db.exec(`DROP TABLE ${this.schema}.${tableOf(part)}`);
  }
}
