import type { ServerMessage } from '../../shared/types';
import type { RequestService } from '../services/requests';
import { toLiveRequest } from '../wire';
import type { Hub } from '../bus/hub';

/** What a subscription needs from its connection. */
export interface Outlet {
  /**
   * Sends one encoded message; `written` runs once it has left the process (or failed to). Returns false when the
   * connection is closed or closing, e.g. because this message passed the bound: send nothing more then. `message`
   * is the same message decoded (a Subscription always passes it), for an outlet that sends another form of it.
   */
  send(json: string, written?: () => void, message?: ServerMessage): boolean;
  /** Counts `bytes` (negative: releases them) as queued for the client; past the bound, the connection closes. */
  hold(bytes: number): void;
  /** Closes the connection because the server failed (`err` says how), so that the client reconnects and resumes. */
  fail(err: unknown): void;
  /** Bytes the socket holds unsent in the process. */
  readonly bufferedAmount: number;
  /**
   * Called once the bus follows the bin, before the backlog: every request of the bin with an id above `throughId`
   * will be sent. An outlet that announces readiness (the relay's `ready`) does it here.
   */
  following?(throughId: number): void;
}

const BACKLOG_PAGE = 200;

/**
 * One connection following one bin. It listens on the hub first, then asks the bus to follow the bin (on
 * PostgreSQL that fixes the id from which the bus delivers). With `after`, it sends the stored requests past it
 * first, with flow control: past `lowWater` unsent bytes it waits until what it sent has left the process. Live
 * messages published meanwhile wait in a queue, counted toward the connection's bound; the backlog stops before the
 * first request in that queue, then the queue is sent in order and later messages go straight out. A request the
 * backlog already sent is never sent again (the store may show a commit before its announcement arrives). So
 * requests reach the client in id order, with no gap and no duplicate, and a bin-cleared or request-deleted keeps
 * its place among them.
 */
export class Subscription {
  /** Live messages held until the bus follows the bin and the backlog is sent; null once live. */
  private queue: { json: string; message: ServerMessage; bytes: number; id: number | null }[] | null = [];
  /** The last request id sent: later deliveries of it or of smaller ids are duplicates. */
  private lastSentId = 0;
  private queuedBytes = 0;
  /** The id of the first request in the queue: the backlog sends only ids below it. */
  private firstQueuedId = Infinity;
  private stopped = false;
  private sent = 0;
  private written = 0;
  private wake: (() => void) | null = null;
  private unsubscribe = (): void => {};

  constructor(
    private readonly binId: string,
    private readonly requests: RequestService,
    private readonly hub: Hub,
    private readonly outlet: Outlet,
    private readonly lowWater: number,
  ) {}

  /**
   * Starts following the bin, after sending the stored requests with an id above `after` (none without it). The
   * first sends happen before this returns, and may close the connection: register the subscription before.
   */
  start(after: number | undefined): void {
    // The client has everything up to `after`: whatever the bus delivers at or below it is a duplicate (on
    // PostgreSQL a bus already following the bin may be behind the store for a moment).
    this.lastSentId = after ?? 0;
    // Subscribe before reading the store: a request committed from now on is queued, one committed before is read.
    this.unsubscribe = this.hub.subscribe(this.binId, this.deliver);
    this.requests.follow(this.binId)
      .then((throughId) => {
        if (!this.stopped) this.outlet.following?.(throughId);
        return after === undefined || this.stopped ? this.goLive() : this.sendBacklog(after);
      })
      .catch((err: unknown) => {
        if (this.stopped) return;
        console.error(`hooklens: live backlog of ${this.binId} failed:`, err instanceof Error ? err.message : err);
        this.outlet.fail(err);
      });
  }

  /** Stops delivering and drops what is queued; safe to call more than once, also while the backlog waits. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    this.outlet.hold(-this.queuedBytes);
    this.queuedBytes = 0;
    this.queue = null;
    this.wake?.();
  }

  private readonly deliver = (json: string, message: ServerMessage): void => {
    if (this.stopped) return;
    const id = message.type === 'request' ? message.request.id : null;
    if (this.queue === null) {
      if (id !== null && id <= this.lastSentId) return;
      if (id !== null) this.lastSentId = id;
      return void this.outlet.send(json, undefined, message);
    }
    if (id !== null && this.firstQueuedId === Infinity) this.firstQueuedId = id;
    const bytes = Buffer.byteLength(json);
    this.queue.push({ json, message, bytes, id });
    this.queuedBytes += bytes;
    this.outlet.hold(bytes);
  };

  private async sendBacklog(after: number): Promise<void> {
    let cursor = after;
    for (;;) {
      const page = await this.requests.after(this.binId, cursor, BACKLOG_PAGE);
      if (this.stopped) return;
      for (const request of page) {
        if (request.id >= this.firstQueuedId) return this.goLive();
        this.sent++;
        this.lastSentId = request.id;
        const message: ServerMessage = { type: 'request', binId: this.binId, request: toLiveRequest(request) };
        if (!this.outlet.send(JSON.stringify(message), this.onWritten, message)) return;
        cursor = request.id;
        if (this.outlet.bufferedAmount > this.lowWater) await this.drained();
        if (this.stopped) return;
      }
      if (page.length < BACKLOG_PAGE) return this.goLive();
    }
  }

  private readonly onWritten = (): void => {
    this.written++;
    if (this.written === this.sent) this.wake?.();
  };

  /** Resolves once every backlog message sent so far has left the process, or the subscription stops. */
  private drained(): Promise<void> {
    if (this.written === this.sent) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
    });
  }

  /** Sends the queue in order, then lets live messages go straight out. */
  private goLive(): void {
    const queue = this.queue ?? [];
    // A send that passes the bound closes the connection, which stops this subscription and releases the rest.
    for (let i = 0; i < queue.length && !this.stopped; i++) {
      const { json, message, bytes, id } = queue[i];
      this.queuedBytes -= bytes;
      this.outlet.hold(-bytes);
      if (id !== null && id <= this.lastSentId) continue;
      if (id !== null) this.lastSentId = id;
      this.outlet.send(json, undefined, message);
    }
    this.queue = null;
  }
}
