/**
 * Capture throughput: hooklens's /b/{binId} against a bare node:http server that only reads the body and answers,
 * measured in the same run, on the same machine, alternating rounds so that noise hits both alike.
 * Usage: npm run bench [-- --seconds 10 --connections 32 --rounds 2 --zendesk --body-kb 64 --db postgres://user:pass@host/db]
 * --zendesk sends what a Zendesk webhook sends: Basic email/token credentials and the signature headers.
 * --body-kb N sends a JSON body of N KB instead of the 110-byte webhook. --workers N: autocannon's worker threads.
 * --db adds hooklens on that PostgreSQL database, as one instance and as two instances sharing it (the load split
 * between them), beside SQLite and the bare server.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const seconds = option('seconds', 10);
const connections = option('connections', 32);
const rounds = option('rounds', 2);
const zendesk = args.includes('--zendesk');
// autocannon's worker threads: on many cores one generator thread cannot keep a server busy.
const workers = option('workers', 0);
const pgUrl = args.includes('--db') ? args[args.indexOf('--db') + 1] : null;
const bodyKb = option('body-kb', 0);
const webhook = { type: 'ticket.updated', account_id: 123456, detail: { id: '35436', subject: 'Printer on fire', status: 'open', priority: 'urgent' } };
const body = bodyKb > 0 ? JSON.stringify({ ...webhook, padding: 'x'.repeat(bodyKb * 1024 - JSON.stringify(webhook).length - 14) }) : JSON.stringify(webhook);

interface Child { url: string; pid: number; stop(): void }

/** Starts a process and resolves with the base URL from its "listening on" line. */
function startChild(command: string[]): Promise<Child> {
  const child = spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      // From here on the output (hooklens logs a line per capture) is read and dropped, as a terminal would.
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({ url: match[1], pid: child.pid!, stop: () => child.kill('SIGTERM') });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}`)));
  });
}

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

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8') as string;
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'hooklens-bench-'));
const binId = `bench-${process.pid}`;

/** Starts hooklens on `db` and creates the bench bin (on a shared database, once). */
async function startHooklens(db: string, createBin: boolean): Promise<Child> {
  const child = await startChild(['--import', 'tsx', 'server/index.ts', '--port', '0', '--db', db]);
  if (createBin) {
    const res = await fetch(`${child.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: binId }) });
    if (res.status !== 201) throw new Error(`creating the bench bin answered ${res.status}`);
  }
  return child;
}

/** One load on several instances at once, the connections split between them; their results added up. */
async function loadAll(urls: string[]): Promise<{ rps: number; p50: number; p99: number; errors: number; total: number }> {
  const each = await Promise.all(urls.map((url) => autocannon({
    url, connections: Math.max(1, Math.round(connections / urls.length)), duration: seconds, method: 'POST', body, headers,
    ...(workers > 0 ? { workers } : {}),
  })));
  return {
    rps: each.reduce((n, r) => n + r.requests.average, 0),
    p50: Math.max(...each.map((r) => r.latency.p50)),
    p99: Math.max(...each.map((r) => r.latency.p99)),
    errors: each.reduce((n, r) => n + r.errors + r.non2xx, 0),
    total: each.reduce((n, r) => n + r.requests.total, 0),
  };
}

const bare = await startChild(['bench/bare-server.mjs']);
const targets: { name: string; children: Child[] }[] = [
  { name: 'bare node:http', children: [bare] },
  { name: 'hooklens on SQLite', children: [await startHooklens(join(dir, 'bench.db'), true)] },
];
if (pgUrl !== null) {
  const first = await startHooklens(pgUrl, true);
  targets.push({ name: 'hooklens on PostgreSQL, 1 instance', children: [first] });
  targets.push({ name: 'hooklens on PostgreSQL, 2 instances', children: [first, await startHooklens(pgUrl, false)] });
}
const urlsOf = (t: { name: string; children: Child[] }) => t.children.map((c) => (t.name.startsWith('bare') ? c.url : `${c.url}/b/${binId}`));

console.log(`capture benchmark: ${rounds} rounds × ${seconds} s each, ${connections} connections, POST ${Buffer.byteLength(body)}-byte JSON` +
  (zendesk ? ', with Zendesk Basic credentials and signature headers' : ''));
// Warm every target up (JIT, page caches, connection pools) before measuring.
for (const target of targets) await Promise.all(urlsOf(target).map((url) => autocannon({ url, connections, duration: 2, method: 'POST', body, headers })));

const results = new Map<string, Awaited<ReturnType<typeof loadAll>>[]>(targets.map((t) => [t.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const target of targets) results.get(target.name)!.push(await loadAll(urlsOf(target)));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const table = targets.map(({ name }) => {
  const rs = results.get(name)!;
  return {
    server: name,
    'req/s (median of rounds)': Math.round(median(rs.map((r) => r.rps))),
    'p50 ms': median(rs.map((r) => r.p50)),
    'p99 ms': median(rs.map((r) => r.p99)),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    requests: rs.reduce((n, r) => n + r.total, 0),
  };
});
console.table(table);
const bareRate = table[0]['req/s (median of rounds)'];
for (const row of table.slice(1)) {
  console.log(`${row.server}: ${(row['req/s (median of rounds)'] / bareRate * 100).toFixed(1)}% of the bare node:http server (same run)`);
}
console.log(`hooklens (SQLite) RSS after the run: ${rssMb(targets[1].children[0].pid).toFixed(1)} MB (rows kept: --max-requests 10000 per bin)`);

if (pgUrl !== null) await fetch(`${targets[2].children[0].url}/api/bins/${binId}`, { method: 'DELETE' });
for (const target of targets) for (const child of target.children) child.stop();
rmSync(dir, { recursive: true, force: true });
