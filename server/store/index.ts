/** The store port and the factory that picks its adapter from --db. Nothing else imports a database driver. */
import { openSqliteStore } from './sqlite';
import type { Store, StoreOptions } from './port';
import { isPostgresUrl } from './url';

export * from './port';

export { isPostgresUrl, scrubber, withoutPassword } from './url';

/**
 * Opens the store that `db` names: a PostgreSQL URL, or a SQLite file (":memory:" for a throwaway one). Creates or
 * migrates the schema. Rejects when the database cannot be opened or reached.
 */
export async function openStore(db: string, options: StoreOptions = { redactSecrets: false }): Promise<Store> {
  if (!isPostgresUrl(db)) return openSqliteStore(db, options);
  // Loaded only when used: an embedded server never loads the PostgreSQL driver.
  const { openPostgresStore } = await import('./postgres');
  return openPostgresStore(db, options);
}
