import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../server/store/sqlite';
import { makeTestApp, type TestApp } from './helpers/app';

const opened: TestApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/backup', () => {
  it('downloads a consistent copy of the running SQLite database, which opens with everything stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hooklens-backup-test-'));
    dirs.push(dir);
    const t = await makeTestApp({ bins: ['b'], config: { db: join(dir, 'live.db') } });
    opened.push(t);
    const ids: number[] = [];
    for (const body of ['one', Buffer.from([0, 255, 1])]) ids.push((await request(t.app).post('/b/b').send(body).expect(200)).body.id);
    const res = await request(t.app).get('/api/backup').buffer(true)
      .parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); })
      .expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?hooklens-\d{4}-\d{2}-\d{2}\.db"?$/);
    // The server goes on capturing; the copy is the database as it was.
    await request(t.app).post('/b/b').send('after').expect(200);
    const copy = join(dir, 'copy.db');
    writeFileSync(copy, res.body as Buffer);
    const store = openSqliteStore(copy);
    try {
      expect((await store.listRequests('b', { limit: 10 })).requests.map((r) => r.id)).toEqual([...ids].reverse());
      expect((await store.getRequest('b', ids[1])).body).toEqual(Buffer.from([0, 255, 1]));
      // Not a way in: the copy holds no session key to mint a session for the live server with.
      expect(await t.store.getSetting('session_key')).not.toBeNull();
      expect(await store.getSetting('session_key')).toBeNull();
    } finally {
      await store.close();
    }
  });
});
