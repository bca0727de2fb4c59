import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * Registers an afterEach that runs what a test queued in `cleanups` (last first, each awaited), and answers the queue
 * with `dbFile()`: a database file in a fresh folder named after `prefix`, removed after the test. Call once per file.
 */
export function useTempDatabases(prefix: string): { cleanups: (() => unknown)[]; dbFile(): string } {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    dbFile() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return join(dir, 'hooklens.db');
    },
  };
}
