// Builds the server into dist/server/index.js and its search index's thread into dist/server/search-worker.js (ES
// modules; the dependencies stay in node_modules), with the migrations beside them: what the package runs, with no
// TypeScript at run time.
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'server');
rmSync(out, { recursive: true, force: true });
await build({
  // The search index's thread runs a script of its own, beside the server's (server/store/sqlite/search-index.ts).
  entryPoints: { index: join(root, 'server', 'index.ts'), 'search-worker': join(root, 'server', 'store', 'sqlite', 'search-worker.ts') },
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
for (const engine of ['sqlite', 'postgres']) {
  cpSync(join(root, 'server', 'store', engine, 'migrations'), join(out, 'migrations', engine), { recursive: true });
}
