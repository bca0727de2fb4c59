import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router } from 'express';
import type { Store } from '../store';
import { HttpError } from './errors';

/**
 * `GET /api/backup`: an online backup of the embedded database, as a SQLite file to download. The server keeps
 * capturing meanwhile; a copy of the live file could be torn (and miss what is still in its WAL). PostgreSQL is
 * backed up with its own tools.
 */
export function backupRouter(store: Pick<Store, 'backupTo'>): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    if (!store.backupTo) throw new HttpError(400, 'this hooklens runs on PostgreSQL: back it up with pg_dump');
    const dir = mkdtempSync(join(tmpdir(), 'hooklens-backup-'));
    const file = join(dir, 'hooklens.db');
    try {
      await store.backupTo(file);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    res.set('Cache-Control', 'no-store');
    res.download(file, `hooklens-${new Date().toISOString().slice(0, 10)}.db`, () => rmSync(dir, { recursive: true, force: true }));
  });
  return router;
}
