import type { ServerResponse } from 'node:http';
import type { ServerMessage } from '../../shared/types';
import type { Hub } from '../bus/hub';
import type { Metrics } from '../metrics';
import type { BinService } from '../services/bins';
import type { RequestService } from '../services/requests';
import { NotFoundError, type BinRecord } from '../store';
import { PING_EVENT, readyEvent, smeeEvent } from './smee';
import { Subscription, type Outlet } from './subscription';

export interface RelayOptions {
  bins: BinService;
  requests: RequestService;
  hub: Hub;
  /** Counts streams, messages and slow closes with the live stream's metrics; none when absent. */
  metrics?: Metrics;
  /** Captures waiting to be sent (their summaries) past which a stream is closed; 4 MB by default. */
  sendBufferLimit?: number;
  /** How often each stream is sent a `ping` (ms); 30 s by default, as smee.io. */
  heartbeatMs?: number;
}

/** The relay streams of this process. */
export interface RelayStreams {
  /**
   * Answers `res` with the bin's captures as smee's Server-Sent Events, those with an id above `after` first (none
   * without it); the bin was looked up by `key`. The stream ends when the bin is deleted, when its relay key no
   * longer is `key`, when the client is too slow, or when the live bus loses the database; a client resumes with
   * Last-Event-ID.
   */
  open(res: ServerResponse, bin: Pick<BinRecord, 'id' | 'relayKey'>, after: number | undefined): void;
  /** Ends every stream and stops the heartbeat: for a graceful stop. */
  close(): void;
}

/** Past this share of the bound, a stream waits for the socket to drain before it reads the next capture's body. */
const LOW_WATER = 1 / 4;
/** A client that does not read does not see the end either: its connection is destroyed after this. */
const END_GRACE_MS = 10_000;

/**
 * Serves `/relay/{key}`: the smee.io protocol over the live stream's machinery. Each stream is an Outlet of a
 * Subscription, which gives it the bin's requests in id order with no gap and no duplicate across the backlog/live
 * seam; the stream reads each body from the store, one at a time, and writes it as a `message` event.
 *
 * Memory per stream is bounded: the next body is read only once the socket holds less than a quarter of
 * `sendBufferLimit`, and when the captures waiting for a slow reader (their summaries, and what the Subscription
 * queues behind the backlog) pass `sendBufferLimit`, the stream ends, as the WebSocket closes with 1013.
 *
 * A rotated relay key or a deleted bin is noticed from the `bin` and `bin-deleted` messages every stream hears
 * (from every instance on PostgreSQL), and once more when a stream starts, after it listens, so that a change made
 * between the lookup and the subscription is not missed.
 */
export function createRelayStreams(options: RelayOptions): RelayStreams {
  const streams = new Set<RelayStream>();
  const limit = options.sendBufferLimit ?? 4 * 1024 * 1024;
  const stopInterrupted = options.requests.onInterrupted(() => {
    for (const stream of [...streams]) stream.end();
  });
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.ping();
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();
  return {
    open(res, bin, after) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
        // nginx and others buffer responses unless told not to.
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      res.socket?.setNoDelay(true);
      const stream = new RelayStream(res, bin.id, bin.relayKey, options, limit, () => streams.delete(stream));
      streams.add(stream);
      stream.start(after);
    },
    close() {
      stopInterrupted();
      clearInterval(heartbeat);
      for (const stream of [...streams]) stream.end();
    },
  };
}

/** A capture waiting for its body to be read and written. */
interface Pending {
  id: number;
  bytes: number;
  written: (() => void) | undefined;
}

/** One relay stream: the Outlet of its Subscription, writing smee events on an HTTP response. */
class RelayStream implements Outlet {
  private readonly pending: Pending[] = [];
  private pendingBytes = 0;
  /** Bytes the Subscription queues behind its backlog; they count toward the bound. */
  private held = 0;
  /** Requests at or below this id are not sent: with no `after`, the id `ready` named. */
  private floor = 0;
  /** Whether the client named an id to resume after; else `ready` names the id it starts after. */
  private resumed = false;
  /** `ready` is written: events may follow. */
  private started = false;
  private pumping = false;
  private closed = false;
  private readonly subscription: Subscription;
  private unsubscribeBins = (): void => {};

  constructor(
    private readonly res: ServerResponse,
    private readonly binId: string,
    private readonly key: string,
    private readonly options: RelayOptions,
    private readonly limit: number,
    private readonly forget: () => void,
  ) {
    this.subscription = new Subscription(binId, options.requests, options.hub, this, limit * LOW_WATER);
    res.on('close', () => this.release());
    res.on('error', () => res.destroy());
  }

  start(after: number | undefined): void {
    this.options.metrics?.liveOpened();
    this.floor = after ?? 0;
    this.resumed = after !== undefined;
    this.unsubscribeBins = this.options.hub.subscribeAll((_json, message) => this.onBinMessage(message));
    this.subscription.start(after);
  }

  /** The bus follows the bin: check the key again (it may have changed since the lookup), then say `ready`. */
  following(throughId: number): void {
    if (!this.resumed) this.floor = throughId;
    this.options.bins.byRelayKey(this.key).then((bin) => {
      if (this.closed) return;
      if (bin.id !== this.binId) return this.end();
      this.res.write(readyEvent(this.floor));
      this.started = true;
      void this.pump();
    }, (err: unknown) => (err instanceof NotFoundError ? this.end() : this.failed(err)));
  }

  send(json: string, written?: () => void, message?: ServerMessage): boolean {
    if (this.closed) return false;
    // smee has no word for a deleted request or an emptied bin: only captures are sent.
    if (message?.type !== 'request' || message.request.id <= this.floor) {
      written?.();
      return true;
    }
    const bytes = Buffer.byteLength(json);
    this.pending.push({ id: message.request.id, bytes, written });
    this.pendingBytes += bytes;
    if (this.overBound()) return false;
    void this.pump();
    return true;
  }

  hold(bytes: number): void {
    this.held += bytes;
    if (bytes > 0) this.overBound();
  }

  /** The Subscription failed (and said so in the log): the client reconnects and resumes. */
  fail(): void {
    this.end();
  }

  /** Reading the store failed here: says so in the log (never the key), and ends the stream. */
  private failed(err: unknown): void {
    if (!this.closed) console.error(`hooklens: the relay of bin ${this.binId} failed:`, err instanceof Error ? err.message : err);
    this.end();
  }

  get bufferedAmount(): number {
    return this.pendingBytes + this.res.writableLength;
  }

  ping(): void {
    if (this.started && !this.closed) this.res.write(PING_EVENT);
  }

  /** Ends the response (the client reconnects, or gets 404 for a key that is gone); safe to call more than once. */
  end(): void {
    if (this.closed) return;
    this.release();
    this.res.end();
    const destroy = setTimeout(() => this.res.destroy(), END_GRACE_MS).unref();
    this.res.once('close', () => clearTimeout(destroy));
  }

  /** Stops following and forgets what waits; once, whether the server ends the stream or the client goes. */
  private release(): void {
    if (this.closed) return;
    this.closed = true;
    this.subscription.stop();
    this.unsubscribeBins();
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.forget();
    this.options.metrics?.liveClosed();
  }

  private onBinMessage(message: ServerMessage): void {
    if (message.type === 'bin-deleted' && message.binId === this.binId) return this.end();
    // Live `bin` messages carry the relay URL as a path: another key there means this one was rotated.
    if (message.type === 'bin' && message.bin.id === this.binId && message.bin.relayUrl !== undefined &&
      !message.bin.relayUrl.endsWith(`/relay/${this.key}`)) this.end();
  }

  private overBound(): boolean {
    if (this.closed || this.held + this.pendingBytes <= this.limit) return false;
    this.options.metrics?.liveTooSlow();
    this.end();
    return true;
  }

  /** Writes the waiting captures in order, reading each body when the socket has room for it. */
  private async pump(): Promise<void> {
    if (this.pumping || !this.started) return;
    this.pumping = true;
    try {
      while (!this.closed && this.pending.length > 0) {
        if (this.res.writableLength > this.limit * LOW_WATER) {
          await drained(this.res);
          continue;
        }
        const next = this.pending.shift()!;
        this.pendingBytes -= next.bytes;
        const record = await this.options.requests.get(this.binId, next.id).catch((err: unknown) => {
          // Deleted since (one by one, the bin emptied, evicted): there is nothing left to send.
          if (err instanceof NotFoundError) return null;
          throw err;
        });
        if (record === null || this.closed) {
          next.written?.();
          continue;
        }
        this.res.write(smeeEvent(record), () => next.written?.());
        this.options.metrics?.liveSent();
      }
    } catch (err) {
      this.failed(err);
    } finally {
      this.pumping = false;
    }
  }
}

/** Resolves when `res` can take more, or has closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
