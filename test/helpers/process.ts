import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** A hooklens started as `npm start` starts it: one process, everything it writes kept. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Everything the server printed so far, stdout and stderr. */
  output(): string;
  /** Sends the signal (SIGTERM by default) and resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the real server (`server/index.ts`, no watcher) with `args` — `--port 0` unless args name a port — and an
 * environment without the developer's HOOKLENS_* and PORT, plus `env`. Resolves once the whole start-up banner
 * (through the capture line) is printed; rejects with the output when the process exits first.
 */
export async function startServerProcess(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HOOKLENS_') && name !== 'PORT'));
  const port = args.includes('--port') ? [] : ['--port', '0'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts', ...port, ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const listening = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /hooklens listening on http:\/\/\S+:(\d+)\n[^]*capture\s+\S+\n/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`hooklens exited with ${code} before listening:\n${output}`)));
  });
  return {
    child,
    port: listening,
    url: `http://127.0.0.1:${listening}`,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** What a test file that starts real servers uses; see useServerProcesses. */
export interface ServerProcesses {
  /** A database file in a fresh folder, removed after the test. */
  tmpDb(): string;
  /** startServerProcess, stopped after the test. */
  startServer(args: string[], env?: Record<string, string>): Promise<ServerProcess>;
  /** Stops the server (expecting exit code 0) and returns everything it wrote, once its streams are drained. */
  stopAndRead(server: ServerProcess): Promise<string>;
}

/** Registers an afterEach that stops the servers a test started and removes its folders. Call once per file. */
export function useServerProcesses(prefix: string): ServerProcesses {
  const running: ServerProcess[] = [];
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    tmpDb() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      folders.push(dir);
      return join(dir, 'hooklens.db');
    },
    async startServer(args, env = {}) {
      const server = await startServerProcess(args, env);
      running.push(server);
      return server;
    },
    async stopAndRead(server) {
      // A server may have ended by itself before this (a signal to its processes): its streams may be closed already.
      const closed = Promise.all([server.child.stdout!, server.child.stderr!].map((stream) => (stream.closed ? null : once(stream, 'close'))));
      expect(await server.stop()).toBe(0);
      await closed;
      return server.output();
    },
  };
}
