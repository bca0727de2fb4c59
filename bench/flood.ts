/**
 * Memory under a flood of large bodies: hooklens at its defaults (--max-body 10mb, so a body budget of 256 MB) takes
 * --connections (64) senders each posting 10 MB bodies back to back for --seconds (10), and its RSS is sampled every
 * 50 ms. The bar: the peak stays under the body budget plus 150 MB. Also counted: answers by status (a 503 says the
 * budget was full and asks the sender to retry; every 2xx is a stored request). The server runs as the package runs
 * it, built into dist/server first: under tsx its loader alone holds ~25 MB more.
 * Usage: npx tsx bench/flood.ts [--connections 64 --seconds 10 --mb 10]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { option, rssMb, startChild } from './process';

const connections = option('connections', 64);
const seconds = option('seconds', 10);
const mb = option('mb', 10);
const BUDGET_MB = 256;

const dir = mkdtempSync(join(tmpdir(), 'hooklens-flood-'));
execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
const child = await startChild(['dist/server/index.js', '--port', '0', '--db', join(dir, 'flood.db')]);
const base = child.url;
const rss = (): number => rssMb(child.pid);
await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'flood' }) });

// The same 10 MB of JSON-ish text for every request, written in 64 KB chunks as a sender's socket would.
const chunk = Buffer.alloc(64 * 1024, 'a');
const chunks = Math.round((mb * 1024 * 1024) / chunk.length);
const url = new URL(`${base}/b/flood`);
const statuses = new Map<number | string, number>();
const count = (key: number | string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
const idleRss = rss();
let peak = idleRss;
const sampler = setInterval(() => { peak = Math.max(peak, rss()); }, 50);
const until = Date.now() + seconds * 1000;

function post(): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST',
      headers: { 'content-type': 'text/plain', 'content-length': chunks * chunk.length } }, (res) => {
      res.resume();
      res.on('end', () => { count(res.statusCode ?? 0); resolve(); });
    });
    req.on('error', (err) => { count(`error: ${err.message}`); resolve(); });
    let written = 0;
    const write = (): void => {
      while (written < chunks) {
        written++;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

await Promise.all(Array.from({ length: connections }, async () => {
  while (Date.now() < until) await post();
}));
clearInterval(sampler);
peak = Math.max(peak, rss());
const answered = [...statuses].map(([status, n]) => `${status}: ${n}`).join(', ');
console.log(`flood: ${connections} senders of ${mb} MB bodies for ${seconds} s; answers ${answered}`);
console.log(`RSS: ${idleRss.toFixed(0)} MB idle, ${peak.toFixed(0)} MB at the peak; bar: under ${BUDGET_MB} MB (the body budget) + 150 MB = ${BUDGET_MB + 150} MB`);
child.stop();
rmSync(dir, { recursive: true, force: true });
