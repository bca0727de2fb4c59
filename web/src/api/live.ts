/**
 * The live stream of contract.md "Live stream": one WebSocket to /api/live, shared by every bin the viewer follows.
 * It reconnects with backoff when the connection drops (or the server closes it, e.g. 1013 for a slow reader) and
 * re-subscribes each bin with `after` = the last request id it saw, so that nothing sent during the gap is lost.
 */
import type { ClientMessage, HeaderPair, ServerMessage } from '../../../shared/types';
import { toLiveBinView, toSummaryView } from './model';
import type { BinView, RequestSummaryView } from './model';

/** `connecting` before the first connection opens, `live` while open, `reconnecting` after it dropped. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/** What a bin's subscriber hears; every handler is optional. */
export interface BinHandlers {
  /** A stored request, in id order, with no duplicate: first the backlog after `after`, then each new one. */
  request?(request: RequestSummaryView, headers: HeaderPair[]): void;
  requestDeleted?(requestId: number): void;
  /** The bin was emptied of every request up to `throughId` (all of them when the server does not say). */
  binCleared?(throughId: number | undefined): void;
  binDeleted?(): void;
  /** The bin as it now is, after any change (its capture URL absolute, its count and last request time current). */
  bin?(bin: BinView): void;
}

/** What a listener to every bin's changes hears (bins created, changed or deleted). */
export interface BinListHandlers {
  /** A bin created or changed, as it now is (its count and last request time current). */
  bin?(bin: BinView): void;
  binDeleted?(binId: string): void;
}

interface Subscription {
  /** The newest request id delivered for this bin; what `after` is on resubscribe. */
  lastId: number | undefined;
  handlers: Set<BinHandlers>;
}

const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5_000;
/** How long the connection stays open with nobody listening: a view that remounts keeps it. */
const IDLE_CLOSE_MS = 2_000;

const subscriptions = new Map<string, Subscription>();
const binListListeners = new Set<BinListHandlers>();
const statusListeners = new Set<() => void>();
let status: LiveStatus = 'connecting';
let socket: WebSocket | null = null;
let retries = 0;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let idleTimer: ReturnType<typeof setTimeout> | null = null;

function hasListeners(): boolean {
  return subscriptions.size > 0 || binListListeners.size > 0;
}

function setStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  statusListeners.forEach((listener) => listener());
}

function send(message: ClientMessage): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function subscribeMessage(binId: string, subscription: Subscription): ClientMessage {
  return subscription.lastId === undefined ? { type: 'subscribe', binId } : { type: 'subscribe', binId, after: subscription.lastId };
}

function liveUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/live`;
}

function connect(): void {
  retryTimer = null;
  const ws = new WebSocket(liveUrl());
  socket = ws;
  ws.addEventListener('open', () => {
    retries = 0;
    setStatus('live');
    subscriptions.forEach((subscription, binId) => send(subscribeMessage(binId, subscription)));
  });
  ws.addEventListener('message', (event) => {
    if (typeof event.data === 'string') dispatch(event.data);
  });
  ws.addEventListener('close', () => {
    if (socket !== ws) return;
    socket = null;
    if (hasListeners()) scheduleReconnect();
  });
}

function scheduleReconnect(): void {
  if (retryTimer !== null) return;
  // Exponential backoff with jitter, so that many viewers do not hammer a restarting server in step.
  const delay = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** retries) * (0.75 + Math.random() * 0.5);
  retries += 1;
  setStatus('reconnecting');
  retryTimer = setTimeout(connect, delay);
}

function ensureConnected(): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
  if (socket === null && retryTimer === null) connect();
}

/** Closes the connection once nobody has listened for a while (e.g. on the sign-in page). */
function closeWhenIdle(): void {
  if (hasListeners() || idleTimer !== null) return;
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (hasListeners()) return;
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    retries = 0;
    const idle = socket;
    socket = null;
    idle?.close();
    setStatus('connecting');
  }, IDLE_CLOSE_MS);
}

function parse(data: string): ServerMessage | null {
  try {
    const message: unknown = JSON.parse(data);
    return typeof message === 'object' && message !== null && 'type' in message ? (message as ServerMessage) : null;
  } catch {
    return null;
  }
}

function dispatch(data: string): void {
  const message = parse(data);
  if (message === null) return;
  switch (message.type) {
    case 'request': {
      const subscription = subscriptions.get(message.binId);
      if (subscription === undefined) return;
      const id = message.request.id;
      // The server promises no duplicate; this guard keeps that true across our own resubscribes too.
      if (subscription.lastId !== undefined && id <= subscription.lastId) return;
      subscription.lastId = id;
      const summary = toSummaryView(message.request);
      subscription.handlers.forEach((handlers) => handlers.request?.(summary, message.request.headers));
      return;
    }
    case 'request-deleted':
      subscriptions.get(message.binId)?.handlers.forEach((handlers) => handlers.requestDeleted?.(message.id));
      return;
    case 'bin-cleared':
      subscriptions.get(message.binId)?.handlers.forEach((handlers) => handlers.binCleared?.(message.throughId));
      return;
    case 'bin-deleted':
      subscriptions.get(message.binId)?.handlers.forEach((handlers) => handlers.binDeleted?.());
      binListListeners.forEach((handlers) => handlers.binDeleted?.(message.binId));
      return;
    case 'bin': {
      const bin = toLiveBinView(message.bin);
      subscriptions.get(bin.id)?.handlers.forEach((handlers) => handlers.bin?.(bin));
      binListListeners.forEach((handlers) => handlers.bin?.(bin));
      return;
    }
    case 'error':
      // A message the server could not take (e.g. an unknown bin): the bin's own view finds out over REST.
      return;
  }
}

/**
 * Follows a bin: the server first sends its stored requests with an id greater than `after` (none when `after` is
 * undefined), then each new one. Returns the function that stops following. Several subscribers of one bin share
 * one server subscription; only the first one's `after` is sent.
 */
export function subscribe(binId: string, after: number | undefined, handlers: BinHandlers): () => void {
  let subscription = subscriptions.get(binId);
  if (subscription === undefined) {
    subscription = { lastId: after, handlers: new Set() };
    subscriptions.set(binId, subscription);
    send(subscribeMessage(binId, subscription));
  }
  subscription.handlers.add(handlers);
  ensureConnected();
  const joined = subscription;
  return () => {
    joined.handlers.delete(handlers);
    if (joined.handlers.size === 0 && subscriptions.get(binId) === joined) {
      subscriptions.delete(binId);
      send({ type: 'unsubscribe', binId });
      closeWhenIdle();
    }
  };
}

/** Hears bins being created, changed or deleted, for the bins list; returns the function that stops it. */
export function onBinListChanges(handlers: BinListHandlers): () => void {
  binListListeners.add(handlers);
  ensureConnected();
  return () => {
    binListListeners.delete(handlers);
    closeWhenIdle();
  };
}

/** The connection's status now. */
export function getLiveStatus(): LiveStatus {
  return status;
}

/** Calls `listener` when the status changes (for useSyncExternalStore); returns the function that stops it. */
export function onLiveStatus(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** Reconnects at once instead of waiting out the backoff, e.g. right after signing in. */
export function reconnectNow(): void {
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = null;
  retries = 0;
  if (socket === null && hasListeners()) connect();
}
