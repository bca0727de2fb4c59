import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { endSocketWithError, sendJson } from './http/json';
import { createApp, type AppDeps } from './app';
import { attachLiveStream } from './live/socket';

export interface ServerOptions extends AppDeps {
  /** Unsent live-stream bytes past which a client is closed with 1013. */
  sendBufferLimit?: number;
  /** The whole header must arrive within this time (ms). */
  headersTimeoutMs?: number;
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
export function createHooklensServer(options: ServerOptions): { server: Server; closeLive: () => void; stop: (done: () => void) => void } {
  const headersTimeout = options.headersTimeoutMs ?? 20_000;
  const server = createServer(
    {
      headersTimeout,
      // The whole request, body included, within 5 minutes.
      requestTimeout: Math.max(300_000, headersTimeout),
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    limitHeaderCount(createApp(options)),
  );
  server.maxHeadersCount = MAX_HEADERS + 1;
  server.keepAliveTimeout = 65_000;
  // Each connection costs a socket and buffers: a flood of them is refused past this.
  server.maxConnections = 10_000;
  // headersTimeout is only checked this often; by default once a minute.
  (server as Server & { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(headersTimeout, 30_000);

  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // A response already under way (an error mid-body) cannot be followed by another one.
    const inFlight = (socket as typeof socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (!socket.writable || err.code === 'ECONNRESET' || inFlight?.headersSent) return void socket.destroy();
    // The answer is one fixed sentence per status: parser errors quote the bytes they choked on, header values too.
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    endSocketWithError(socket, status, STATUS_CODES[status]!.toLowerCase());
  });

  const closeLive = attachLiveStream(server, {
    store: options.store,
    hub: options.hub,
    sendBufferLimit: options.sendBufferLimit,
    authorizeUpgrade: (req) => options.access.check(req, true),
  });
  return { server, closeLive, stop: trackForShutdown(server, closeLive) };
}

/**
 * A graceful stop for `server`: stop accepting, end the live connections, let every request in flight finish (a
 * capture answers only after its commit), and close each connection as soon as it carries none — keep-alive
 * connections between requests, and connections a browser opened ahead of time that never sent one, which
 * `server.close()` alone would wait for (those get a second to start a request first). `done` runs once every
 * connection is closed.
 */
const QUIET_CONNECTION_GRACE_MS = 1000;

function trackForShutdown(server: Server, closeLive: () => void): (done: () => void) => void {
  const inFlight = new Map<Socket, number>();
  let stopping = false;
  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (stopping && left === 0) socket.destroySoon();
    });
  });
  return (done) => {
    stopping = true;
    closeLive();
    server.close(() => done());
    // A connection with no request yet may be one whose request is still arriving: give it a moment to become one.
    setTimeout(() => {
      for (const [socket, count] of inFlight) if (count === 0) socket.destroy();
    }, QUIET_CONNECTION_GRACE_MS).unref();
  };
}
