// Builds the server into dist/server/index.js and its threads' scripts beside it (search-worker.js,
// checkpoint-worker.js; ES modules; the dependencies stay in node_modules), with the migrations beside them: what the
// package runs, with no TypeScript at run time.
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'server');
rmSync(out, { recursive: true, force: true });
await build({
  // The search index's thread and the checkpoint thread run scripts of their own, beside the server's
  // (server/store/sqlite/threads.ts).
  entryPoints: {
    index: join(root, 'server', 'index.ts'),
    ...Object.fromEntries(['search-worker', 'checkpoint-worker'].map((name) => [name, join(root, 'server', 'store', 'sqlite', `${name}.ts`)])),
  },
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
