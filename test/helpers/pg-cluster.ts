import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's server binaries, of the newest PostgreSQL installed (the one .ci/run installs). */
function serverBinaries(): string {
  const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL server under /usr/lib/postgresql: install Debian\'s postgresql');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

/** A PostgreSQL server of the test's own, which it may stop and start (the shared one must stay up for the rest). */
export interface PrivateCluster {
  /** postgres://hooklens@127.0.0.1:<port>/postgres */
  url: string;
  /** Stops the server the way an operator would (fast shutdown: connections are closed). */
  stop(): void;
  start(): void;
  /** Stops it and removes its files. */
  destroy(): void;
}

/** A TCP port on 127.0.0.1 that nothing listens on (a moment ago). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs a PostgreSQL tool as the `postgres` user when this process is root (PostgreSQL refuses to run as root). */
function run(tool: string, args: string[]): void {
  const command = [join(serverBinaries(), tool), ...args];
  if (process.getuid?.() === 0) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command.map((a) => `'${a}'`).join(' ')], { stdio: 'pipe', cwd: '/' });
  else execFileSync(command[0], command.slice(1), { stdio: 'pipe', cwd: '/' });
}

/**
 * Creates and starts a throwaway cluster on a free port, trusting local connections, with a `hooklens` superuser
 * (it is the cluster's only user). Needs Debian's postgresql server binaries.
 */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'hooklens-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'hooklens', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = (): void => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  let running = false;
  start();
  running = true;
  return {
    url: `postgres://hooklens@127.0.0.1:${port}/postgres`,
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    start() {
      start();
      running = true;
    },
    destroy() {
      if (running) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
