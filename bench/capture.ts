/**
 * Capture throughput: hooklens's /b/{binId} against a bare node:http server that only reads the body and answers,
 * measured in the same run, on the same machine, alternating rounds so that noise hits both alike.
 * Usage: npm run bench [-- --seconds 10 --connections 32 --rounds 2 --zendesk --body-kb 64 --db postgres://user:pass@host/db]
 * --zendesk sends what a Zendesk webhook sends: Basic email/token credentials and the signature headers.
 * --body-kb N sends a JSON body of N KB instead of the 110-byte webhook. --workers N: autocannon's worker threads.
 * --wrk: the load comes from wrk (`wrk -t1 -c<connections>`, Debian's package) instead of autocannon; a ratio depends
 * on the generator.
 * --floor adds the floor of a durable capture (bench/floor-server.mjs: node:http and a SQLite row per request,
 * group commit, nothing else), to tell what SQLite costs from what hooklens's own work does.
 * --server-workers N adds hooklens on SQLite with `--workers N` (N server processes and the writer); its CPU time
 * counts all of them, and the writer's alone is printed too (with its search index's thread): one writer bounds what N take.
 * --db adds hooklens on that PostgreSQL database, as one instance and as two instances sharing it (the load split
 * between them), beside SQLite and the bare server.
 * Then live latency on SQLite: 10 viewers follow a bin over /api/live while it takes --live-rate webhooks a second
 * (1000) for --live-seconds (5) after a second of warm-up. Two figures, p50/p99/max: each capture's time from its
 * sending to each viewer's receipt (an upper bound: it counts the wait for the commit too), and from its answer's
 * arrival to each viewer's receipt (commit → socket: hooklens answers and announces a capture in the same turn of
 * the event loop, right after its commit; a message that came before the answer counts 0).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { cpuSeconds, option, rssMb, startChild, treeCpuSeconds, type Child } from './process';

const args = process.argv.slice(2);
const seconds = option('seconds', 10);
const connections = option('connections', 32);
const rounds = option('rounds', 2);
const zendesk = args.includes('--zendesk');
// autocannon's worker threads: on many cores one generator thread cannot keep a server busy.
const workers = option('workers', 0);
const pgUrl = args.includes('--db') ? args[args.indexOf('--db') + 1] : null;
const bodyKb = option('body-kb', 0);
const serverWorkers = option('server-workers', 0);
const webhook = { type: 'ticket.updated', account_id: 123456, detail: { id: '35436', subject: 'Printer on fire', status: 'open', priority: 'urgent' } };
const body = bodyKb > 0 ? JSON.stringify({ ...webhook, padding: 'x'.repeat(bodyKb * 1024 - JSON.stringify(webhook).length - 14) }) : JSON.stringify(webhook);

const timestamp = '2026-12-01T08:00:00Z';
const headers: Record<string, string> = {
  'content-type': 'application/json',
  'user-agent': 'Zendesk Webhook',
  ...(zendesk ? {
    authorization: 'Basic ' + Buffer.from('jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv').toString('base64'),
    'x-zendesk-account-id': '123456',
    'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY',
    'x-zendesk-webhook-invocation-id': '8350205582',
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': createHmac('sha256', 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==').update(timestamp + body).digest('base64'),
  } : {}),
};


const dir = mkdtempSync(join(tmpdir(), 'hooklens-bench-'));
const binId = `bench-${process.pid}`;

/** Starts hooklens on `db` and creates the bench bin (on a shared database, once). */
async function startHooklens(db: string, createBin: boolean, extra: string[] = []): Promise<Child> {
  const child = await startChild(['--import', 'tsx', 'server/index.ts', '--port', '0', '--db', db, ...extra]);
  if (createBin) {
    const res = await fetch(`${child.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: binId }) });
    if (res.status !== 201) throw new Error(`creating the bench bin answered ${res.status}`);
  }
  return child;
}

const useWrk = args.includes('--wrk');
const wrkScript = join(dir, 'post.lua');
// The body in a Lua long string (the webhook's JSON holds no `]==]`).
writeFileSync(wrkScript, `wrk.method = "POST"\nwrk.body = [==[${body}]==]\n` +
  Object.entries(headers).map(([name, value]) => `wrk.headers["${name}"] = "${value}"\n`).join(''));

interface Load { rps: number; p50: number; p99: number; errors: number; total: number }
/**
 * A load's figures, and the CPU time the servers spent per request (µs, all their threads and processes): steadier
 * than req/s on a busy machine; `firstUs` counts the first process alone (with --workers: the writer).
 */
interface Measured extends Load { cpuUs: number; firstUs: number }

/** One wrk run (one thread) against `url`: its rate, latency percentiles, and socket errors and non-2xx answers. */
function wrk(url: string, connectionCount: number, duration: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    execFile('wrk', ['-t1', `-c${connectionCount}`, `-d${duration}s`, '--latency', '-s', wrkScript, url], (err, out) => {
      if (err) return reject(err);
      const number = (pattern: RegExp): number => Number(pattern.exec(out)?.[1] ?? 0);
      const ms = (percentile: string): number => {
        const match = new RegExp(`^\\s+${percentile}%\\s+([\\d.]+)(us|ms|s)$`, 'm').exec(out);
        if (!match) return NaN;
        return Number(match[1]) * (match[2] === 'us' ? 0.001 : match[2] === 's' ? 1000 : 1);
      };
      const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      resolve({
        rps: number(/Requests\/sec:\s+([\d.]+)/), p50: ms('50'), p99: ms('99'), total: number(/(\d+) requests in/),
        errors: number(/Non-2xx or 3xx responses: (\d+)/) + (socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0),
      });
    });
  });
}

/** One load on the target's instances at once, the connections split between them; their results added up. */
async function loadAll({ children, name }: { name: string; children: Child[] }): Promise<Measured> {
  const urls = urlsOf({ name, children });
  const cpuBefore = children.reduce((n, c) => n + treeCpuSeconds(c.pid), 0);
  const firstBefore = cpuSeconds(children[0].pid);
  const share = Math.max(1, Math.round(connections / urls.length));
  const each = useWrk ? await Promise.all(urls.map((url) => wrk(url, share, seconds))) : await Promise.all(urls.map(async (url): Promise<Load> => {
    const r = await autocannon({ url, connections: share, duration: seconds, method: 'POST', body, headers, ...(workers > 0 ? { workers } : {}) });
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, total: r.requests.total };
  }));
  const total = each.reduce((n, r) => n + r.total, 0);
  return {
    cpuUs: ((children.reduce((n, c) => n + treeCpuSeconds(c.pid), 0) - cpuBefore) * 1e6) / total,
    firstUs: ((cpuSeconds(children[0].pid) - firstBefore) * 1e6) / total,
    rps: each.reduce((n, r) => n + r.rps, 0),
    p50: Math.max(...each.map((r) => r.p50)),
    p99: Math.max(...each.map((r) => r.p99)),
    errors: each.reduce((n, r) => n + r.errors, 0),
    total,
  };
}

const bare = await startChild(['bench/bare-server.mjs']);
const targets: { name: string; children: Child[] }[] = [
  { name: 'bare node:http', children: [bare] },
  { name: 'hooklens on SQLite', children: [await startHooklens(join(dir, 'bench.db'), true)] },
];
if (serverWorkers > 0) {
  targets.push({ name: `hooklens on SQLite, --workers ${serverWorkers}`,
    children: [await startHooklens(join(dir, 'workers.db'), true, ['--workers', String(serverWorkers)])] });
}
if (pgUrl !== null) {
  const first = await startHooklens(pgUrl, true);
  targets.push({ name: 'hooklens on PostgreSQL, 1 instance', children: [first] });
  targets.push({ name: 'hooklens on PostgreSQL, 2 instances', children: [first, await startHooklens(pgUrl, false)] });
}
if (args.includes('--floor')) targets.push({ name: 'floor: node:http + a SQLite row', children: [await startChild(['bench/floor-server.mjs'])] });
const urlsOf = (t: { name: string; children: Child[] }) => t.children.map((c) => (t.name.startsWith('hooklens') ? `${c.url}/b/${binId}` : c.url));

console.log(`capture benchmark (${useWrk ? 'wrk -t1' : 'autocannon'}): ${rounds} rounds × ${seconds} s each, ${connections} connections, POST ${Buffer.byteLength(body)}-byte JSON` +
  (zendesk ? ', with Zendesk Basic credentials and signature headers' : ''));
// Warm every target up (JIT, page caches, connection pools) before measuring.
for (const target of targets) {
  await Promise.all(urlsOf(target).map((url) => (useWrk ? wrk(url, connections, 2) : autocannon({ url, connections, duration: 2, method: 'POST', body, headers }))));
}

const results = new Map<string, Awaited<ReturnType<typeof loadAll>>[]>(targets.map((t) => [t.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const target of targets) results.get(target.name)!.push(await loadAll(target));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const table = targets.map(({ name }) => {
  const rs = results.get(name)!;
  return {
    server: name,
    'req/s (median of rounds)': Math.round(median(rs.map((r) => r.rps))),
    'p50 ms': median(rs.map((r) => r.p50)),
    'p99 ms': median(rs.map((r) => r.p99)),
    'server CPU µs/req': Math.round(median(rs.map((r) => r.cpuUs))),
    ...(name.includes('--workers') && { 'writer CPU µs/req': Math.round(median(rs.map((r) => r.firstUs))) }),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    requests: rs.reduce((n, r) => n + r.total, 0),
  };
});
console.table(table);
const bareRate = table[0]['req/s (median of rounds)'];
for (const row of table.slice(1)) {
  console.log(`${row.server}: ${(row['req/s (median of rounds)'] / bareRate * 100).toFixed(1)}% of the bare node:http server (same run), ` +
    `${(row['server CPU µs/req'] / table[0]['server CPU µs/req']).toFixed(1)}× its CPU time per request`);
}
for (const row of table) {
  const writerUs = 'writer CPU µs/req' in row ? row['writer CPU µs/req'] : undefined;
  if (writerUs === undefined) continue;
  console.log(`${row.server}: its writer spent ${writerUs} µs of CPU per capture, its search index's thread included ` +
    `(${Math.round(1e6 / writerUs)} captures per second of that CPU; on a machine busy with the load, the cost is higher)`);
}
console.log(`hooklens (SQLite) RSS after the run: ${rssMb(targets[1].children[0].pid).toFixed(1)} MB (rows kept: --max-requests 10000 per bin)`);

// Indexing for search runs behind captures (on its own thread on SQLite): a search waits for it to catch up, so that the
// live phase measures the live path, not the backlog of the load above.
const searchStarted = performance.now();
const search = await fetch(`${targets[1].children[0].url}/api/bins/${binId}/requests?limit=1&q=zendesk`);
if (!search.ok) throw new Error(`the search answered ${search.status}`);
console.log(`hooklens (SQLite) search index caught up with the load ${Math.round(performance.now() - searchStarted)} ms after it (one search)`);
await liveLatency(targets[1].children[0].url);

if (pgUrl !== null) await fetch(`${targets[2].children[0].url}/api/bins/${binId}`, { method: 'DELETE' });
for (const target of targets) for (const child of target.children) child.stop();
rmSync(dir, { recursive: true, force: true });

/** Live latency: VIEWERS sockets follow a bin of their own while captures arrive at a steady rate. */
async function liveLatency(base: string): Promise<void> {
  const VIEWERS = 10;
  const rate = option('live-rate', 1000);
  const liveSeconds = option('live-seconds', 5);
  const liveBin = `${binId}-live`;
  // The webhook, whatever --body-kb says: 1000 bodies of 64 KB a second is more than the machine captures.
  const liveBody = JSON.stringify(webhook);
  await fetch(`${base}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: liveBin }) });
  const sentAt = new Map<number, number>();
  const answeredAt = new Map<number, number>();
  /** Each viewer's receipt of each counted capture. */
  const received: { seq: number; at: number }[] = [];
  const warmUp = rate;
  const sockets = await Promise.all(Array.from({ length: VIEWERS }, () => new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/live`, { headers: { origin: base } });
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', binId: liveBin }));
      resolve(socket);
    });
    socket.on('error', reject);
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; request?: { path: string } };
      const seq = message.type === 'request' ? /^\/seq\/(\d+)$/.exec(message.request!.path) : null;
      // The first second warms up (JIT, the checkpoint after the load above): not counted.
      if (seq && Number(seq[1]) >= warmUp) received.push({ seq: Number(seq[1]), at: performance.now() });
    });
  })));
  // Subscribed: the server answers a subscribe before the next message is read; a moment for all ten.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const total = rate * (liveSeconds + 1);
  const started = performance.now();
  let failed = 0;
  const sends: Promise<void>[] = [];
  for (let seq = 0; seq < total; seq++) {
    const due = started + (seq * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    sentAt.set(seq, performance.now());
    sends.push(fetch(`${base}/b/${liveBin}/seq/${seq}`, { method: 'POST', headers, body: liveBody }).then(async (res) => {
      answeredAt.set(seq, performance.now());
      await res.arrayBuffer();
      if (res.status !== 200) failed++;
    }, () => void failed++));
  }
  const sentRate = total / ((performance.now() - started) / 1000);
  await Promise.all(sends);
  const deadline = performance.now() + 5000;
  while (received.length < (total - warmUp) * VIEWERS && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const socket of sockets) socket.close();
  const percentiles = (values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
    return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
  };
  const afterSending = received.map(({ seq, at }) => at - sentAt.get(seq)!);
  const afterAnswer = received.flatMap(({ seq, at }) => (answeredAt.has(seq) ? [Math.max(0, at - answeredAt.get(seq)!)] : []));
  console.log(`live: ${total - warmUp} captures at ${rate}/s to ${VIEWERS} viewers after 1 s of warm-up (sent at ${Math.round(sentRate)}/s), ` +
    `${received.length} of ${(total - warmUp) * VIEWERS} messages received, ${failed} captures not answered 200`);
  console.log(`  send → viewer's socket (upper bound): ${percentiles(afterSending)}`);
  console.log(`  answer → viewer's socket (commit → socket): ${percentiles(afterAnswer)} (bar: p99 ≤ 20 ms)`);
}
