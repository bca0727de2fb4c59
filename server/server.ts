import { createServer, type Server } from 'node:http';
import { createApp, type AppDeps } from './app';
import { attachLiveStream } from './live/socket';

export interface ServerOptions extends AppDeps {
  /** Unsent live-stream bytes past which a client is closed with 1013. */
  sendBufferLimit?: number;
  /** The whole header must arrive within this time (ms). */
  headersTimeoutMs?: number;
}

/**
 * The HTTP server with its limits against slow or hostile senders, the app and the live stream.
 * Does not listen; `close()` ends the live connections and then the server.
 */
export function createHooklensServer(options: ServerOptions): { server: Server; closeLive: () => void } {
  const headersTimeout = options.headersTimeoutMs ?? 20_000;
  const server = createServer(
    {
      headersTimeout,
      // The whole request, body included, within 5 minutes.
      requestTimeout: Math.max(300_000, headersTimeout),
      maxHeaderSize: 64 * 1024,
    },
    createApp(options),
  );
  server.maxHeadersCount = 500;
  server.keepAliveTimeout = 65_000;
  // headersTimeout is only checked this often; by default once a minute.
  (server as Server & { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(headersTimeout, 30_000);

  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    const body = JSON.stringify({ error: status.slice(4).toLowerCase() });
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  });

  const closeLive = attachLiveStream(server, {
    store: options.store,
    hub: options.hub,
    sendBufferLimit: options.sendBufferLimit,
    authorizeUpgrade: (req) => options.access.check(req, true),
  });
  return { server, closeLive };
}
