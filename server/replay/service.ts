/**
 * Server-side replay: a captured request sent again from the server to a URL a person gives, after the guard's
 * checks, to the address the guard checked, and the target's answer kept (its first megabyte).
 */
import type { LookupFunction } from 'node:net';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { HeaderPair, ReplayAnswer } from '../../shared/types';
import type { ReplayAllow } from './address';
import { checkTarget, ReplayRefusal, systemResolver, type CheckedTarget, type Resolver } from './guard';
import { outgoingRequest, type CapturedMessage, type OutgoingRequest } from './outgoing';

/** Opens the connection and sends nothing yet: node:http's or node:https's `request`, or a test's stand-in. */
export type Connector = (options: RequestOptions & { protocol: 'http:' | 'https:' }) => ClientRequest;

/** node:http or node:https by the protocol. */
export const realConnector: Connector = (options) => (options.protocol === 'https:' ? httpsRequest(options) : httpRequest(options));


/**
 * What a replay came to: the answer, or why there is none — `refused` before any connection (the message says
 * why), `timeout` when the whole took longer than the limit, `unreachable` when the connection failed or the answer
 * was not HTTP.
 */
export type ReplayOutcome =
  | { ok: true; answer: ReplayAnswer }
  | { ok: false; reason: 'refused' | 'timeout' | 'unreachable'; message: string };

export interface ReplayOptions {
  /** --replay-allow. */
  allow: ReplayAllow;
  /** Default: the system resolver. */
  resolve?: Resolver;
  /** Default: real connections. */
  connect?: Connector;
  /** For the whole replay: resolving, connecting, sending and reading the answer. Default 10 s. */
  timeoutMs?: number;
  /** Bytes of the answer's body kept; past them the connection is closed. Default 1 MB. */
  maxAnswerBytes?: number;
  /** A clock in ms, for `ms`. */
  now?: () => number;
}

export const REPLAY_TIMEOUT_MS = 10_000;
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Sends captured requests again; one instance serves every replay. */
export class ReplayService {
  private readonly allow: ReplayAllow;
  private readonly resolve: Resolver;
  private readonly connect: Connector;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;
  private readonly now: () => number;

  constructor(options: ReplayOptions) {
    this.allow = options.allow;
    this.resolve = options.resolve ?? systemResolver;
    this.connect = options.connect ?? realConnector;
    this.timeoutMs = options.timeoutMs ?? REPLAY_TIMEOUT_MS;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Checks `targetUrl` (see guard.ts), then sends `record` to it as outgoing.ts builds it. Never rejects for what the
   * target or the network does: every failure is an outcome.
   */
  async replay(record: CapturedMessage, targetUrl: string): Promise<ReplayOutcome> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const timedOut = { ok: false, reason: 'timeout', message: `timeout: the target did not answer within ${this.timeoutMs} ms` } as const;
    try {
      const check = checkTarget(targetUrl, this.allow, this.resolve);
      const target = await Promise.race([check, aborted(timeout.signal)]);
      if (target === null) {
        check.catch(() => {}); // settled later, by then unheard
        return timedOut;
      }
      const outgoing = outgoingRequest(record, target.url);
      return await this.send(outgoing, target, timeout.signal, timedOut);
    } catch (err) {
      if (err instanceof ReplayRefusal) return { ok: false, reason: 'refused', message: err.message };
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One request on a fresh connection to the checked address; settles once, whatever happens after. */
  private send(out: OutgoingRequest, target: CheckedTarget, signal: AbortSignal, timedOut: ReplayOutcome): Promise<ReplayOutcome> {
    if (signal.aborted) return Promise.resolve(timedOut);
    return new Promise((settle) => {
      const started = this.now();
      let request: ClientRequest;
      try {
        request = this.connect({
          protocol: target.url.protocol as 'http:' | 'https:',
          host: target.hostname,
          port: target.url.port === '' ? undefined : Number(target.url.port),
          method: out.method,
          path: out.path,
          // An array: node:http sends it as given, order, case and duplicates kept, values as latin1 bytes.
          headers: out.headers,
          lookup: pinnedLookup(target),
          // A connection of its own: a pooled one may have been opened to another address of the same name.
          agent: false,
        });
      } catch (err) {
        // node:http refuses what it cannot put on the wire (a header value with a line break…).
        const message = err instanceof Error ? err.message : String(err);
        return settle({ ok: false, reason: 'refused', message: `the captured request cannot be sent as stored: ${message}` });
      }
      let settled = false;
      const finish = (outcome: ReplayOutcome): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        request.destroy();
        settle(outcome);
      };
      const onAbort = (): void => finish(timedOut);
      signal.addEventListener('abort', onAbort);
      request.on('error', (err) => finish({ ok: false, reason: 'unreachable', message: failureMessage(err, target) }));
      request.on('response', (response) => this.read(response, started, finish));
      // A 3xx is an answer like any other: nothing here follows Location.
      request.end(out.body);
    });
  }

  /** Keeps the first maxAnswerBytes of the body; past them, stops reading and closes the connection. */
  private read(response: IncomingMessage, started: number, finish: (outcome: ReplayOutcome) => void): void {
    const chunks: Buffer[] = [];
    let kept = 0;
    const answer = (truncated: boolean): void => finish({
      ok: true,
      answer: {
        status: response.statusCode ?? 0,
        headers: pairs(response.rawHeaders),
        body: { base64: Buffer.concat(chunks).toString('base64'), truncated },
        ms: Math.round(this.now() - started),
      },
    });
    response.on('data', (chunk: Buffer) => {
      const room = this.maxAnswerBytes - kept;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      kept += Math.min(chunk.length, room);
      if (chunk.length > room) answer(true);
    });
    response.on('end', () => answer(false));
    // Without an 'end' first: the target went away in the middle of its answer.
    response.on('close', () => finish({ ok: false, reason: 'unreachable', message: 'the target closed the connection in the middle of its answer' }));
    response.on('error', () => {});
  }
}

/** Resolves null when the signal aborts (never rejects). */
function aborted(signal: AbortSignal): Promise<null> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(null), { once: true }));
}

/**
 * A lookup that answers the checked addresses whatever it is asked: no second DNS query. Asked for all (Node's
 * happy eyeballs, autoSelectFamily), it gives every one, so that an unreachable first address is not the end.
 */
function pinnedLookup(target: CheckedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, target.all);
    else callback(null, target.address, target.family);
  };
}

function pairs(raw: string[]): HeaderPair[] {
  const result: HeaderPair[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i], raw[i + 1]]);
  return result;
}

/** What went wrong with the connection, for a person. */
function failureMessage(err: Error, target: CheckedTarget): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const where = `${target.address}:${target.url.port || (target.url.protocol === 'https:' ? 443 : 80)}`;
  if (code === 'ECONNREFUSED') return `connection refused by ${where}: nothing listens there`;
  if (code === 'ECONNRESET' && err.message === 'socket hang up') return `the target (${where}) closed the connection without answering`;
  if (code === 'ECONNRESET') return `the target (${where}) reset the connection`;
  if (code.startsWith('HPE_')) return `the target's answer is not HTTP (${code})`;
  return `replay to ${where} failed: ${err.message}${code === '' || err.message.includes(code) ? '' : ` (${code})`}`;
}
