import pg from 'pg';
import type { Hub } from './hub';
import { StoreUnavailableError, type Store } from '../store';
import { connectionConfig } from '../store/postgres/connection';
import { scrubber } from '../store/url';
import { toLiveRequest, toWireBin } from '../wire';
import { channelOf, compact, encode, quoteIdent, type Notice, type RequestNotice } from './notices';
import type { Bus, LiveEvent } from './port';

/** Requests read per query when catching up. */
const PAGE = 500;
/** Past this many unsent events, each bin's captures are folded into one notice (the rest stay in order). */
const MAX_OUTBOX = 10_000;
const FIRST_RETRY_MS = 250;
/** At most one count read per bin this often, however many captures a burst brings. */
const COUNT_EVERY_MS = 100;
/** How often the listening connection is asked whether the database still answers. */
const HEARTBEAT_MS = 15_000;
const LAST_RETRY_MS = 5_000;

/** A bin this process's hub follows: the last id delivered, and the notices waiting for the pass in progress. */
interface Followed {
  /** Every request of the bin up to this id has reached the hub (or was there before); null until it is known. */
  cursor: number | null;
  ready: Promise<number>;
  queue: RequestNotice[];
  running: boolean;
}

export interface PostgresBusOptions {
  url: string;
  store: Store;
  hub: Hub;
}

/**
 * The bus of processes that share a PostgreSQL database. `publish` sends NOTIFY on a channel named after the schema
 * (so that schemas on one server do not hear each other); every process LISTENs on it. A `request` notice carries
 * only the bin and id: a process whose hub follows the bin reads the store after its cursor, and delivers what it
 * finds in id order. Because the store makes a bin's ids visible in increasing order, reading after the cursor never
 * skips one, whichever order the notices of several processes arrive in. Per bin, one pass runs at a time, and the
 * other events of the bin wait their turn behind it, so a `bin-cleared` never overtakes the requests before it.
 * Rejects when the database cannot be reached.
 */
export async function createPostgresBus(options: PostgresBusOptions): Promise<Bus> {
  const bus = new PostgresBus(options);
  await bus.start();
  return bus;
}

class PostgresBus implements Bus {
  private readonly scrub: (text: string) => string;
  /** Sends the notifications: a connection or two of its own, so that announcing never waits behind captures. */
  private readonly notifier: pg.Pool;
  private listener: pg.Client | null = null;
  private channel = '';
  private readonly followed = new Map<string, Followed>();
  /** Bins whose count is to be read and told (see countChanged). */
  private readonly countsDue = new Set<string>();
  private countTimer: NodeJS.Timeout | null = null;
  /** Per bin, the bin-changed / bin-deleted work in progress (see inBinOrder). */
  private readonly binWork = new Map<string, Promise<void>>();
  private readonly interruptedListeners = new Set<(reason: string) => void>();
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;
  /** Events published and not yet sent, oldest first; `sending` while a loop sends them. */
  private outbox: LiveEvent[] = [];
  private sending: Promise<void> | null = null;

  constructor(private readonly options: PostgresBusOptions) {
    this.scrub = scrubber(options.url);
    this.notifier = new pg.Pool({ ...connectionConfig(options.url), max: 2 });
    this.notifier.on('error', () => {});
    this.notifier.on('connect', (client) => client.on('error', () => {}));
  }

  /** Connects and listens; rejects with StoreUnavailableError (URL without password) when it cannot. */
  async start(): Promise<void> {
    try {
      await this.listen();
    } catch (err) {
      await this.notifier.end().catch(() => {});
      throw new StoreUnavailableError(`live updates cannot listen on the database: ${this.reason(err)}`);
    }
    // A connection that only listens sends nothing: a database gone silent (a network cut, not a close) would go
    // unnoticed. A query now and then fails (within its query_timeout) when nobody answers.
    this.heartbeat = setInterval(() => {
      const client = this.listener;
      client?.query('SELECT 1').catch((err: unknown) => this.lost(client, this.reason(err)));
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Queues the events and resolves; they go out in the order published, one NOTIFY statement at a time (so that a
   * bin-deleted never overtakes the bin's last count). When the database refuses, they are sent again with backoff
   * until it takes them: receivers read after their cursor, so a late notice loses nothing.
   */
  async publish(events: readonly LiveEvent[]): Promise<void> {
    if (this.closed || events.length === 0) return;
    this.outbox.push(...events);
    if (this.outbox.length > MAX_OUTBOX) this.outbox = compact(this.outbox);
    this.sending ??= this.send().finally(() => (this.sending = null));
  }

  private async send(): Promise<void> {
    let delay = FIRST_RETRY_MS;
    while (this.outbox.length > 0 && !this.closed) {
      const events = compact(this.outbox);
      this.outbox = [];
      try {
        await this.notifier.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [this.channel, events.map(encode)]);
        delay = FIRST_RETRY_MS;
      } catch (err) {
        console.error(`hooklens: announcing ${events.length} change(s) failed, trying again: ${this.reason(err)}`);
        this.outbox = [...events, ...this.outbox];
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, LAST_RETRY_MS);
      }
    }
  }

  follow(binId: string): Promise<number> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the live bus is closed'));
    if (this.listener === null) return Promise.reject(new StoreUnavailableError('live updates are reconnecting to the database'));
    const known = this.followed.get(binId);
    if (known) return known.cursor === null ? known.ready : Promise.resolve(known.cursor);
    const state: Followed = { cursor: null, ready: Promise.resolve(0), queue: [], running: false };
    this.followed.set(binId, state);
    state.ready = this.options.store.lastRequestId(binId).then(
      (id) => {
        if (this.followed.get(binId) !== state) throw new StoreUnavailableError('the database connection was lost meanwhile');
        state.cursor = id;
        if (state.queue.length > 0) void this.drain(binId, state);
        return id;
      },
      (err: unknown) => {
        if (this.followed.get(binId) === state) this.followed.delete(binId);
        throw err;
      },
    );
    return state.ready;
  }

  problem(): string | null {
    if (this.closed) return 'live updates are stopped';
    return this.listener === null ? 'live updates are reconnecting to the database' : null;
  }

  onInterrupted(listener: (reason: string) => void): () => void {
    this.interruptedListeners.add(listener);
    return () => void this.interruptedListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // What was published before the stop still goes out, unless the database is away.
    if (this.sending !== null) await Promise.race([this.sending, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    if (this.countTimer !== null) clearTimeout(this.countTimer);
    this.followed.clear();
    const listener = this.listener;
    this.listener = null;
    await Promise.all([listener?.end().catch(() => {}), this.notifier.end().catch(() => {})]);
  }

  /**
   * Opens the listening connection; on the first one, names the channel after the schema. The bus counts as
   * listening (follow accepts) only once LISTEN has answered on a connection still alive.
   */
  private async listen(): Promise<void> {
    const client = new pg.Client(connectionConfig(this.options.url));
    let listening = false;
    let gone: string | null = null;
    const onGone = (reason: string): void => {
      if (gone !== null) return;
      gone = reason;
      if (listening) this.lost(client, reason);
    };
    client.on('error', (err) => onGone(this.reason(err)));
    client.on('end', () => onGone('the connection ended'));
    client.on('notification', (message) => {
      if (gone === null && !this.closed && message.payload !== undefined) this.receive(message.payload);
    });
    try {
      await client.connect();
      if (this.channel === '') this.channel = await channelOf(client);
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
      if (gone !== null) throw new Error(gone);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    if (this.closed) return void (await client.end().catch(() => {}));
    listening = true;
    this.listener = client;
  }

  /**
   * The listening connection is gone: notices may have been missed, so nothing delivered from now on could be
   * vouched for. Tells the listeners (the live streams close, and clients resume with `after`), forgets every cursor,
   * and reconnects with backoff.
   */
  private lost(client: pg.Client, reason: string): void {
    if (this.closed || this.listener !== client) return;
    this.listener = null;
    void client.end().catch(() => {});
    this.followed.clear();
    this.interrupt(`live updates lost the database: ${reason}`);
    this.retry(FIRST_RETRY_MS);
  }

  private retry(delayMs: number): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed) return;
      this.listen().catch(() => this.retry(Math.min(delayMs * 2, LAST_RETRY_MS)));
    }, delayMs);
    this.retryTimer.unref();
  }

  private interrupt(reason: string): void {
    for (const listener of [...this.interruptedListeners]) {
      try {
        listener(reason);
      } catch (err) {
        console.error('hooklens: an interruption listener failed:', err instanceof Error ? err.message : err);
      }
    }
  }

  private receive(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    const { hub } = this.options;
    switch (notice.type) {
      case 'bin-changed':
        // Read now rather than taken from the notice: announcements from several processes may arrive out of
        // order, and the last read is always the newest count. Only when someone here can hear it.
        return this.inBinOrder(notice.binId, async () => {
          if (hub.connectionCount === 0) return;
          const bin = await this.options.store.getBin(notice.binId).catch(() => null); // deleted: bin-deleted follows
          if (bin !== null) hub.broadcast({ type: 'bin', bin: toWireBin(bin, '') });
        });
      case 'bin-deleted':
        return this.inBinOrder(notice.binId, async () => {
          hub.broadcast(notice);
          this.following(notice.binId);
        });
      default: {
        if (notice.type === 'request') this.countChanged(notice.binId);
        const state = this.following(notice.binId);
        if (state === null) {
          // Nobody here follows the bin: a capture costs nothing; the rest reaches whoever listens.
          if (notice.type !== 'request') hub.publish(notice.binId, notice);
          return;
        }
        state.queue.push(notice);
        if (!state.running && state.cursor !== null) void this.drain(notice.binId, state);
      }
    }
  }

  /**
   * After captures, the bin's new count reaches every connection here: read by this process (at most every 100 ms
   * per burst), so that it is right even when the process that stored them died before it could say so.
   */
  private countChanged(binId: string): void {
    if (this.options.hub.connectionCount === 0) return;
    this.countsDue.add(binId);
    this.countTimer ??= setTimeout(() => {
      this.countTimer = null;
      const due = [...this.countsDue];
      this.countsDue.clear();
      for (const id of due) this.receive(JSON.stringify({ type: 'bin-changed', binId: id } satisfies Notice));
    }, COUNT_EVERY_MS).unref();
  }

  /** Runs the bin's `bin-changed` and `bin-deleted` work one after the other, so that no count follows a deletion. */
  private inBinOrder(binId: string, task: () => Promise<void>): void {
    const done = (this.binWork.get(binId) ?? Promise.resolve()).then(task).catch((err: unknown) => {
      console.error(`hooklens: announcing bin ${binId} failed: ${this.reason(err)}`);
    });
    this.binWork.set(binId, done);
    void done.then(() => {
      if (this.binWork.get(binId) === done) this.binWork.delete(binId);
    });
  }

  /** The bin's state while the hub has subscribers for it; forgets it once they are all gone. */
  private following(binId: string): Followed | null {
    const state = this.followed.get(binId);
    if (state === undefined) return null;
    if (this.options.hub.subscriberCount(binId) > 0) return state;
    this.followed.delete(binId);
    return null;
  }

  /** Handles the bin's queued notices in order: a run of `request` notices becomes one read after the cursor. */
  private async drain(binId: string, state: Followed): Promise<void> {
    state.running = true;
    try {
      while (state.queue.length > 0 && this.followed.get(binId) === state) {
        const notice = state.queue.shift()!;
        if (notice.type !== 'request') {
          this.options.hub.publish(binId, notice);
          continue;
        }
        while (state.queue[0]?.type === 'request') state.queue.shift();
        await this.catchUp(binId, state);
      }
    } catch (err) {
      if (this.followed.get(binId) === state) {
        this.followed.delete(binId);
        this.interrupt(`live updates could not read bin ${binId}: ${this.reason(err)}`);
      }
    } finally {
      state.running = false;
    }
  }

  /** Delivers the bin's requests after the cursor, oldest first, until a short page says there are no more. */
  private async catchUp(binId: string, state: Followed): Promise<void> {
    for (;;) {
      const page = await this.options.store.requestsAfter(binId, state.cursor!, PAGE);
      if (this.followed.get(binId) !== state) return;
      for (const record of page) {
        if (record.id <= state.cursor!) continue;
        state.cursor = record.id;
        this.options.hub.publish(binId, { type: 'request', binId, request: toLiveRequest(record) });
      }
      if (page.length < PAGE) return;
    }
  }

  private reason(err: unknown): string {
    return this.scrub(err instanceof Error ? err.message : String(err));
  }
}
