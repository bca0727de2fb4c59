import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { createCore, type Core } from '../../server/core';
import { createHooklensServer } from '../../server/server';
import { openStore } from '../../server/store';

export interface TestApp extends Core {
  app: ReturnType<typeof createApp>;
  config: Readonly<Config>;
}

export interface TestAppOptions {
  config?: Partial<Config>;
  now?: () => number;
  /** Bins to create up front. */
  bins?: string[];
  /** Body bytes all captures in flight may hold. */
  bodyBudget?: number;
  /** Receives the capture log lines. */
  log?: (line: string) => void;
  /** Folder of the built viewer. */
  viewerDir?: string;
}

/** The defaults of the contract, on an in-memory database, with `overrides` on top. */
export function testConfig(overrides: Partial<Config> = {}): Readonly<Config> {
  return Object.freeze({ ...loadConfig([], {}), db: ':memory:', ...overrides });
}

/** The core (store, bus, services, access) on the configured database, with the given bins. */
async function testCore(options: TestAppOptions): Promise<Core & { config: Readonly<Config> }> {
  const config = testConfig(options.config);
  const now = options.now ?? Date.now;
  const core = await createCore(config, await openStore(config.db, { redactSecrets: config.redactSecrets, publicUrl: config.publicUrl }), { now });
  for (const id of options.bins ?? []) await core.store.createBin(id, id, now());
  return { ...core, config };
}

/** createApp() on an in-memory store, for supertest. */
export async function makeTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const core = await testCore(options);
  const app = createApp({
    ...core, now: options.now, bodyBudget: options.bodyBudget, log: options.log, viewerDir: options.viewerDir,
  });
  return { ...core, app };
}

export interface TestServer extends TestApp {
  server: Server;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port>/api/live */
  liveUrl: string;
  /** Connections the graceful stop follows. */
  trackedConnections(): number;
  /** The server's own graceful stop (as on SIGTERM); resolves once every connection is closed. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP server with the live stream, on a free port. */
export async function startTestServer(
  options: TestAppOptions & { sendBufferLimit?: number; headersTimeoutMs?: number; connectionsPerAddress?: number; heartbeatMs?: number } = {},
): Promise<TestServer> {
  const core = await testCore(options);
  // An app for supertest on the same core; the server builds its own from the same parts and options.
  const app = createApp({ ...core, now: options.now, bodyBudget: options.bodyBudget });
  const { server, closeLive, stop, trackedConnections } = createHooklensServer({
    ...core, now: options.now, log: options.log,
    bodyBudget: options.bodyBudget, sendBufferLimit: options.sendBufferLimit, headersTimeoutMs: options.headersTimeoutMs,
    connectionsPerAddress: options.connectionsPerAddress, heartbeatMs: options.heartbeatMs,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...core,
    app,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    liveUrl: `ws://127.0.0.1:${port}/api/live`,
    trackedConnections,
    stop: () => new Promise<void>((resolve) => stop(resolve)),
    async close() {
      closeLive();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close();
    },
  };
}
