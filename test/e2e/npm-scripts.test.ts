import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `npm run <script> -- <args>` as a process manager would, waits for the start-up banner, sends SIGTERM to npm's
 * own PID, and resolves with npm's exit code, everything printed, and the URL the server had.
 */
async function runAndTerminate(script: string): Promise<{ code: number | null; output: string; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'hooklens-npm-'));
  dirs.push(dir);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HOOKLENS_') && name !== 'PORT'));
  const npm = spawn('npm', ['run', script, '--', '--port', '0', '--db', join(dir, 'hooklens.db')], {
    cwd: join(import.meta.dirname, '..', '..'), env: inherited, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = once(npm, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /hooklens listening on (http:\/\/\S+)\n[^]*capture\s+\S+\n/.exec(output);
      if (match) resolve(match[1]);
    };
    npm.stdout.on('data', onData);
    npm.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`npm exited before the server listened:\n${output}`)));
  });
  npm.kill('SIGTERM');
  const [code] = await exited as [number | null];
  return { code, output, url };
}

// With the browser tests: their setup builds the viewer first, so `npm start` finds it fresh and builds nothing.
describe('npm scripts under a process manager', () => {
  it.each(['hooklens', 'start'])('SIGTERM to the PID of `npm run %s` stops the server cleanly, and nothing outlives it', async (script) => {
    const { code, output, url } = await runAndTerminate(script);
    expect(output).toContain('hooklens: stopped');
    expect(code).toBe(0);
    // The server itself is gone: nothing answers on its port any more.
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  }, 120_000);

  it('answers --version and --help at once, without building a stale viewer', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const marker = join(root, 'dist', 'web', 'index.html');
    const built = statSync(marker);
    // As if web/ had changed since the build: npm start would build the viewer before serving.
    utimesSync(marker, new Date(0), new Date(0));
    try {
      for (const flag of ['--version', '--help']) {
        const result = spawnSync('npm', ['start', '--', flag], { cwd: root, encoding: 'utf8', timeout: 60_000 });
        expect(result.status).toBe(0);
        expect(result.stdout).not.toContain('building the viewer');
        expect(result.stdout).toContain(flag === '--version' ? packageJson.version : 'usage: hooklens [flags]');
      }
    } finally {
      utimesSync(marker, built.atime, built.mtime);
    }
  }, 120_000);
});
