// Builds the viewer into dist/web when the build is missing or older than its sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'dist', 'web', 'index.html');

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/web is missing or older than web/ or shared/. */
export function viewerBuildIsStale() {
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  return ['web', 'shared'].some((dir) => newestMtime(join(root, dir)) > built);
}

/** Runs `vite build` when the viewer build is stale; throws when the build fails. */
export async function ensureViewerBuilt() {
  if (!viewerBuildIsStale()) return;
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'web', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // Under vitest NODE_ENV is "test", which would ship React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('viewer build failed (vite build exited with ' + result.status + ')');
}

// Run directly (npm start): build when stale, then let the server start.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (viewerBuildIsStale()) console.log('hooklens: building the viewer (web/ changed or was never built)…');
  await ensureViewerBuilt();
}
