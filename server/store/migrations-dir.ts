import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of an engine's numbered migrations: `migrations/` beside its adapter in the sources, or
 * `migrations/<engine>/` beside the built server (dist/server, where every module is one file).
 */
export function migrationsDir(moduleUrl: string, engine: 'sqlite' | 'postgres'): string {
  const here = dirname(fileURLToPath(moduleUrl));
  const built = join(here, 'migrations', engine);
  return existsSync(built) ? built : join(here, 'migrations');
}
