// `npm start` and `npm run hooklens`: one process (npm execs it, so SIGTERM to npm's PID reaches the server). Builds the
// viewer when its build is missing or stale, except for --help, --version, `migrate` and `forward`, then runs the server here.
import { register } from 'tsx/esm/api';
import { ensureViewerBuilt, viewerBuildIsStale } from './viewer-build.mjs';

const args = process.argv.slice(2);
const serves = args[0] !== 'migrate' && args[0] !== 'forward' && !args.some((arg) => arg === '--help' || arg === '-h' || arg === '--version');
if (serves && viewerBuildIsStale()) {
  console.log('hooklens: building the viewer (web/ changed or was never built)…');
  await ensureViewerBuilt();
}
register();
await import('../server/index.ts');
