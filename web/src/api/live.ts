/**
 * The live stream of contract.md "Live stream": one WebSocket to /api/live, shared by every bin the viewer follows.
 * It reconnects with backoff when the connection drops (or the server closes it, e.g. 1013 for a slow reader) and
 * re-subscribes each bin with `after` = the last request id it saw, so that nothing sent during the gap is lost.
 * The app makes one `LiveClient` and hands it down through context (app/providers.tsx); nothing here is global.
 */
import type { Bin, ClientMessage, HeaderPair, ServerMessage } from '../../../shared/types';
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

/** How a client is made. */
export interface LiveClientOptions {
  /** Where live `bin` messages' capture paths start (e.g. `https://hooks.example.com`); asked for each message. */
  captureBase(): string;
  /** The WebSocket URL; default /api/live on the page's own host. */
  url?: string;
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

function parse(data: string): ServerMessage | null {
  try {
    const message: unknown = JSON.parse(data);
    return typeof message === 'object' && message !== null && 'type' in message ? (message as ServerMessage) : null;
  } catch {
    return null;
  }
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/live`;
}

/**
 * One connection to the live stream. It opens when the first listener comes, closes a while after the last one
 * leaves, and in between reconnects by itself; `getStatus`/`onStatus` say which it is doing.
 */
export class LiveClient {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly binListListeners = new Set<BinListHandlers>();
  private readonly statusListeners = new Set<() => void>();
  private status: LiveStatus = 'connecting';
  private socket: WebSocket | null = null;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: LiveClientOptions) {}

  /**
   * Follows a bin: the server first sends its stored requests with an id greater than `after` (none when `after` is
   * undefined), then each new one. Returns the function that stops following. Several subscribers of one bin share
   * one server subscription; only the first one's `after` is sent.
   */
  subscribe(binId: string, after: number | undefined, handlers: BinHandlers): () => void {
    let subscription = this.subscriptions.get(binId);
    if (subscription === undefined) {
      subscription = { lastId: after, handlers: new Set() };
      this.subscriptions.set(binId, subscription);
      this.send(this.subscribeMessage(binId, subscription));
    }
    subscription.handlers.add(handlers);
    this.ensureConnected();
    const joined = subscription;
    return () => {
      joined.handlers.delete(handlers);
      if (joined.handlers.size === 0 && this.subscriptions.get(binId) === joined) {
        this.subscriptions.delete(binId);
        this.send({ type: 'unsubscribe', binId });
        this.closeWhenIdle();
      }
    };
  }

  /** Hears bins being created, changed or deleted, for the bins list; returns the function that stops it. */
  onBinListChanges(handlers: BinListHandlers): () => void {
    this.binListListeners.add(handlers);
    this.ensureConnected();
    return () => {
      this.binListListeners.delete(handlers);
      this.closeWhenIdle();
    };
  }

  /** The connection's status now (for useSyncExternalStore: a bound function). */
  readonly getStatus = (): LiveStatus => this.status;

  /** Calls `listener` when the status changes; returns the function that stops it (a bound function). */
  readonly onStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  /** Reconnects at once instead of waiting out the backoff, e.g. right after signing in. */
  reconnectNow(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retries = 0;
    if (this.socket === null && this.hasListeners()) this.connect();
  }

  private hasListeners(): boolean {
    return this.subscriptions.size > 0 || this.binListListeners.size > 0;
  }

  private setStatus(next: LiveStatus): void {
    if (next === this.status) return;
    this.status = next;
    this.statusListeners.forEach((listener) => listener());
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private subscribeMessage(binId: string, subscription: Subscription): ClientMessage {
    return subscription.lastId === undefined ? { type: 'subscribe', binId } : { type: 'subscribe', binId, after: subscription.lastId };
  }

  private connect(): void {
    this.retryTimer = null;
    const ws = new WebSocket(this.options.url ?? defaultUrl());
    this.socket = ws;
    ws.addEventListener('open', () => {
      this.retries = 0;
      this.subscriptions.forEach((subscription, binId) => this.send(this.subscribeMessage(binId, subscription)));
      this.setStatus('live');
    });
    ws.addEventListener('message', (event) => {
      if (typeof event.data === 'string') this.dispatch(event.data);
    });
    ws.addEventListener('close', () => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (this.hasListeners()) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.retryTimer !== null) return;
    // Exponential backoff with jitter, so that many viewers do not hammer a restarting server in step.
    const delay = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** this.retries) * (0.75 + Math.random() * 0.5);
    this.retries += 1;
    this.setStatus('reconnecting');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private ensureConnected(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.socket === null && this.retryTimer === null) this.connect();
  }

  /** Closes the connection once nobody has listened for a while (e.g. on the sign-in page). */
  private closeWhenIdle(): void {
    if (this.hasListeners() || this.idleTimer !== null) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.hasListeners()) return;
      if (this.retryTimer !== null) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.retries = 0;
      const idle = this.socket;
      this.socket = null;
      idle?.close();
      this.setStatus('connecting');
    }, IDLE_CLOSE_MS);
  }

  private binView(bin: Bin): BinView {
    return toLiveBinView(bin, this.options.captureBase());
  }

  private dispatch(data: string): void {
    const message = parse(data);
    if (message === null) return;
    switch (message.type) {
      case 'request': {
        const subscription = this.subscriptions.get(message.binId);
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
        this.subscriptions.get(message.binId)?.handlers.forEach((handlers) => handlers.requestDeleted?.(message.id));
        return;
      case 'bin-cleared':
        this.subscriptions.get(message.binId)?.handlers.forEach((handlers) => handlers.binCleared?.(message.throughId));
        return;
      case 'bin-deleted':
        this.subscriptions.get(message.binId)?.handlers.forEach((handlers) => handlers.binDeleted?.());
        this.binListListeners.forEach((handlers) => handlers.binDeleted?.(message.binId));
        return;
      case 'bin': {
        const bin = this.binView(message.bin);
        this.subscriptions.get(bin.id)?.handlers.forEach((handlers) => handlers.bin?.(bin));
        this.binListListeners.forEach((handlers) => handlers.bin?.(bin));
        return;
      }
      case 'error':
        // A message the server could not take (e.g. an unknown bin): the bin's own view finds out over REST.
        return;
    }
  }
}
