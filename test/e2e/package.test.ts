import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'hooklens-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the installed `hooklens`, resolves once its banner names the capture URL. */
async function startInstalled(app: string, db: string) {
  const child = spawn(join(app, 'node_modules', '.bin', 'hooklens'), ['--port', '0', '--db', db], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = once(child, 'exit');
  const capture = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /capture\s+(http:\/\/\S+)\n/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`hooklens exited before listening:\n${output}`)));
  });
  return { child, exited, capture, output: () => output };
}

// With the browser tests: packing builds the viewer into dist/web, which they read, so it must not run beside them.
describe('the package', () => {
  it('packs, installs from the tarball without the sources, and runs: capture, viewer, SIGTERM', async () => {
    // npm pack runs the build (prepack): the viewer and the server compiled to JavaScript.
    execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: root, stdio: 'pipe' });
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
    const files = execFileSync('tar', ['-tzf', join(dir, tarball)], { encoding: 'utf8' }).split('\n');
    expect(files).toContain('package/dist/server/index.js');
    expect(files).toContain('package/dist/web/index.html');
    expect(files.some((f) => f.startsWith('package/server/') || f.endsWith('.ts'))).toBe(false);

    const app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    // npm 11 runs install scripts only for packages the project allows: better-sqlite3 builds its addon.
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'try-hooklens', private: true, allowScripts: { 'better-sqlite3': true } }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tarball)], { cwd: app, stdio: 'pipe' });
    expect(execFileSync(join(app, 'node_modules', '.bin', 'hooklens'), ['--version'], { encoding: 'utf8' }).trim()).toBe(packageJson.version);
    expect(readdirSync(join(app, 'node_modules')).includes('tsx')).toBe(false);

    const db = join(dir, 'hooklens.db');
    const first = await startInstalled(app, db);
    const stored = await fetch(first.capture, { method: 'POST', body: 'from the package' });
    expect(stored.status).toBe(200);
    const viewer = await fetch(new URL('/', first.capture));
    expect(viewer.status).toBe(200);
    expect(await viewer.text()).toContain('<div id="root">');
    first.child.kill('SIGTERM');
    const [code] = await first.exited as [number | null];
    expect(code).toBe(0);
    expect(first.output()).toContain('hooklens: stopped');
    // The database was released: another start on it serves what the first stored.
    const second = await startInstalled(app, db);
    const binId = new URL(second.capture).pathname.split('/')[2];
    const page = await (await fetch(new URL(`/api/bins/${binId}/requests`, second.capture))).json() as { requests: unknown[] };
    expect(page.requests).toHaveLength(1);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 600_000);
});
