import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientMessage, ServerMessage } from '../../shared/types';
import type { Store } from '../store';
import { toLiveRequest } from '../http/wire';
import type { Hub } from './hub';

export interface LiveOptions {
  store: Store;
  hub: Hub;
  /** null when the upgrade may proceed, else the status and message it is refused with. */
  authorizeUpgrade: (req: IncomingMessage) => { status: number; message: string } | null;
  /** Unsent bytes past which a client that does not read is closed with 1013. */
  sendBufferLimit?: number;
  heartbeatMs?: number;
}

/** Largest message a client may send; the protocol's messages are tiny. */
const MAX_PAYLOAD = 16 * 1024;
const BACKLOG_PAGE = 200;
const CLOSE_TRY_AGAIN_LATER = 1013;

/**
 * Serves the live protocol of the contract at /api/live on `server`, by `upgrade`; any other upgrade is destroyed.
 * Returns a function that closes every connection and stops the heartbeat.
 */
export function attachLiveStream(server: Server, options: LiveOptions): () => void {
  const { store, hub } = options;
  const sendBufferLimit = options.sendBufferLimit ?? 4 * 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = (req.url ?? '').split('?')[0];
    if (pathname !== '/api/live') return void socket.destroy();
    const refusal = options.authorizeUpgrade(req);
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.message);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const subscriptions = new Map<string, () => void>();
    alive.set(ws, true);

    /** Sends one encoded message; past the buffer bound, stops delivering and asks the client to come back. */
    const send = (json: string): boolean => {
      if (ws.readyState !== ws.OPEN) return false;
      ws.send(json);
      if (ws.bufferedAmount <= sendBufferLimit) return true;
      stopAll();
      ws.close(CLOSE_TRY_AGAIN_LATER, 'too slow: reconnect with after=<last id>');
      // A client that never reads never sees the close frame either.
      setTimeout(() => ws.terminate(), 10_000).unref();
      return false;
    };
    const reply = (message: ServerMessage): boolean => send(JSON.stringify(message));

    const stopAll = (): void => {
      for (const unsubscribe of subscriptions.values()) unsubscribe();
      subscriptions.clear();
      unsubscribeBins();
    };
    const unsubscribeBins = hub.subscribeAll(send);

    const subscribe = (binId: string, after: number | undefined): void => {
      if (!store.hasBin(binId)) return void reply({ type: 'error', message: `no such bin: ${binId}` });
      subscriptions.get(binId)?.();
      // Backlog and subscription happen in one synchronous run: no capture can be stored in between,
      // so the seam between them has no gap and no duplicate.
      let cursor = after;
      while (cursor !== undefined) {
        const page = store.requestsAfter(binId, cursor, BACKLOG_PAGE);
        for (const request of page) {
          if (!reply({ type: 'request', binId, request: toLiveRequest(request) })) return;
        }
        cursor = page.length === BACKLOG_PAGE ? page[page.length - 1].id : undefined;
      }
      subscriptions.set(binId, hub.subscribe(binId, send));
    };

    ws.on('message', (data, isBinary) => {
      const message = isBinary ? null : parseClientMessage(data.toString());
      if (typeof message === 'string' || message === null) {
        return void reply({ type: 'error', message: message ?? 'messages must be JSON text' });
      }
      if (message.type === 'subscribe') subscribe(message.binId, message.after);
      else {
        subscriptions.get(message.binId)?.();
        subscriptions.delete(message.binId);
      }
    });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    ws.on('close', stopAll);
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return () => {
    clearInterval(heartbeat);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}

/** Answers an upgrade with an HTTP error and a JSON body, then closes the socket. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The client message, or a sentence saying what is wrong with it. */
export function parseClientMessage(text: string): ClientMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'message is not valid JSON';
  }
  if (typeof value !== 'object' || value === null) return 'message must be a JSON object with a "type"';
  const { type, binId, after } = value as Record<string, unknown>;
  if (type !== 'subscribe' && type !== 'unsubscribe') {
    return `unknown message type ${JSON.stringify(type)}; expected "subscribe" or "unsubscribe"`;
  }
  if (typeof binId !== 'string' || binId === '') return `"${type}" needs a "binId" string`;
  if (type === 'unsubscribe') return { type, binId };
  if (after === undefined || after === null) return { type, binId };
  if (typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0) {
    return '"after" must be a request id (a non-negative integer)';
  }
  return { type, binId, after };
}
