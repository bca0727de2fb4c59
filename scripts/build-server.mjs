// Builds the server into dist/server/index.js (one ES module; the dependencies stay in node_modules), with the
// migrations beside it: what the package runs, with no TypeScript at run time.
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'server');
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'server', 'index.ts')],
  outfile: join(out, 'index.js'),
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
