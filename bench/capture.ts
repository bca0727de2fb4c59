/**
 * Capture throughput: hooklens's /b/{binId} against a bare node:http server that only reads the body and answers,
 * measured in the same run, on the same machine, alternating rounds so that noise hits both alike.
 * Usage: npm run bench [-- --seconds 10 --connections 32 --rounds 2 --zendesk]
 * --zendesk sends what a Zendesk webhook sends: Basic email/token credentials and the signature headers.
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
const body = JSON.stringify({
  type: 'ticket.updated', account_id: 123456, detail: { id: '35436', subject: 'Printer on fire', status: 'open', priority: 'urgent' },
});

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

async function load(url: string): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: seconds, method: 'POST', body, headers });
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8') as string;
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'hooklens-bench-'));
const bare = await startChild(['bench/bare-server.mjs']);
const hooklens = await startChild(['--import', 'tsx', 'server/index.ts', '--port', '0', '--db', join(dir, 'bench.db')]);
const bin = await (await fetch(`${hooklens.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"bench"}' })).json() as { id: string };

console.log(`capture benchmark: ${rounds} rounds × ${seconds} s each, ${connections} connections, POST ${Buffer.byteLength(body)}-byte JSON` +
  (zendesk ? ', with Zendesk Basic credentials and signature headers' : ''));
// Warm both up (JIT, SQLite page cache) before measuring.
await autocannon({ url: bare.url, connections, duration: 2, method: 'POST', body });
await autocannon({ url: `${hooklens.url}/b/${bin.id}`, connections, duration: 2, method: 'POST', body });

const results: Record<'bare' | 'hooklens', autocannon.Result[]> = { bare: [], hooklens: [] };
for (let round = 0; round < rounds; round++) {
  results.bare.push(await load(bare.url));
  results.hooklens.push(await load(`${hooklens.url}/b/${bin.id}`));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const row = (name: string, rs: autocannon.Result[]) => ({
  server: name,
  'req/s (median of rounds)': Math.round(median(rs.map((r) => r.requests.average))),
  'p50 ms': median(rs.map((r) => r.latency.p50)),
  'p99 ms': median(rs.map((r) => r.latency.p99)),
  errors: rs.reduce((n, r) => n + r.errors + r.non2xx, 0),
  requests: rs.reduce((n, r) => n + r.requests.total, 0),
});
const table = [row('bare node:http', results.bare), row('hooklens /b/{binId}', results.hooklens)];
console.table(table);
const ratio = table[1]['req/s (median of rounds)'] / table[0]['req/s (median of rounds)'];
console.log(`hooklens capture throughput = ${(ratio * 100).toFixed(1)}% of the bare node:http server (same run)`);
console.log(`hooklens RSS after the run: ${rssMb(hooklens.pid).toFixed(1)} MB (rows kept: --max-requests 10000 per bin)`);

bare.stop();
hooklens.stop();
rmSync(dir, { recursive: true, force: true });
