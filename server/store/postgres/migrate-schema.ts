import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsDir } from '../migrations-dir';
import type pg from 'pg';

const MIGRATIONS = migrationsDir(import.meta.url, 'postgres');

/** Taken by every hooklens that migrates: 'hooklens' in ASCII, held until the migrating transaction ends. */
const MIGRATION_LOCK = 0x686f6f6b6c656e73n;

/**
 * Applies the numbered migrations (`NNN_name.sql`) that `schema_migrations` does not list yet, in order, in the
 * schema that `search_path` names, all in one transaction under an advisory lock: processes that start at once wait
 * for each other, and the later ones find nothing left to do. Throws (changing nothing) when a migration fails or
 * the search path names no schema.
 */
export async function migrateSchema(client: pg.ClientBase): Promise<void> {
  const files = readdirSync(MIGRATIONS).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    const { rows: [{ schema }] } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    if (schema === null) throw new Error('the search_path names no existing schema to create the tables in');
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const known = Number.parseInt(files.at(-1) ?? '0', 10);
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new Error(`the database was written by a newer hooklens (schema version ${newest}; this one knows up to ${known}). ` +
        'Run that version or a later one');
    }
    for (const file of files) {
      const version = Number.parseInt(file, 10);
      if (applied.has(version)) continue;
      await client.query(readFileSync(join(MIGRATIONS, file), 'utf8'));
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, file]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
