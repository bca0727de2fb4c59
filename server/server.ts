import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { endSocketWithError, sendJson } from './net/json';
import { createApp, type AppDeps } from './app';
import type { Hub } from './bus/hub';
import { limitKey } from './access/rate-limit';
import { attachLiveStream } from './live/socket';

export interface ServerOptions extends AppDeps {
  /** This process's live fan-out, fed by the bus. */
  hub: Hub;
  /** Unsent live-stream bytes past which a client is closed with 1013. */
  sendBufferLimit?: number;
  /** The whole header must arrive within this time (ms). */
  headersTimeoutMs?: number;
  /** How often live connections are pinged and their access asked again (ms); 30 s by default. */
  heartbeatMs?: number;
  /** Open connections one client address (an IPv6 /64) may hold; by default a tenth of all. */
  connectionsPerAddress?: number;
}

const MAX_CONNECTIONS = 10_000;

/**
 * Refuses a connection (503, then closed) from an address that already holds `share` open ones. Counted by the
 * socket's own address (an IPv6 /64 as one): behind a proxy or tunnel that is the proxy's, which pools connections.
 */
function shareConnections(server: Server, share: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const key = limitKey(socket.remoteAddress ?? '');
    const count = open.get(key) ?? 0;
    if (count >= share) return endSocketWithError(socket, 503, `more than ${share} open connections from this address; close some and try again`);
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left === 0) open.delete(key);
      else open.set(key, left);
    });
  });
}

/** More header lines than this are answered 431, like more than 64 KB of them. */
const MAX_HEADERS = 500;
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Node's own `maxHeadersCount` drops the lines past it without a word, so the server keeps one more than
 * allowed and this check tells "too many" apart from "exactly as many".
 */
function limitHeaderCount(app: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.rawHeaders.length <= 2 * MAX_HEADERS) return app(req, res);
    sendJson(res, 431, { error: `more than ${MAX_HEADERS} header lines` }, { Connection: 'close' });
  };
}

/**
 * The HTTP server with its limits against slow or hostile senders, the app and the live stream.
 * Does not listen; `close()` ends the live connections and then the server.
 */
export function createHooklensServer(options: ServerOptions): {
  server: Server;
  closeLive: () => void;
  /** Stops gracefully; `done` runs once every connection is closed. */
  stop: (done: () => void) => void;
  /** Connections followed for the graceful stop; for tests. */
  trackedConnections: () => number;
} {
  const headersTimeout = options.headersTimeoutMs ?? 20_000;
  const app = createApp(options);
  const server = createServer(
    {
      headersTimeout,
      // The whole request, body included, within 5 minutes.
      requestTimeout: Math.max(300_000, headersTimeout),
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    limitHeaderCount(app),
  );
  server.maxHeadersCount = MAX_HEADERS + 1;
  server.keepAliveTimeout = 65_000;
  // Each connection costs a socket and buffers: a flood of them is refused past this, and one client may hold a
  // tenth of them, so that its idle sockets cannot keep every other sender out.
  server.maxConnections = MAX_CONNECTIONS;
  shareConnections(server, options.connectionsPerAddress ?? MAX_CONNECTIONS / 10);
  // headersTimeout is only checked this often; by default once a minute.
  (server as Server & { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(headersTimeout, 30_000);

  // The parser stays in error after the first: later bytes on the socket raise clientError again, and are ignored.
  const refusing = new WeakSet<Duplex>();
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (refusing.has(socket)) return;
    refusing.add(socket);
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    // The answer is one fixed sentence per status: parser errors quote the bytes they choked on, header values too.
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    // Requests before it on this connection, each read whole, may still be waiting for their answers (a capture
    // answers after its commit): they get them first, in order, then the bad one its error. An error inside the
    // request being answered (mid-body) cannot be followed by another answer.
    const afterAnswers = (): void => {
      const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (!inFlight || inFlight.writableFinished) return endSocketWithError(socket, status, STATUS_CODES[status]!.toLowerCase());
      if (!inFlight.req.complete) return void socket.destroy();
      // The next response takes the socket once this one finishes: look again then.
      inFlight.once('finish', () => setImmediate(afterAnswers)).once('close', () => inFlight.writableFinished || socket.destroy());
    };
    afterAnswers();
  });
  // Node answers nothing to CONNECT without a listener; hooklens is no proxy, and says so.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    endSocketWithError(socket, 405, 'hooklens is not a proxy: CONNECT is not supported; capture URLs take any other method');
  });

  const closeWebSockets = attachLiveStream(server, {
    bins: options.bins,
    requests: options.requests,
    hub: options.hub,
    metrics: options.metrics,
    sendBufferLimit: options.sendBufferLimit,
    authorizeUpgrade: (req) => options.access.check(req, true),
    onSignOut: (listener) => options.access.onSignOut(listener),
    heartbeatMs: options.heartbeatMs,
  });
  const closeLive = (): void => {
    closeWebSockets();
    app.closeRelays();
    app.hurryCaptures();
  };
  const { stop, tracked } = trackForShutdown(server, closeLive);
  return { server, closeLive, stop, trackedConnections: tracked };
}

/** What a connection carries: requests not yet answered, and how many bytes it had read when the last one was. */
interface ConnectionState {
  requests: number;
  readAtLastAnswer: number;
}

/**
 * A graceful stop for `server`: stop accepting, end the live connections, let every request in flight finish (a
 * capture answers only after its commit) — one whose bytes have started to arrive counts — and close each other
 * connection within a second: keep-alive connections between requests, and connections a browser opened ahead of
 * time that never sent one, which `server.close()` alone would wait for. `done` runs once every connection is closed.
 * `tracked()` says how many connections are followed, for tests.
 */
const QUIET_CONNECTION_GRACE_MS = 1000;

function trackForShutdown(server: Server, closeLive: () => void): { stop: (done: () => void) => void; tracked: () => number } {
  const connections = new Map<Socket, ConnectionState>();
  let stopping = false;
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { requests: 0, readAtLastAnswer: 0 });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const state = connections.get(req.socket);
    if (!state) return;
    state.requests++;
    res.once('close', () => {
      state.requests--;
      state.readAtLastAnswer = req.socket.bytesRead;
      if (stopping && state.requests === 0) req.socket.destroySoon();
    });
  });
  const stop = (done: () => void): void => {
    stopping = true;
    closeLive();
    server.close(() => done());
    // Bytes since the last answer are a request on its way in: it gets its answer, then its connection closes. The
    // others close after a moment, which lets bytes already sent, but not yet read, show up as such a request.
    setTimeout(() => {
      for (const [socket, state] of connections) {
        if (state.requests === 0 && socket.bytesRead === state.readAtLastAnswer) socket.destroy();
      }
    }, QUIET_CONNECTION_GRACE_MS).unref();
  };
  return { stop, tracked: () => connections.size };
}
