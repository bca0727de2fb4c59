import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../server/store/sqlite';
import { makeTestApp, type TestApp } from './helpers/app';
import { newRequest } from './store/requests';
import { startServerProcess } from './helpers/process';

const dirs: string[] = [];
const opened: TestApp[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hooklens-files-'));
  dirs.push(dir);
  return join(dir, 'hooklens.db');
}

/** Every byte of the database's files, as one latin1 string to search. */
function fileBytes(file: string): string {
  return ['', '-wal', '-shm', '-journal'].map((suffix) => (existsSync(file + suffix) ? readFileSync(file + suffix).toString('latin1') : '')).join('');
}

/** Captures a request whose Basic password, header and body each carry `secret` (the body's past its first page, in an overflow page); resolves with its id. */
async function captureSecret(t: TestApp, binId: string, secret: string): Promise<number> {
  const basic = Buffer.from(`jdoe@example.com/token:${secret}-basic`).toString('base64');
  const res = await request(t.app).post(`/b/${binId}/hook`).set('Authorization', `Basic ${basic}`).set('X-Api-Key', `${secret}-header`)
    .set('Content-Type', 'application/json').send(JSON.stringify({ pad: 'x'.repeat(6000), card: `${secret}-body` })).expect(200);
  return res.body.id as number;
}

describe('deleting means gone from the files', () => {
  it.each([
    ['one request', (t: TestApp, id: number) => request(t.app).delete(`/api/bins/b1/requests/${id}`).expect(204)],
    ['a cleared bin', (t: TestApp) => request(t.app).delete('/api/bins/b1/requests').expect(204)],
    ['a deleted bin', (t: TestApp) => request(t.app).delete('/api/bins/b1').expect(204)],
  ])('leaves none of the bytes of %s in the .db, -wal or -shm file', async (_name, remove) => {
    const db = dbFile();
    const t = await makeTestApp({ bins: ['b1', 'b2'], config: { db } });
    opened.push(t);
    const id = await captureSecret(t, 'b1', 'GONE-7f3a9c');
    await captureSecret(t, 'b2', 'KEPT-51d2e8');
    // The checkpoint thread copies the secret from the WAL into the database file itself, where only zeroing the
    // freed pages removes it.
    await vi.waitFor(() => expect(readFileSync(db).toString('latin1')).toContain('GONE-7f3a9c-body'), { timeout: 5000 });
    await remove(t, id);
    const bytes = fileBytes(db);
    for (const part of ['GONE-7f3a9c-body', 'GONE-7f3a9c-header', Buffer.from('jdoe@example.com/token:GONE-7f3a9c-basic').toString('base64')]) {
      expect(bytes).not.toContain(part);
    }
    // What was not deleted is still there, and still served.
    expect(bytes).toContain('KEPT-51d2e8-body');
    expect((await request(t.app).get('/api/bins/b2/requests').expect(200)).body.requests).toHaveLength(1);
  });
});

describe('a database that cannot be used', () => {
  it('refuses one written by a newer hooklens, naming both schema versions', async () => {
    const file = dbFile();
    await openSqliteStore(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openSqliteStore(file)).toThrow(/written by a newer hooklens \(schema version 999; this one knows up to \d+\)/);
  });

  it('refuses to start on a file damaged in the middle, saying what to do, instead of answering 500 on capture', async () => {
    const file = dbFile();
    const store = openSqliteStore(file);
    await store.createBin('b1', 'b1', 1);
    for (let n = 0; n < 40; n++) await store.insertRequests(Array.from({ length: 50 }, (_, i) => newRequest('b1', n * 50 + i)), 100_000);
    await store.close();
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8 * 4096, 0x5a), 0, 8 * 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);

    const started = startServerProcess(['--db', file]);
    await expect(started).rejects.toThrow(/the database is damaged \(SQLite's quick_check: .+\)\. Restore the last backup/);
    await expect(started).rejects.toThrow(/\.recover/);
  });
});
