/**
 * Search speed: a bin of 100,000 requests (and a second bin beside it), then GET /api/bins/{binId}/requests through
 * a real HTTP server, timed in the same run: a plain page (no q), a rare word (in 20 requests), a common word (in
 * every request), and a qualifier alone. On SQLite always, and on PostgreSQL when HOOKLENS_TEST_PG_URL is set (in a
 * schema of its own, dropped afterwards). The contract's bar: a rare word answers within 4× a plain page.
 * Usage: npx tsx bench/search.ts [--requests 100000] [--runs 40]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../server/config';
import { createCore } from '../server/core';
import { createHooklensServer } from '../server/server';
import { openStore, type NewRequest } from '../server/store';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const total = option('requests', 100_000);
const runs = option('runs', 40);
const BIN = 'search-bench';
const OTHER = 'other-bin';

const subjects = ['Printer on fire', 'Password reset', 'Invoice overdue', 'Shipping delay', 'Refund request', 'Login problem', 'New feature idea'];
const statuses = ['open', 'pending', 'solved', 'closed'];

/** The n-th request of the bin: a Zendesk-like webhook; every 5,000th mentions a quokka (the rare word). */
function webhook(binId: string, n: number): NewRequest {
  const body = JSON.stringify({
    type: 'zen:event-type:ticket.updated', account_id: 123456, id: `evt-${n}`,
    detail: {
      id: String(35_000 + n), subject: subjects[n % subjects.length] + (n % 5_000 === 0 ? ' with a quokka' : ''),
      status: statuses[n % statuses.length], requester: `user${n % 977}@example.com`, priority: n % 3 === 0 ? 'urgent' : 'normal',
    },
  });
  return {
    binId, receivedAt: Date.UTC(2026, 11, 1) + n * 1000, method: n % 10 === 0 ? 'PUT' : 'POST', url: `/b/${binId}/zendesk?n=${n}`, path: '/zendesk',
    query: `n=${n}`, httpVersion: '1.1',
    headers: [['Host', 'hooks.example.com'], ['User-Agent', 'Zendesk Webhook'], ['Content-Type', 'application/json'],
      ['X-Zendesk-Account-Id', '123456'], ['X-Zendesk-Webhook-Id', '01F1KRFQ6BG29CNWFR60NK5FNY'],
      ['X-Zendesk-Webhook-Invocation-Id', String(8_350_000_000 + n)], ['Content-Length', String(Buffer.byteLength(body))]],
    contentType: 'application/json', size: Buffer.byteLength(body), truncated: false, body: Buffer.from(body),
    remoteAddress: '203.0.113.7', remotePort: 40_000 + (n % 20_000), secure: true, status: 200, handshake: null,
  };
}

interface Timing { name: string; query: string; median: number; p90: number; total: number; shown: number }

/** Seeds the bins on `db`, runs `settle` (PostgreSQL: the planner's statistics), then times each case through HTTP. */
async function measure(engine: string, db: string, settle: () => Promise<void> = async () => {}): Promise<Timing[]> {
  const config = Object.freeze({ ...loadConfig([], {}), db, maxRequests: total * 2, ttlMs: 0, maxStored: 0 });
  const store = await openStore(db, { redactSecrets: false, publicUrl: null });
  const core = await createCore(config, store);
  const { server, closeLive } = createHooklensServer({ ...core, config });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await store.createBin(BIN, BIN, 1);
    await store.createBin(OTHER, OTHER, 2);
    const started = performance.now();
    for (let n = 0; n < total; n += 500) {
      await store.insertRequests(Array.from({ length: Math.min(500, total - n) }, (_, i) => webhook(BIN, n + i)), config.maxRequests);
      if (n % 5_000 === 0) await store.insertRequests(Array.from({ length: 100 }, (_, i) => webhook(OTHER, n + i)), config.maxRequests);
    }
    console.log(`${engine}: stored ${total} requests (+ ${total / 50} in another bin) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await settle();
    // The first search brings the index up to date (SQLite indexes in the background): not part of the timings.
    const caughtUp = performance.now();
    await fetch(`${base}/api/bins/${BIN}/requests?q=warmup`);
    console.log(`${engine}: first search (index catching up) took ${(performance.now() - caughtUp).toFixed(0)} ms`);

    const cases = [
      { name: 'plain page (no q)', query: '' },
      { name: 'rare word', query: 'quokka' },
      { name: 'common word', query: 'ticket' },
      { name: 'common word, second page', query: 'ticket', page: true },
      { name: 'qualifier alone', query: 'method:PUT' },
      { name: 'phrase, excluding a qualifier', query: '"printer on fire" -method:PUT' },
    ];
    // Each case's URL (a second page starts below the first page's last id), and its first answer's counts.
    const prepared = await Promise.all(cases.map(async (c) => {
      const url = (before?: number) => `${base}/api/bins/${BIN}/requests?limit=50${c.query ? `&q=${encodeURIComponent(c.query)}` : ''}` +
        `${before ? `&before=${before}` : ''}`;
      const first = await (await fetch(url())).json() as { total: number; requests: { id: number }[] };
      return { ...c, url: url(c.page ? first.requests.at(-1)?.id : undefined), total: first.total, shown: first.requests.length, times: [] as number[] };
    }));
    // Round after round, each case once per round (noise falls on all alike); the first rounds warm up and are not kept.
    for (let round = 0; round < runs + 5; round++) {
      for (const c of prepared) {
        const t = performance.now();
        await (await fetch(c.url)).arrayBuffer();
        if (round >= 5) c.times.push(performance.now() - t);
      }
    }
    const timings: Timing[] = prepared.map((c) => {
      const times = [...c.times].sort((a, b) => a - b);
      return { name: c.name, query: c.query, median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)], total: c.total, shown: c.shown };
    });
    return timings;
  } finally {
    closeLive();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await core.close();
  }
}

function report(engine: string, timings: Timing[]): void {
  const plain = timings[0].median;
  console.table(timings.map((t) => ({
    engine, search: t.name, q: t.query, 'median ms': Number(t.median.toFixed(2)), 'p90 ms': Number(t.p90.toFixed(2)),
    '× plain page': Number((t.median / plain).toFixed(2)), total: t.total, listed: t.shown,
  })));
  const rare = timings.find((t) => t.name === 'rare word')!;
  console.log(`${engine}: a rare word answers in ${(rare.median / plain).toFixed(2)}× a plain page (bar: 4×)`);
}

const dir = mkdtempSync(join(tmpdir(), 'hooklens-search-bench-'));
try {
  report('SQLite', await measure('SQLite', join(dir, 'bench.db')));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pgUrl = process.env.HOOKLENS_TEST_PG_URL;
if (pgUrl) {
  const schema = `hl_searchbench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  try {
    const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    // As a server that has run a while has them (autovacuum's analyze lags a bulk load): the planner's statistics.
    report('PostgreSQL', await measure('PostgreSQL', url, () => admin(`VACUUM ANALYZE ${schema}.requests`)));
  } finally {
    await admin(`DROP SCHEMA ${schema} CASCADE`);
  }
} else {
  console.log('PostgreSQL: skipped (set HOOKLENS_TEST_PG_URL to measure it too)');
}
