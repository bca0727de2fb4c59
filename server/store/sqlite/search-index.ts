import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { IDS_PER_TABLE, SearchWriter, indexParts, partOf, tableOf, type IndexBatch } from './search-writer';
import type { WriterMessage, WriterReply } from './search-worker';

export { IDS_PER_TABLE } from './search-writer';

/** Requests indexed per batch (a turn of the event loop between two); this many ids waiting, the next batch runs at once. */
const BATCH = 500;
/** How soon after a capture the background indexer runs (a search does not wait for it: it catches up first). */
const DELAY_MS = 250;
/** How soon the background indexer tries again after a batch failed (a full disk, say). */
const RETRY_MS = 5_000;
/** The most requests a search indexes before it answers (a larger backlog is left to the background). */
const CATCH_UP_LIMIT = 50_000;
/** The index's database as the store's connection sees it (attached). */
const SCHEMA = 'words';

/** Where the index's batches are written: its thread, or the store's connection itself. */
export interface WriterHost {
  write(batch: IndexBatch): Promise<void>;
  close(): Promise<void>;
}

/**
 * The words index of the SQLite store, in a database file of its own beside the store's (`<db>-search`; in memory
 * for a store in memory), written by a thread of its own (search-writer.ts, search-worker.ts), so that indexing
 * (a large body's words take longer than storing it) and the index's commits never hold up captures. The store's
 * connection has it attached as `words`, for searches.
 *
 * Captures do not write to it: the store says how far its commits got, and the writer reads the requests beyond the
 * index's progress from the database and indexes their words, in batches (what came in during DELAY_MS, BATCH
 * requests a batch, one batch at a time), in the background and before every search, so that a search finds every
 * request stored before it. Nothing of a request is held or copied for it on the thread that answers captures.
 * search_state.indexed_through says how far the index got; after a start, what lies beyond it (a stop before the
 * batch ran, an upgrade, a flood the thread fell behind) is indexed the same way. The store tells it of every delete
 * once committed (eviction, delete, clear, TTL, --max-stored, a bin's requests): the index rows go with the next batch, at once for the deletes a
 * person asks for (purge). At start, index rows whose request is gone without it being told (a stop before the batch
 * ran, another program) are removed, and an index that is not this database's (a backup restored, a file copied
 * alone) is rebuilt.
 */
export class SqliteSearchIndex {
  private readonly statements;
  private readonly host: WriterHost;
  /** The highest id handed to the writer: the progress mark once its batches are in. */
  private sentThrough: number;
  /** Requests deleted at or below sentThrough since the last batch: their index rows go with the next one. */
  private removed: number[] = [];
  /** Requests a person deleted at or below sentThrough: their index rows go with the next purge, and only there. */
  private erased: number[] = [];
  /** The batches, one after the other. */
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private draining = false;
  private closed = false;

  /** `file`: the store's database file, or null for one in memory. */
  constructor(private readonly db: Database.Database, file: string | null) {
    this.statements = {
      lastId: db.prepare('SELECT coalesce(max(id), 0) FROM requests').pluck(),
      // The last of the next BATCH requests after an id (gaps in the ids are skipped): null when fewer are left.
      batchEnd: db.prepare(`SELECT id FROM requests WHERE id > ? ORDER BY id LIMIT 1 OFFSET ${BATCH - 1}`).pluck(),
      anyBetween: db.prepare('SELECT EXISTS (SELECT 1 FROM requests WHERE id >= ? AND id < ?)').pluck(),
    };
    const wordsFile = file === null ? ':memory:' : `${file}-search`;
    try {
      this.sentThrough = this.open(wordsFile);
    } catch (err) {
      // Only words, all of them in the requests too: an index file that cannot be read is built again.
      console.error(`hooklens: the search index ${wordsFile} could not be read (${err instanceof Error ? err.message : err}); building it again`);
      if ((db.pragma('database_list') as { name: string }[]).some((d) => d.name === SCHEMA)) db.exec(`DETACH DATABASE ${SCHEMA}`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(wordsFile + suffix, { force: true });
      this.sentThrough = this.open(wordsFile);
    }
    const here = (): WriterHost => inThread(new SearchWriter(db, SCHEMA, 'main'));
    this.host = file === null ? here() : onThread(wordsFile, file, here);
    // Rows stored before this process (a backlog after a stop, or every row after an upgrade) are indexed soon.
    this.schedule();
  }

  /**
   * The index tables that may hold ids above `after` and below `before`, newest first: a search asks each, as
   * `words.<table> AS <table>` (the store's SQL names the table `request_words`; each name replaces it).
   */
  tablesWithin(after: number, before: number): string[] {
    return indexParts(this.db, SCHEMA)
      .filter((part) => (part + 1) * IDS_PER_TABLE > after + 1 && part * IDS_PER_TABLE < before)
      .sort((a, b) => b - a)
      .map(tableOf);
  }

  /** The schema the tables of tablesWithin are in. */
  get schema(): string {
    return SCHEMA;
  }

  /** Notes requests committed up to id `through`: their words go in with the next batch, within DELAY_MS. */
  stored(through: number): void {
    if (this.closed) return;
    if (through - this.sentThrough >= BATCH) this.drain();
    else this.schedule();
  }

  /**
   * Notes requests deleted (the delete committed): their index rows go with the next batch, or, for a delete a
   * person asked for (`erase`), with the purge that follows it.
   */
  deleted(ids: Iterable<number>, erase = false): void {
    // Not handed to the writer yet: it will not find them.
    for (const id of ids) if (id <= this.sentThrough) (erase ? this.erased : this.removed).push(id);
    if (this.removed.length > 0) this.schedule();
  }

  /** Brings the index up to date before a search: every request stored so far (up to CATCH_UP_LIMIT read back). */
  async catchUp(): Promise<void> {
    for (let done = 0; done < CATCH_UP_LIMIT; done += BATCH) {
      if (!(await this.step())) return;
    }
  }

  /**
   * After a delete a person asked for, or the TTL sweep: removes the deleted requests' index rows (those not yet
   * indexed never will be) and rewrites each table that held any (or drops it when none of its requests is left), zeroed, so
   * that their words are in no page of the index's files (FTS5 otherwise keeps them in its segments until those are
   * merged). This costs a write of those tables.
   */
  async purge(): Promise<void> {
    await this.serially(async () => {
      if (this.closed || this.erased.length === 0) return;
      const rewrite = [...new Set(this.erased.map(partOf))];
      const drop = rewrite.filter((part) => this.isEmpty(part));
      const { erased, removed } = this;
      this.erased = [];
      this.removed = [];
      try {
        await this.host.write({ after: this.sentThrough, through: null, removed: erased.concat(removed), purge: true, rewrite, drop });
      } catch (err) {
        // Tried again by the background indexer.
        this.failedBatch(erased, removed);
        this.schedule(RETRY_MS);
        throw err;
      }
    });
  }

  /**
   * Stops the writer once the batch in hand is in. What is not indexed yet is indexed when next opened (read from the
   * requests, as now): a stop does not wait for a backlog.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.closed = true;
    await this.serially(() => this.host.close());
  }

  /**
   * At start, on the store's connection (the writer's thread is not running yet): attaches the index's file, checks
   * that it is this database's, removes index rows of requests gone and drops tables none of whose requests is left.
   * Answers the progress mark.
   */
  private open(wordsFile: string): number {
    const { db } = this;
    db.prepare(`ATTACH DATABASE ? AS ${SCHEMA}`).run(wordsFile);
    if (wordsFile !== ':memory:') db.pragma(`${SCHEMA}.journal_mode = WAL`);
    db.exec(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.search_state (
      id INTEGER PRIMARY KEY CHECK (id = 1), generation TEXT NOT NULL, indexed_through INTEGER NOT NULL)`);
    // Up to version 9 the index was in the store's own file (migration 010 dropped its progress mark): its pages zeroed.
    const legacy = indexParts(db, 'main');
    if (legacy.length > 0) {
      db.pragma('main.secure_delete = ON');
      for (const part of legacy) db.exec(`DROP TABLE main.${tableOf(part)}`);
      db.pragma('main.secure_delete = FAST');
      db.pragma('main.wal_checkpoint(TRUNCATE)');
    }
    // search_state.generation must match the database's (a backup's copy has none: migration 010).
    let generation = db.prepare('SELECT generation FROM main.search_index').pluck().get() as string | undefined;
    if (generation === undefined) {
      generation = randomBytes(12).toString('hex');
      db.prepare('INSERT INTO main.search_index (id, generation) VALUES (1, ?)').run(generation);
    }
    const state = db.prepare(`SELECT generation, indexed_through AS through FROM ${SCHEMA}.search_state`).get() as
      { generation: string; through: number } | undefined;
    const lastId = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'requests'").pluck().get() as number | undefined) ?? 0;
    // Another database's index, or this one's from before a copy of the database was put back: built again.
    if (state === undefined || state.generation !== generation || state.through > lastId) {
      db.transaction(() => {
        for (const part of indexParts(db, SCHEMA)) db.exec(`DROP TABLE ${SCHEMA}.${tableOf(part)}`);
        db.prepare(`DELETE FROM ${SCHEMA}.search_state`).run();
        db.prepare(`INSERT INTO ${SCHEMA}.search_state (id, generation, indexed_through) VALUES (1, ?, 0)`).run(generation);
      })();
      return 0;
    }
    // Requests deleted while no hooklens was told: purged as a person's delete is (it may have been one, before a stop).
    const parts = indexParts(db, SCHEMA);
    const drop = parts.filter((part) => this.isEmpty(part));
    const ghosts = parts.filter((part) => !drop.includes(part)).flatMap((part) => db.prepare(`SELECT s.rowid FROM ${SCHEMA}.${tableOf(part)} s
      WHERE NOT EXISTS (SELECT 1 FROM main.requests r WHERE r.id = s.rowid)`).pluck().all() as number[]);
    if (drop.length > 0 || ghosts.length > 0) {
      new SearchWriter(db, SCHEMA, 'main').write({ after: state.through, through: null, removed: ghosts, purge: true, rewrite: [...new Set(ghosts.map(partOf))], drop });
    }
    return state.through;
  }

  /**
   * One batch: the next BATCH new requests (the writer reads them) and the index rows of requests deleted since.
   * True when more may be waiting.
   */
  private step(): Promise<boolean> {
    return this.serially(async () => {
      if (this.closed) return false;
      const last = this.statements.lastId.get() as number;
      const after = this.sentThrough;
      const through = last > after ? (this.statements.batchEnd.get(after) as number | undefined) ?? last : null;
      if (through === null && this.removed.length === 0) return false;
      const removed = this.removed;
      this.removed = [];
      if (through !== null) this.sentThrough = through;
      try {
        await this.host.write({ after, through, removed, purge: false, rewrite: [], drop: [] });
      } catch (err) {
        this.failedBatch([], removed);
        throw err;
      }
      return through !== null && through < last;
    });
  }

  /** Whether none of the requests whose ids the table of `part` is for is left. */
  private isEmpty(part: number): boolean {
    return !this.statements.anyBetween.get(part * IDS_PER_TABLE, (part + 1) * IDS_PER_TABLE);
  }

  /**
   * After a batch failed (or its thread stopped, written or not): the next batches go on from the progress mark in
   * the file, and delete again what the batch was to delete (twice is harmless).
   */
  private failedBatch(erased: number[], removed: number[]): void {
    const through = this.db.prepare(`SELECT indexed_through FROM ${SCHEMA}.search_state`).pluck().get() as number;
    this.sentThrough = through;
    this.erased = erased.concat(this.erased).filter((id) => id <= through);
    this.removed = removed.concat(this.removed).filter((id) => id <= through);
  }

  /** Runs `task` after every batch before it. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.chain.then(task);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private schedule(delay = DELAY_MS): void {
    if (this.timer !== null || this.draining || this.closed) return;
    this.timer = setTimeout(() => this.drain(), delay).unref();
  }

  /** Batches until nothing waits, a turn of the event loop between two (captures go on meanwhile). */
  private drain(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.draining || this.closed) return;
    this.draining = true;
    let failed = false;
    void (async () => {
      try {
        while (await this.step()) await nextTurn();
        // A purge that failed (its delete is done): its words go now.
        if (this.erased.length > 0) await this.purge();
      } catch (err) {
        console.error('hooklens: indexing requests for search failed (tried again shortly):', err instanceof Error ? err.message : err);
        failed = true;
      } finally {
        this.draining = false;
      }
      // Closed meanwhile (its connection too): nothing is left to do.
      if (this.closed) return;
      let behind = true;
      try {
        behind = (this.statements.lastId.get() as number) > this.sentThrough;
      } catch {
        // The database did not answer (the failure above, say): tried again with the next batch.
        failed = true;
      }
      if (behind || this.removed.length > 0 || this.erased.length > 0) this.schedule(failed ? RETRY_MS : DELAY_MS);
    })();
  }
}

/** The thread's script beside this module: the built one (dist/server) or, run from the sources, the TypeScript. */
function defaultScript(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './search-worker.ts' : './search-worker.js', import.meta.url);
}

/** The writer on the store's connection: for a database in memory, and after the thread failed. */
function inThread(writer: SearchWriter): WriterHost {
  return { write: async (batch) => writer.write(batch), close: async () => {} };
}

/**
 * The writer on a thread of its own, with its own connection to the index's file, to which the store's, `store`, is
 * attached. Should the thread fail, the batches it had fail, and every later one is written by `fallback()`.
 */
export function onThread(file: string, store: string, fallback: () => WriterHost, script = defaultScript()): WriterHost {
  const workerData = { file, store };
  const worker = script.pathname.endsWith('.ts')
    // Run from the sources (tests, `npm run dev`): the thread loads TypeScript as this process does, through tsx.
    ? new Worker(`import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(script.href)});`, { eval: true, workerData })
    : new Worker(script, { workerData });
  worker.unref();
  let seq = 0;
  /** The writer instead of the thread, once the thread failed. */
  const state: { instead: WriterHost | null; closing: boolean } = { instead: null, closing: false };
  const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  const failed = (err: Error): void => {
    if (state.closing) return;
    if (state.instead === null) console.error(`hooklens: the search index is written on the main thread from now on: ${err.message}`);
    state.instead ??= fallback();
    for (const { reject } of waiting.values()) reject(err);
    waiting.clear();
  };
  worker.on('message', ({ seq: done, error }: WriterReply) => {
    const wait = waiting.get(done);
    waiting.delete(done);
    // Idle, the thread keeps no process alive; with a batch out, it does (until it answers).
    if (waiting.size === 0) worker.unref();
    if (error === undefined) wait?.resolve();
    else wait?.reject(new Error(error));
  });
  worker.on('error', failed);
  worker.on('exit', (code) => failed(new Error(`its thread exited (code ${code})`)));
  const send = (batch: IndexBatch): Promise<void> => new Promise((resolve, reject) => {
    const id = ++seq;
    waiting.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ seq: id, batch } satisfies WriterMessage);
  });
  return {
    async write(batch) {
      if (state.closing) throw new Error('the search index is closed');
      if (state.instead !== null) return state.instead.write(batch);
      // A batch the thread stopped with fails: the index goes on from the progress mark in the file.
      await send(batch);
    },
    async close() {
      if (state.instead !== null) return;
      state.closing = true;
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ seq: ++seq, close: true } satisfies WriterMessage);
      await exited;
    },
  };
}
