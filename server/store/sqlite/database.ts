import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { migrationsDir } from '../migrations-dir';

const MIGRATIONS = migrationsDir(import.meta.url, 'sqlite');

/**
 * Opens (creating folders and file as needed) and migrates the database.
 * Throws when the file cannot be opened or a migration fails; a failed migration leaves the schema as it was.
 */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
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
  // One hooklens per database: the store keeps the bin ids in memory, which a second writer would make untrue.
  // The lock is taken by the first write below and held until the process ends.
  db.pragma('locking_mode = EXCLUSIVE');
  migrate(db);
  return db;
}

/** Applies, in order and each in its own transaction, the numbered migrations newer than user_version. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const files = readdirSync(MIGRATIONS).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
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
