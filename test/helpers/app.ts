import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Access } from '../../server/access';
import { createApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { Hub } from '../../server/live/hub';
import { createHooklensServer } from '../../server/server';
import { createStore, type Store } from '../../server/store';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: Store;
  hub: Hub;
  access: Access;
  config: Readonly<Config>;
}

export interface TestAppOptions {
  config?: Partial<Config>;
  now?: () => number;
  /** Bins to create up front. */
  bins?: string[];
  /** Body bytes all captures in flight may hold. */
  bodyBudget?: number;
}

/** The defaults of the contract, on an in-memory database, with `overrides` on top. */
export function testConfig(overrides: Partial<Config> = {}): Readonly<Config> {
  return Object.freeze({ ...loadConfig([], {}), db: ':memory:', ...overrides });
}

/** createApp() on an in-memory store, for supertest. */
export function makeTestApp(options: TestAppOptions = {}): TestApp {
  const config = testConfig(options.config);
  const store = createStore(config.db);
  const hub = new Hub();
  const now = options.now ?? Date.now;
  const access = new Access(config, store, now);
  for (const id of options.bins ?? []) store.createBin(id, id, now());
  return { app: createApp({ config, store, hub, access, now, bodyBudget: options.bodyBudget }), store, hub, access, config };
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
export async function startTestServer(options: TestAppOptions & { sendBufferLimit?: number; headersTimeoutMs?: number } = {}): Promise<TestServer> {
  const testApp = makeTestApp(options);
  // The same app makeTestApp built is not reused: the server builds its own from the same parts and options.
  const { server, closeLive, stop, trackedConnections } = createHooklensServer({
    config: testApp.config, store: testApp.store, hub: testApp.hub, access: testApp.access, now: options.now,
    bodyBudget: options.bodyBudget, sendBufferLimit: options.sendBufferLimit, headersTimeoutMs: options.headersTimeoutMs,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...testApp,
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
      if (testApp.store.isOpen()) testApp.store.close();
    },
  };
}
