import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { CapturedRequest, RequestPage } from '../shared/types';
import { startServerProcess, type ServerProcess } from './helpers/process';

let dir: string;
const servers: ServerProcess[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

async function start(db: string, port = 0): Promise<ServerProcess> {
  const server = await startServerProcess(['--port', String(port), '--db', db]);
  servers.push(server);
  return server;
}

describe('durability', () => {
  it('keeps every acknowledged request when the server is killed with SIGKILL mid-stream', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hooklens-durability-'));
    const db = join(dir, 'hooklens.db');
    const first = await start(db);
    const bin = await (await fetch(`${first.url}/api/bins`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"durable"}' })).json() as { id: string };
    expect(bin.id).toBe('durable');

    const acknowledged: number[] = [];
    let killed = false;
    // 8 senders capture as fast as they can; the server is killed once 300 requests were acknowledged.
    const sender = async (n: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const res = await fetch(`${first.url}/b/durable/s${n}/${i}`, { method: 'POST', body: JSON.stringify({ n, i }) });
          if (res.status === 200) acknowledged.push(((await res.json()) as { id: number }).id);
        } catch {
          return; // the server is gone: what was in flight was never acknowledged
        }
        if (acknowledged.length >= 300 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, n) => sender(n)));
    expect(await first.stop('SIGKILL')).toBe(null);

    const second = await start(db);
    const stored = new Set<number>();
    for (let before: number | undefined; ;) {
      const page = await (await fetch(`${second.url}/api/bins/durable/requests?limit=500${before ? `&before=${before}` : ''}`)).json() as RequestPage;
      for (const r of page.requests) stored.add(r.id);
      if (!page.hasMore) break;
      before = page.requests.at(-1)!.id;
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('on SIGTERM lets an in-flight capture finish and commit, then exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hooklens-durability-'));
    const db = join(dir, 'hooklens.db');
    const first = await start(db);
    await fetch(`${first.url}/api/bins`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"graceful"}' });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${first.url}/b/graceful`, { method: 'POST', headers: { 'Content-Length': '10' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      // Half the body, then SIGTERM once the server has the request, then the rest.
      req.write('01234', () => {
        first.child.kill('SIGTERM');
        setImmediate(() => req.end('56789'));
      });
    });
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(await first.stop()).toBe(0);
    const second = await start(db);
    const stored = await (await fetch(`${second.url}/api/bins/graceful/requests/${JSON.parse(body).id}`)).json() as CapturedRequest;
    expect(stored.body.text).toBe('0123456789');
  });

  it('on SIGTERM does not wait for connections that carry no request (keep-alive, or opened ahead by a browser)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hooklens-durability-'));
    const server = await start(join(dir, 'hooklens.db'));
    const preconnected = connect(server.port, '127.0.0.1');
    await once(preconnected, 'connect');
    const keptAlive = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      httpRequest(`${server.url}/api/health`, { agent: keptAlive }, (res) => res.resume().on('end', resolve)).on('error', reject).end();
    });
    const closed = once(preconnected, 'close');
    expect(await server.stop()).toBe(0);
    await closed;
    keptAlive.destroy();
  });

  it('refuses a second server on the same database with one line, exit 2, and leaves the first serving', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hooklens-durability-'));
    const db = join(dir, 'hooklens.db');
    const first = await start(db);
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts', '--port', '0', '--db', db], { encoding: 'utf8' });
    expect(second.status).toBe(2);
    expect(second.stderr.trim()).toMatch(/^hooklens: cannot open --db ".*": database is locked \(another hooklens is using it: each needs its own --db, or share a PostgreSQL database\)$/);
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
  });
});
