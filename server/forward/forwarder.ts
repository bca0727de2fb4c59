/**
 * `hooklens forward`: follows a bin (see forward-sources.ts) and sends each capture to a target as it was received,
 * one at a time, in id order, never twice and never skipping one.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseCaptureTarget } from '../capture/target';
import { outgoingRequest, type CapturedMessage, type OutgoingRequest } from '../replay/outgoing';
import { errorOf, getResponse, readBody, reasonOf, shownUrl, type Announced, type Following, type RequestSource } from './sources';

/** The parts of a stored request's bytes: request line, header lines (latin1), blank line, body. */
export interface RawMessage {
  method: string;
  target: string;
  headers: [string, string][];
  body: Buffer;
}

/** Splits what /raw answers; throws when it is not a request head followed by a blank line. */
export function parseRaw(bytes: Buffer): RawMessage {
  const split = bytes.indexOf('\r\n\r\n');
  if (split === -1) throw new Error('the stored request has no blank line after its headers');
  const [requestLine, ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const line = /^(\S+) (\S+) HTTP\/\d\.\d$/.exec(requestLine);
  if (!line) throw new Error(`the stored request line is not "METHOD target HTTP/x.y": ${JSON.stringify(requestLine.slice(0, 80))}`);
  const headers = lines.map((text): [string, string] => {
    const colon = text.indexOf(': ');
    return colon === -1 ? [text.replace(/:$/, ''), ''] : [text.slice(0, colon), text.slice(colon + 2)];
  });
  return { method: line[1], target: line[2], headers, body: bytes.subarray(split + 4) };
}

/** Doubling waits between attempts, from `initialMs` up to `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface ForwarderOptions {
  source: RequestSource;
  /** The capture or relay URL as the person gave it, for the first line. */
  captureUrl: string;
  target: URL;
  /** Deliver every request with a greater id first; undefined: those captured from now on. */
  after?: number;
  /** Progress: the forwarding line, one line per delivery, retries, warnings. */
  print: (line: string) => void;
  /** Why the command stops (exit code 1 or 2). */
  printError: (line: string) => void;
  /** Default 0.5 s doubling to 10 s. */
  backoff?: Backoff;
  /** How long one attempt waits for the target's answer (default 30 s) before it is retried. */
  attemptTimeoutMs?: number;
  now?: () => number;
}

/** An attempt that got no answer, with what the delivery line says about it. */
class NoAnswer extends Error {}

/** Stop waiting: the forwarder is stopping. */
class Stopped extends Error {}

/** Seconds for a person: "0.5 s", "1 s", "10 s". */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/**
 * Follows `source` and forwards each request to `target`. Deliveries run one at a time in id order; a request is
 * done once the target answered (any status) or it was deleted before it could be fetched. A failure to fetch it
 * or to get an answer is retried with backoff, and later requests wait. The stream is followed again after a drop,
 * from the last id received: requests announced but not yet delivered stay queued, in memory (ids only).
 */
export class Forwarder {
  private readonly queue: Announced[] = [];
  /** Every request with an id up to this one has been queued (or was there before the start). */
  private floor: number | undefined;
  private following: Following | null = null;
  private wake: (() => void) | null = null;
  /** What to abort when stopping: waits, fetches, attempts. */
  private readonly pending = new Set<AbortController>();
  private exitCode: number | null = null;
  private delivered: number | undefined;
  private readonly backoff: Backoff;
  private readonly attemptTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ForwarderOptions) {
    this.floor = options.after;
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 10_000 };
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Runs until stop() (resolves 0) or a problem that retrying cannot fix (1: no such bin; 2: a token is needed). */
  async run(): Promise<number> {
    const fail = (err: unknown): void => this.finish(1, `hooklens forward: ${reasonOf(err)}`);
    await Promise.all([this.followLoop().catch(fail), this.deliveryLoop().catch(fail)]);
    return this.exitCode ?? 0;
  }

  /** Stops following and abandons the delivery in progress; run() then resolves 0. */
  stop(): void {
    this.finish(0);
  }

  /** The id of the last request delivered (or found deleted): with --after, a new run goes on from there. */
  get lastDone(): number | undefined {
    return this.delivered;
  }

  private get stopped(): boolean {
    return this.exitCode !== null;
  }

  private finish(code: number, message?: string): void {
    if (this.stopped) return;
    this.exitCode = code;
    if (message !== undefined) this.options.printError(message);
    this.following?.close();
    for (const controller of this.pending) controller.abort();
    this.wake?.();
  }

  private async followLoop(): Promise<void> {
    const { source, print } = this.options;
    let delay = this.backoff.initialMs;
    let announced = false;
    while (!this.stopped) {
      let ready = false;
      this.following = source.follow(this.floor, {
        onReady: (after) => {
          ready = true;
          delay = this.backoff.initialMs;
          this.floor ??= after;
          if (!announced) print(`forwarding ${shownUrl(this.options.captureUrl)} → ${shownUrl(this.options.target.href)}`);
          else print(`following ${source.origin} again${this.floor === undefined ? '' : `, after #${this.floor}`}`);
          announced = true;
        },
        onRequest: (request) => {
          if (this.floor !== undefined && request.id <= this.floor) return;
          this.floor = request.id;
          this.queue.push(request);
          this.wake?.();
        },
      });
      const end = await this.following.ended;
      if (this.stopped) return;
      if (end.kind === 'fatal') return this.finish(end.exitCode, `hooklens forward: ${end.message}`);
      print(`${ready ? 'lost the connection to' : 'cannot reach'} ${source.origin} (${end.reason}), retrying in ${seconds(delay)}`);
      await this.sleep(delay).catch(() => {});
      delay = Math.min(delay * 2, this.backoff.maxMs);
    }
  }

  private async deliveryLoop(): Promise<void> {
    while (!this.stopped) {
      const next = this.queue[0];
      if (next === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      try {
        await this.deliver(next);
      } catch (err) {
        if (err instanceof Stopped) return;
        throw err;
      }
      this.queue.shift();
      this.delivered = next.id;
    }
  }

  /** Fetches the stored bytes and sends them until the target answers; throws Stopped when stopping. */
  private async deliver(announced: Announced): Promise<void> {
    const { print, source } = this.options;
    const { id } = announced;
    const bytes = await this.retrying(() => this.fetchRaw(id), (reason, wait) => `#${id} cannot be fetched from ${source.origin} (${reason}), retrying in ${wait}`);
    if (bytes === null) return print(`#${id} was deleted before it could be forwarded`);
    const raw = parseRaw(bytes);
    const target = parseCaptureTarget(raw.target);
    const contentLength = raw.headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1];
    const size = announced.size ?? (contentLength !== undefined && /^\d+$/.test(contentLength) ? Number(contentLength) : raw.body.length);
    const record: CapturedMessage = {
      method: raw.method, path: target?.path ?? '/', query: target?.query ?? '', headers: raw.headers, body: raw.body,
      truncated: size > raw.body.length,
    };
    const label = `#${id} ${record.method} ${record.path}`;
    if (record.truncated) print(`${label}: the capture was cut at ${raw.body.length} of ${size} body bytes (--max-body); forwarding what was stored`);
    const outgoing = outgoingRequest(record, this.options.target);
    const answer = await this.retrying(() => this.send(outgoing), (reason, wait) => `${label} → ${reason}, retrying in ${wait}`);
    if ('status' in answer) print(`${label} → ${answer.status} (${answer.ms} ms)`);
    else print(`${label} → ${answer.lost}; it was sent whole, so it is not sent again`);
  }

  /** Calls `attempt` until it resolves, waiting with backoff after each failure and printing `line`. */
  private async retrying<T>(attempt: () => Promise<T>, line: (reason: string, wait: string) => string): Promise<T> {
    let delay = this.backoff.initialMs;
    for (;;) {
      if (this.stopped) throw new Stopped();
      try {
        return await attempt();
      } catch (err) {
        if (this.stopped || err instanceof Stopped) throw new Stopped();
        this.options.print(line(err instanceof NoAnswer ? err.message : reasonOf(err), seconds(delay)));
      }
      await this.sleep(delay);
      delay = Math.min(delay * 2, this.backoff.maxMs);
    }
  }

  /** The stored bytes; null when the request is gone (404). A refused token stops the command. */
  private async fetchRaw(id: number): Promise<Buffer | null> {
    const { url, headers } = this.options.source.raw(id);
    return this.abortable(async (signal) => {
      const res = await getResponse(url, headers, signal);
      const body = await readBody(res);
      if (res.statusCode === 200) return body;
      if (res.statusCode === 404) return null;
      const problem = res.statusCode === 401 ? this.options.source.tokenProblem(errorOf(res, body)) : null;
      if (problem !== null) {
        this.finish(2, `hooklens forward: ${problem}`);
        throw new Stopped();
      }
      throw new Error(`${res.statusCode} ${res.statusMessage ?? ''}`.trim());
    });
  }

  /**
   * One attempt; resolves on the target's answer (any status), rejects when the request did not go out whole (then
   * it is sent again). Once it has gone out whole, no answer within the attempt's time (or a connection lost
   * meanwhile) resolves with `lost`: the target may have taken it, and a request is never delivered twice. The
   * answer's body is read and dropped, within the same time; stop() cuts it short.
   */
  private send(outgoing: OutgoingRequest): Promise<{ status: number; ms: number } | { lost: string }> {
    if (this.stopped) return Promise.reject(new Stopped());
    const controller = new AbortController();
    this.pending.add(controller);
    const started = this.now();
    return new Promise((resolve, reject) => {
      const { url } = outgoing;
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request({
        protocol: url.protocol, hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port,
        method: outgoing.method, path: outgoing.path, headers: outgoing.headers, agent: false, signal: controller.signal,
      }, (res: IncomingMessage) => {
        res.on('error', () => {});
        res.resume();
        resolve({ status: res.statusCode ?? 0, ms: Math.round(this.now() - started) });
      });
      // The timer runs on after the answer: a body that never ends is cut then. The controller stays until the
      // exchange is over, so that stop() ends that body too.
      const timer = setTimeout(() => req.destroy(new NoAnswer(`no answer within ${seconds(this.attemptTimeoutMs)}`)), this.attemptTimeoutMs);
      req.on('close', () => {
        clearTimeout(timer);
        this.pending.delete(controller);
      });
      let sentWhole = false;
      req.on('finish', () => (sentWhole = true));
      req.on('error', (err: Error & { code?: string }) => {
        if (this.stopped) return reject(new Stopped());
        if (sentWhole) return resolve({ lost: err instanceof NoAnswer ? err.message : `no answer (${reasonOf(err)})` });
        if (err instanceof NoAnswer) return reject(err);
        const unreachable = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(err.code ?? '');
        reject(new NoAnswer(`${unreachable ? 'target unreachable' : 'no answer'} (${reasonOf(err)})`));
      });
      req.end(outgoing.body);
    });
  }

  /** Runs `work` with a signal that stop() aborts; a stopped forwarder throws Stopped instead. */
  private async abortable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.stopped) throw new Stopped();
    const controller = new AbortController();
    this.pending.add(controller);
    try {
      return await work(controller.signal);
    } catch (err) {
      throw this.stopped ? new Stopped() : err;
    } finally {
      this.pending.delete(controller);
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.abortable((signal) => new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Stopped());
      }, { once: true });
    }));
  }
}

