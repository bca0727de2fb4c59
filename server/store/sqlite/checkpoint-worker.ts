/**
 * The database's checkpoint thread (checkpointer.ts): copies the WAL's committed pages into the database file every
 * `intervalMs`, on a connection of its own, off the thread that stores and answers captures.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

export type CheckpointData = { file: string; intervalMs: number };
export type CheckpointMessage = { close: true };

const { file, intervalMs } = workerData as CheckpointData;
const db = new Database(file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
// The store's own connection checkpoints too (rarely): whichever comes second waits for the other.
db.pragma('busy_timeout = 5000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch (err) {
    // Busy: another checkpoint is running; the next tick does the work.
    if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') throw err;
  }
}, intervalMs);

parentPort!.on('message', (message: CheckpointMessage) => {
  if (!message.close) return;
  clearInterval(timer);
  db.close();
  // Ends this thread alone (the store waits for its exit); the loader of the sources would keep it alive a while.
  process.exit(0);
});
