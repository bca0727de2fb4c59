// The floor of a durable capture, for `npm run bench -- --floor`: node:http, and each request stored as one row
// (method, target, headers as JSON, body) in SQLite in WAL mode, the rows of a turn of the event loop committed
// together, each answered with its id once committed. No credentials, signatures, search index or retention: what
// is left between this and hooklens is what those and hooklens's own code cost.
import { createServer } from 'node:http';
import { setImmediate } from 'node:timers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const dir = mkdtempSync(join(tmpdir(), 'hooklens-floor-'));
const db = new Database(join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE requests (id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, method TEXT NOT NULL,
  url TEXT NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL)`);
const insert = db.prepare('INSERT INTO requests (received_at, method, url, headers, body) VALUES (?, ?, ?, ?, ?)');
let queue = [];
const commit = db.transaction((captures) => {
  for (const c of captures) c.id = Number(insert.run(Date.now(), c.method, c.url, c.headers, c.body).lastInsertRowid);
});

function flush() {
  const captures = queue;
  queue = [];
  commit(captures);
  for (const c of captures) {
    const body = JSON.stringify({ ok: true, id: c.id });
    c.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    c.res.end(body);
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (queue.length === 0) setImmediate(flush);
    queue.push({ res, method: req.method, url: req.url, headers: JSON.stringify(req.rawHeaders), body: Buffer.concat(chunks), id: 0 });
  });
});
server.listen(0, '127.0.0.1', () => console.log(`floor listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}));
