/**
 * The search index's thread (search-index.ts): writes the batches it is sent into the index's own database file, off
 * the thread that stores and answers captures, and says when each is in. It reads the requests to index from the
 * store's database itself (attached as `store`): the thread that answers captures hands over ids, not copies.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { SearchWriter, type IndexBatch } from './search-writer';

export type WriterMessage = { seq: number; batch: IndexBatch } | { seq: number; close: true };
export type WriterReply = { seq: number; error?: string };

const { file, store } = workerData as { file: string; store: string };
const db = new Database(file);
// As the store's own file: WAL (the store reads while this writes), a commit survives the process being killed.
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('secure_delete = FAST');
db.prepare('ATTACH DATABASE ? AS store').run(store);
const writer = new SearchWriter(db, 'main', 'store');

parentPort!.on('message', (message: WriterMessage) => {
  if ('close' in message) {
    db.close();
    // Ends this thread alone (the store waits for its exit); the loader of the sources would keep it alive a while.
    process.exit(0);
  }
  try {
    writer.write(message.batch);
    parentPort!.postMessage({ seq: message.seq } satisfies WriterReply);
  } catch (err) {
    parentPort!.postMessage({ seq: message.seq, error: err instanceof Error ? err.message : String(err) } satisfies WriterReply);
  }
});
