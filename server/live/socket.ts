import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientMessage, ServerMessage } from '../../shared/types';
import { parseCaptureTarget } from '../capture/target';
import { readCookie, SESSION_COOKIE } from '../access/session';
import { endSocketWithError } from '../net/json';
import { NotFoundError, StoreUnavailableError } from '../store';
import type { BinService } from '../services/bins';
import type { RequestService } from '../services/requests';
import type { Hub } from '../bus/hub';
import type { Metrics } from '../metrics';
import { Subscription, type Outlet } from './subscription';

export interface LiveOptions {
  bins: BinService;
  requests: RequestService;
  hub: Hub;
  /** Counts connections, messages and slow closes; none when absent. */
  metrics?: Metrics;
  /**
   * null when the upgrade may proceed, else the status and message it is refused with. Asked again at every
   * heartbeat: a connection whose session was signed out (on any instance) or whose token changed is closed.
   */
  authorizeUpgrade: (req: IncomingMessage) => Promise<{ status: number; message: string } | null>;
  /** Tells of each session signed out in this process (its cookie value): its connections close at once. */
  onSignOut?: (listener: (cookie: string) => void) => () => void;
  /** Unsent bytes (the socket's, and live messages queued behind a backlog) past which a client is closed with 1013. */
  sendBufferLimit?: number;
  heartbeatMs?: number;
}

/** Largest message a client may send; the protocol's messages are tiny. */
const MAX_PAYLOAD = 16 * 1024;
/** Past this share of the bound, a backlog waits for what it sent to leave: a client that reads never passes the bound. */
const BACKLOG_LOW_WATER = 1 / 4;
const CLOSE_POLICY = 1008;
const CLOSE_INTERNAL_ERROR = 1011;
const CLOSE_TRY_AGAIN_LATER = 1013;

/**
 * Serves the live protocol of the contract at /api/live on `server`, by `upgrade`; any other upgrade is destroyed.
 * Returns a function that closes every connection and stops the heartbeat.
 */
export function attachLiveStream(server: Server, options: LiveOptions): () => void {
  const { bins, requests, hub } = options;
  const sendBufferLimit = options.sendBufferLimit ?? 4 * 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = (req.url ?? '').split('?')[0];
    if (pathname !== '/api/live') {
      // Node hands every upgrade here, captures too: answer those in words rather than dropping them.
      if (parseCaptureTarget(req.url ?? '') !== null) return endSocketWithError(socket, 400, 'capture does not take WebSocket upgrades; send a plain HTTP request');
      return void socket.destroy();
    }
    options.authorizeUpgrade(req).then(
      (refusal) => {
        if (refusal) return endSocketWithError(socket, refusal.status, refusal.message);
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      },
      () => endSocketWithError(socket, 503, 'the database is unavailable; try again shortly'),
    );
  });
  // The bus lost the database and cannot vouch for what it delivers: clients reconnect and resume with `after`.
  const closers = new Set<(code: number, reason: string) => void>();
  const stopInterrupted = requests.onInterrupted(() => {
    for (const close of [...closers]) close(CLOSE_INTERNAL_ERROR, 'the database connection was lost: reconnect with after=<last id>');
  });

  /** Each connection's upgrade request (asked again at each heartbeat) and how to close it. */
  const upgrades = new WeakMap<WebSocket, { req: IncomingMessage; close: (code: number, reason: string) => void }>();
  const signedOut = 'signed out: sign in again';
  const stopSignOuts = options.onSignOut?.((cookie) => {
    for (const ws of wss.clients) {
      const upgrade = upgrades.get(ws);
      if (upgrade && readCookie(upgrade.req, SESSION_COOKIE) === cookie) upgrade.close(CLOSE_POLICY, signedOut);
    }
  });

  const { metrics } = options;
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    metrics?.liveOpened();
    const subscriptions = new Map<string, Subscription>();
    /** Bytes waiting in this connection's subscription queues: they count toward the bound like the socket's. */
    let held = 0;
    alive.set(ws, true);

    const closeWith = (code: number, reason: string): void => {
      stopAll();
      ws.close(code, reason);
      // A client that never reads never sees the close frame either.
      setTimeout(() => ws.terminate(), 10_000).unref();
    };
    closers.add(closeWith);
    upgrades.set(ws, { req, close: closeWith });
    const overBound = (): boolean => {
      if (ws.bufferedAmount + held <= sendBufferLimit) return false;
      metrics?.liveTooSlow();
      closeWith(CLOSE_TRY_AGAIN_LATER, 'too slow: reconnect with after=<last id>');
      return true;
    };
    const outlet: Outlet = {
      send: (json, written) => {
        if (ws.readyState !== ws.OPEN) return false;
        ws.send(json, written);
        metrics?.liveSent();
        return !overBound();
      },
      hold: (bytes) => {
        held += bytes;
        if (bytes > 0 && ws.readyState === ws.OPEN) overBound();
      },
      fail: (err) => closeWith(CLOSE_INTERNAL_ERROR, err instanceof StoreUnavailableError
        ? 'the database is unavailable: reconnect with after=<last id>' : 'server error: reconnect with after=<last id>'),
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
    };
    const reply = (message: ServerMessage): boolean => outlet.send(JSON.stringify(message));

    const unsubscribe = (binId: string): void => {
      subscriptions.get(binId)?.stop();
      subscriptions.delete(binId);
    };
    const stopAll = (): void => {
      for (const binId of [...subscriptions.keys()]) unsubscribe(binId);
      unsubscribeBins();
    };
    const unsubscribeBins = hub.subscribeAll((json, message) => {
      // A deleted bin has nothing more to send: drop what its subscription holds, so nothing follows bin-deleted.
      if (message.type === 'bin-deleted') unsubscribe(message.binId);
      outlet.send(json);
    });

    const subscribe = async (binId: string, after: number | undefined): Promise<void> => {
      // Asked of the database itself (not the capture path's cache): a bin deleted by another instance is gone here.
      const exists = await bins.get(binId).then(() => true, (err: unknown) => {
        if (err instanceof NotFoundError) return false;
        throw err;
      });
      if (!exists) return void reply({ type: 'error', message: `no such bin: ${binId}` });
      if (ws.readyState !== ws.OPEN) return;
      unsubscribe(binId);
      const subscription = new Subscription(binId, requests, hub, outlet, sendBufferLimit * BACKLOG_LOW_WATER);
      subscriptions.set(binId, subscription);
      subscription.start(after);
    };

    // Messages are handled one after another, so that an unsubscribe never overtakes the subscribe before it.
    let handled: Promise<void> = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? null : parseClientMessage(data.toString());
      handled = handled.then(async () => {
        if (typeof message === 'string' || message === null) {
          return void reply({ type: 'error', message: message ?? 'messages must be JSON text' });
        }
        if (message.type === 'subscribe') await subscribe(message.binId, message.after);
        else unsubscribe(message.binId);
      }).catch((err: unknown) => outlet.fail(err));
    });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      closers.delete(closeWith);
      metrics?.liveClosed();
      stopAll();
    });
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
      const upgrade = upgrades.get(ws);
      if (!upgrade) continue;
      options.authorizeUpgrade(upgrade.req).then(
        (refusal) => {
          if (refusal && refusal.status !== 429) upgrade.close(CLOSE_POLICY, signedOut);
        },
        () => {}, // the database is away: the next heartbeat asks again
      );
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return () => {
    stopInterrupted();
    stopSignOuts?.();
    clearInterval(heartbeat);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}

/** The client message, or a sentence saying what is wrong with it. */
export function parseClientMessage(text: string): ClientMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'message is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'message must be a JSON object with a "type"';
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
