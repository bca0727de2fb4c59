import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrationsDir } from '../migrations-dir';

const MIGRATIONS = migrationsDir(import.meta.url, 'sqlite');

/** The store's connection, and the lock that keeps other hooklens processes off its file (null in memory). */
export interface OpenDatabase {
  db: Database.Database;
  lock: Database.Database | null;
}

/**
 * Opens (creating folders and file as needed) and migrates the database, holding its lock (holdDatabase).
 * Throws when the file is in use by another hooklens, cannot be opened or a migration fails; a failed migration
 * leaves the schema as it was.
 */
export function openDatabase(file: string): OpenDatabase {
  if (file === ':memory:') return { db: prepare(new Database(file)), lock: null };
  mkdirSync(dirname(file), { recursive: true });
  const lock = holdDatabase(file);
  try {
    return { db: prepare(new Database(file)), lock };
  } catch (err) {
    lock.close();
    throw err;
  }
}

/**
 * One hooklens per database: the store keeps the bin ids in memory, which a second writer would make untrue. The
 * lock is an exclusive lock on a file of its own, `<file>-lock`, held until closed (or the process ends): on the
 * database file itself it would keep out the store's checkpoint thread (checkpointer.ts) too. Throws "database is
 * locked" when another process holds it.
 */
export function holdDatabase(file: string): Database.Database {
  const lock = new Database(lockFileOf(file), { timeout: 1000 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    // The exclusive lock is taken by a write transaction and, in this mode, kept after it.
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
    return lock;
  } catch (err) {
    lock.close();
    throw err;
  }
}

/** The file holdDatabase locks: by the database's real path, as SQLite follows a symbolic link to the database. */
export function lockFileOf(file: string): string {
  return `${existsSync(file) ? realpathSync(file) : file}-lock`;
}

/** Sets the connection up and migrates its schema. */
function prepare(db: Database.Database): Database.Database {
  // WAL: readers never block the writer, and a commit is one append to the log.
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives the process being killed (the OS has the pages);
  // only a power loss can drop the last commits. FULL would fsync every capture.
  db.pragma('synchronous = NORMAL');
  // Deleting a bin deletes its requests.
  db.pragma('foreign_keys = ON');
  // Statement journals (each insert in a batch has one: its bin's count may have to be rolled back) in memory, not in
  // a temporary file: on disk they cost a dozen writes per captured request.
  db.pragma('temp_store = MEMORY');
  // Another process (a backup, the sqlite3 shell) may hold a lock briefly: wait rather than fail.
  db.pragma('busy_timeout = 5000');
  // Deleted content is zeroed where the page is written anyway (headers and small bodies); the store turns this to ON
  // for the deletes a person asks for, so that their bodies' overflow pages are zeroed too. Eviction past the limits
  // on every capture does not pay for that: its free pages are reused by the next captures.
  db.pragma('secure_delete = FAST');
  checkIntegrity(db);
  migrate(db);
  return db;
}

/**
 * Refuses a damaged database at start, rather than failing captures later: SQLite's quick_check reads every page
 * (a second or so per GB). The message says what to do.
 */
function checkIntegrity(db: Database.Database): void {
  const problems = db.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[];
  if (problems.length === 1 && problems[0].quick_check === 'ok') return;
  const said = problems.map((p) => p.quick_check.replace(/\*\*\* in database main \*\*\*\s*/, '').replace(/\s*\n\s*/g, '; ')).join('; ');
  throw new Error(`the database is damaged (SQLite's quick_check: ${said}). ` +
    'Restore the last backup (GET /api/backup makes one), or copy out what is readable with ' +
    '`sqlite3 <file> .recover | sqlite3 <new file>` and start on the new file');
}

/** Applies, in order and each in its own transaction, the numbered migrations newer than user_version. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const files = readdirSync(MIGRATIONS).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
  const known = Number.parseInt(files.at(-1) ?? '0', 10);
  if (current > known) {
    throw new Error(`the database was written by a newer hooklens (schema version ${current}; this one knows up to ${known}). ` +
      'Run that version or a later one, or restore a backup this version made');
  }
  for (const file of files) {
    const version = Number.parseInt(file, 10);
    if (version <= current) continue;
    const sql = readFileSync(join(MIGRATIONS, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

/**
 * Copies the whole WAL of `schema` into its database and empties the file (TRUNCATE), so that no earlier version of
 * a page stays in it. While another connection checkpoints (the store's checkpoint thread, checkpointer.ts) SQLite
 * skips this one at once, whatever the busy timeout: it is tried again, every few ms for up to `waitMs`. Answers
 * whether it was done.
 */
export async function truncateWal(db: Pick<Database.Database, 'pragma'>, schema = 'main', waitMs = 2000): Promise<boolean> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const [{ busy }] = db.pragma(`${schema}.wal_checkpoint(TRUNCATE)`) as { busy: number }[];
    if (busy === 0) return true;
    if (performance.now() >= deadline) return false;
    await sleep(5);
  }
}
