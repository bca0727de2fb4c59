/**
 * `--workers 2` as a user runs it: the real processes (a writer and two server processes on SQLite; two instances
 * on PostgreSQL), one port.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RequestPage } from '../shared/types';
import { LiveClient } from './helpers/live';
import { dropSchema, freshSchemaUrl, pgSuite } from './helpers/pg';
import { useServerProcesses, type ServerProcess } from './helpers/process';

const processes = useServerProcesses('hooklens-workers-');
const clients: LiveClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function firstBin(server: ServerProcess): string {
  return /capture\s+\S+\/b\/(\S+)/.exec(server.output())![1];
}

/** The server processes the first one started (from /proc: tsx may run an esbuild process beside them). */
function children(server: ServerProcess): number[] {
  const pid = server.child.pid!;
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number)
      .filter((child) => commandLine(child).includes('server/index'));
  } catch {
    return [];
  }
}

/** A process's command line; '' once it is gone. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(50);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

async function capture(url: string): Promise<number> {
  const res = await fetch(url, { method: 'POST', body: '{"hello":"world"}', headers: { Authorization: `Basic ${btoa('jdoe@example.com:pw')}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
}

async function listIds(baseUrl: string, binId: string): Promise<number[]> {
  const page = (await (await fetch(`${baseUrl}/api/bins/${binId}/requests?limit=500`)).json()) as RequestPage;
  return page.requests.map((r) => r.id).reverse();
}

async function viewer(server: ServerProcess, binId: string): Promise<LiveClient> {
  const client = await LiveClient.connect(`ws://127.0.0.1:${server.port}/api/live`);
  clients.push(client);
  client.send({ type: 'subscribe', binId, after: 0 });
  await client.sync();
  return client;
}

describe('--workers 2 on SQLite', () => {
  it('captures on every connection, once each, live to viewers on either process in id order; a stop loses nothing', async () => {
    const db = processes.tmpDb();
    const server = await processes.startServer(['--workers', '2', '--db', db]);
    await until(() => server.output().includes('workers  2 server processes share the port, and this one writes the database'), 'the banner');
    expect(children(server)).toHaveLength(2);
    const bin = firstBin(server);
    // Connections are dealt to the processes in turn: two viewers, one on each.
    const viewers = [await viewer(server, bin), await viewer(server, bin)];
    const acknowledged = (await Promise.all(Array.from({ length: 16 }, async () => {
      const ids: number[] = [];
      for (let i = 0; i < 10; i++) ids.push(await capture(`${server.url}/b/${bin}/hook`));
      return ids;
    }))).flat().sort((a, b) => a - b);
    expect(new Set(acknowledged).size).toBe(160);
    expect(await listIds(server.url, bin)).toEqual(acknowledged);
    for (const client of viewers) {
      await client.until(() => client.requestIds(bin).length >= 160);
      expect(client.requestIds(bin)).toEqual(acknowledged);
    }
    // Derived by the server process that took it: the credential label.
    const page = (await (await fetch(`${server.url}/api/bins/${bin}/requests?limit=1`)).json()) as RequestPage;
    expect(page.requests[0].authLabel).toContain('jdoe@example.com');

    // Whichever process a scrape reaches, it answers for all of them: captures added up, the database counted once.
    for (let i = 0; i < 4; i++) {
      const text = await (await fetch(`${server.url}/metrics`, { headers: { Connection: 'close' } })).text();
      expect(text).toMatch(/^hooklens_captures_total\{status="200"\} 160$/m);
      expect(text).toMatch(/^hooklens_requests_stored 160$/m);
      expect(text).toMatch(/^hooklens_live_clients 2$/m);
    }

    const output = await processes.stopAndRead(server);
    expect(output).toContain('hooklens: stopped');
    // The file is whole, and one process serves it again.
    const again = await processes.startServer(['--db', db]);
    expect(await listIds(again.url, bin)).toEqual(acknowledged);
  });

  it('starts another server process when one dies, keeps capturing, and does not print the banner (or token) again', async () => {
    const server = await processes.startServer(['--workers', '2', '--db', processes.tmpDb(), '--public-url', 'https://hooks.example.com']);
    await until(() => /access token\s+\S+\n/.test(server.output()), 'the token in the banner');
    const bin = firstBin(server);
    const [victim] = children(server);
    process.kill(victim, 'SIGKILL');
    await until(() => server.output().includes('starting another'), 'the replacement');
    await until(() => children(server).length === 2 && !children(server).includes(victim), 'two server processes');
    const token = /access token\s+(\S+)/.exec(server.output())![1];
    for (let i = 0; i < 10; i++) await capture(`${server.url}/b/${bin}`);
    const page = await (await fetch(`${server.url}/api/bins/${bin}/requests`, { headers: { Authorization: `Bearer ${token}` } })).json() as RequestPage;
    expect(page.requests).toHaveLength(10);
    expect(server.output().match(/access token/g)).toHaveLength(1);
    expect(server.output().match(/hooklens listening on/g)).toHaveLength(1);
  });

  it('stops once, with exit code 0, when Ctrl-C reaches every process, the server processes first', async () => {
    const server = await processes.startServer(['--workers', '2', '--db', processes.tmpDb()]);
    const pids = children(server);
    for (const pid of pids) process.kill(pid, 'SIGINT');
    await until(() => pids.every((pid) => !alive(pid)), 'the server processes to stop');
    // The first process stops by itself, the database closed.
    await until(() => server.child.exitCode !== null, 'the first process to stop');
    const output = await processes.stopAndRead(server);
    expect(output).not.toContain('starting another');
    expect(output.match(/hooklens: stopped/g)).toHaveLength(3);
  });

  it('exits with code 1 when its server processes cannot start', async () => {
    const taken = await processes.startServer(['--db', processes.tmpDb()]);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts', '--workers', '2', '--port', String(taken.port),
      '--db', processes.tmpDb()], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toContain('the port is in use');
    expect(result.stderr).toContain('a server process could not start');
    expect(result.status).toBe(1);
  });

  it('keeps the database under --max-stored once for all processes, and every viewer hears what it removed', async () => {
    const server = await processes.startServer(['--workers', '2', '--db', processes.tmpDb(), '--max-body', '100kb', '--max-stored', '1mb']);
    const bin = firstBin(server);
    const client = await viewer(server, bin);
    const body = 'x'.repeat(90 * 1024);
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 8; i++) expect((await fetch(`${server.url}/b/${bin}`, { method: 'POST', body, headers: { Connection: 'close' } })).status).toBe(200);
    }));
    await until(() => server.output().includes('over --max-stored'), 'a removal');
    const left = await listIds(server.url, bin);
    // 1 MB holds 11 of these: the oldest went, once, not once per process.
    await client.until(() => client.messages.filter((m) => m.type === 'request-deleted').length === 32 - left.length);
    expect(left.length).toBeGreaterThanOrEqual(9);
    expect(left.length).toBeLessThanOrEqual(11);
    const deleted = client.messages.flatMap((m) => (m.type === 'request-deleted' ? [m.id] : []));
    expect([...deleted, ...left].sort((a, b) => a - b)).toEqual(client.requestIds(bin).sort((a, b) => a - b));
    // The writer removed them: its own metrics are in every scrape.
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(new RegExp(`^hooklens_removed_over_max_stored_total ${deleted.length}$`, 'm'));
  });

  it('ends its server processes when the writer is killed', async () => {
    const server = await processes.startServer(['--workers', '2', '--db', processes.tmpDb()]);
    const pids = children(server);
    expect(pids).toHaveLength(2);
    await server.stop('SIGKILL');
    await until(() => pids.every((pid) => !alive(pid)), 'the server processes to end');
  });

  it('prints a generated token once, and every process asks for it', async () => {
    const server = await processes.startServer(['--workers', '2', '--db', processes.tmpDb(), '--public-url', 'https://hooks.example.com']);
    await until(() => /access token\s+\S+\n/.test(server.output()), 'the token in the banner');
    const tokens = [...server.output().matchAll(/access token\s+(\S+)/g)].map((m) => m[1]);
    expect(tokens).toHaveLength(1);
    // New connections each time: both processes answer.
    for (let i = 0; i < 4; i++) {
      expect((await fetch(`${server.url}/api/bins`, { headers: { Connection: 'close' } })).status).toBe(401);
      expect((await fetch(`${server.url}/api/bins`, { headers: { Connection: 'close', Authorization: `Bearer ${tokens[0]}` } })).status).toBe(200);
    }
  });
});

pgSuite('--workers 2 on PostgreSQL', () => {
  let url: string;
  beforeAll(async () => {
    url = await freshSchemaUrl('hl_workers');
  });
  afterAll(async () => {
    await dropSchema(url);
  });

  it('runs each server process as an instance on the database', async () => {
    const server = await processes.startServer(['--workers', '2', '--db', url]);
    expect(children(server)).toHaveLength(2);
    const bin = firstBin(server);
    const client = await viewer(server, bin);
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(await capture(`${server.url}/b/${bin}`));
    expect(await listIds(server.url, bin)).toEqual(ids);
    await client.until(() => client.requestIds(bin).length >= 10);
    expect(client.requestIds(bin)).toEqual(ids);
    expect(await processes.stopAndRead(server)).toContain('hooklens: stopped');
  });
});
