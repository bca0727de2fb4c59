import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread copies the WAL into the database file. */
const INTERVAL_MS = 100;
/**
 * The store's own connection checkpoints at this many WAL pages (16 MB at 4 KB), which the thread keeps it from
 * reaching: a reader may hold the thread's checkpoints back, and a WAL starts over only after a checkpoint by a
 * writer (SQLite's rule), so it would grow without this one.
 */
const RESTART_PAGES = 4096;
/** SQLite's default: what the store's connection goes back to if the thread fails. */
const DEFAULT_PAGES = 1000;
/** How long a stop waits for the thread to finish its checkpoint and close, before ending it. */
const CLOSE_MS = 2000;

type CheckpointData = { driver: string; file: string; intervalMs: number };
type CheckpointMessage = { close: true };

/**
 * The thread: every `intervalMs`, a PASSIVE checkpoint on a connection of its own (SQLITE_BUSY, another checkpoint
 * running, is left to the next tick); on `close`, it stops and closes. Plain JavaScript, run without the process's
 * loader (`execArgv: []`): from the sources too, the thread loads nothing but the driver.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
// The store's own connection checkpoints too (rarely): whichever comes second waits for the other.
db.pragma('busy_timeout = 5000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch (err) {
    if (err.code !== 'SQLITE_BUSY') throw err;
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (!message.close) return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});
`;

/** Stops the checkpoint thread. */
export interface Checkpointer {
  close(): Promise<void>;
}

/**
 * Checkpoints the WAL of `file` on a thread with its own connection: a checkpoint copies every page committed since
 * the last one into the database file, which the thread that answers captures would otherwise do itself every 1,000
 * pages (a 64 KB capture writes 17). Should the thread fail, `db` checkpoints as before, and says so once.
 */
export function checkpointOnThread(db: Database.Database, file: string, script: string | URL = THREAD): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${RESTART_PAGES}`);
  const workerData: CheckpointData = { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs: INTERVAL_MS };
  const worker = new Worker(script, { eval: typeof script === 'string', execArgv: [], workerData });
  // The thread keeps no process alive: stopping the server stops it (close()).
  worker.unref();
  let closing = false;
  let failed = false;
  const fail = (reason: string): void => {
    if (closing || failed) return;
    failed = true;
    console.error(`hooklens: the database's WAL is checkpointed on the main thread from now on: ${reason}`);
    if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
  };
  worker.on('error', (err) => fail(err.message));
  worker.on('exit', (code) => fail(`its thread exited (code ${code})`));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async close() {
      if (closing) return exited;
      closing = true;
      if (failed) return;
      // Until the thread has gone, it keeps the process alive: a stop that awaits this must not end on an empty loop.
      worker.ref();
      worker.postMessage({ close: true } satisfies CheckpointMessage);
      // A thread that does not answer (stuck on the file) must not hold up the stop: ended, it leaves no harm behind
      // (an unfinished checkpoint is finished by the next one).
      const stuck = setTimeout(() => void worker.terminate(), CLOSE_MS);
      await exited;
      clearTimeout(stuck);
    },
  };
}
