import { EventEmitter, once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/types';
import type { Hub } from '../../server/bus/hub';
import { startTestServer, type TestServer } from './app';

/** A live-stream client for tests: records every message and lets a test wait for one that matches. */
export class LiveClient {
  readonly messages: ServerMessage[] = [];
  /** The close code once the connection has closed. */
  closeCode: number | null = null;
  private waiters: { match: (m: ServerMessage[]) => boolean; resolve: () => void; reject: (err: Error) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      this.waiters = this.waiters.filter((w) => (w.match(this.messages) ? (w.resolve(), false) : true));
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const w of this.waiters.splice(0)) w.reject(this.closedError());
    });
  }

  static async connect(url: string, options?: WebSocket.ClientOptions): Promise<LiveClient> {
    const ws = new WebSocket(url, options);
    const client = new LiveClient(ws);
    await once(ws, 'open');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /**
   * Resolves once the server has handled every message sent before: it answers messages in order,
   * so the error for a deliberately unknown bin comes after them.
   */
  async sync(): Promise<void> {
    const errors = () => this.messages.filter((m) => m.type === 'error').length;
    const count = errors();
    this.send({ type: 'subscribe', binId: '-sync-' });
    await this.until(() => errors() > count);
  }

  /** Resolves once the messages so far satisfy `match`; rejects if the connection closes before they do. */
  until(match: (messages: ServerMessage[]) => boolean): Promise<void> {
    if (match(this.messages)) return Promise.resolve();
    if (this.closeCode !== null) return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => this.waiters.push({ match, resolve, reject }));
  }

  private closedError(): Error {
    return new Error(`the connection closed with ${this.closeCode} after ${this.messages.length} messages`);
  }

  /** Ids of the request messages received for a bin, in arrival order. */
  requestIds(binId: string): number[] {
    return this.messages.flatMap((m) => (m.type === 'request' && m.binId === binId ? [m.request.id] : []));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = once(this.ws, 'close');
    this.ws.terminate();
    await closed;
  }
}

/**
 * Makes `hub` report each listener that comes or goes, so that a test can wait, without polling, for the server to
 * follow a bin (it has handled a subscribe) or to let go of it (it has handled an unsubscribe or a close).
 */
export function watchFollowers(hub: Hub): { followed(binId: string): Promise<void>; unfollowed(binId: string): Promise<void> } {
  const changes = new EventEmitter();
  const subscribe = hub.subscribe.bind(hub);
  hub.subscribe = (binId, listener) => {
    const unsubscribe = subscribe(binId, listener);
    changes.emit('change');
    return () => {
      unsubscribe();
      changes.emit('change');
    };
  };
  return {
    async followed(binId) {
      while (hub.subscriberCount(binId) === 0) await once(changes, 'change');
    },
    async unfollowed(binId) {
      while (hub.subscriberCount(binId) > 0) await once(changes, 'change');
    },
  };
}

/** One capture at `${baseUrl}/b/${binId}` over a fresh connection; resolves with the stored id. */
export function capture(baseUrl: string, binId: string, headers: Record<string, string> = {}, body = '{"n":1}'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}/b/${binId}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()).id as number));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One test's live-stream server and the clients connected to it. */
export interface LiveServer {
  /** Starts this test's server with `options`; throws if the test has already started one. */
  start(options?: Parameters<typeof startTestServer>[0]): Promise<TestServer>;
  /** This test's server; throws before `start()`. */
  readonly server: TestServer;
  /** Connects a client to this test's live stream; it is closed after the test. */
  connect(options?: WebSocket.ClientOptions): Promise<LiveClient>;
  /** One capture to this test's server over a fresh connection, as {@link capture}; resolves with the stored id. */
  capture(binId: string, headers?: Record<string, string>): Promise<number>;
}

/**
 * Registers an `afterEach` that closes every client `connect()` opened, then the server `start()` started, and
 * returns those functions. Each test starts its own server; `connect` and `capture` need no `this`, so they can be
 * destructured.
 */
export function useLiveServer(): LiveServer {
  let server: TestServer | undefined;
  const clients: LiveClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  const current = (): TestServer => {
    if (server === undefined) throw new Error('useLiveServer: start() the test\'s server first');
    return server;
  };

  return {
    async start(options) {
      if (server !== undefined) throw new Error('useLiveServer: this test has already started its server');
      server = await startTestServer(options);
      return server;
    },
    get server() {
      return current();
    },
    async connect(options) {
      const client = await LiveClient.connect(current().liveUrl, options);
      clients.push(client);
      return client;
    },
    capture: (binId, headers) => capture(current().url, binId, headers),
  };
}
