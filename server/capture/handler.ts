import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { BIN_ID_PATTERN } from '../../shared/bin-id';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import { sendJson } from '../net/json';
import type { RequestService } from '../services/requests';
import type { BinService } from '../services/bins';
import { NotFoundError, StoreUnavailableError, type CaptureBin } from '../store';
import { BodyBudget, defaultBodyBudget, readBody } from './body';
import { handshakeFor } from './handshake';
import { captureLogLine } from './log-line';
import { buildRecord } from './record';
import { renderResponse, type Answer } from './response';
import { parseCaptureTarget, type CaptureTarget } from './target';

export interface CaptureDeps {
  config: Readonly<Config>;
  bins: BinService;
  requests: RequestService;
  now: () => number;
  /** Receives one line per capture, for a person watching the terminal; nothing is logged when absent. */
  log?: (line: string) => void;
  /** Body bytes all captures in flight may hold; past it a capture is answered 503. */
  bodyBudget?: number;
  /** Counts each capture answered; none when absent. */
  metrics?: Metrics;
}

const UNAVAILABLE = 'the database is unavailable, so the request was not stored; try again shortly';
/** On every JSON answer of capture too: whatever a sender's client does with it, it never runs as a page. */
const SANDBOX = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': 'sandbox' };

/**
 * The capture endpoint, `ANY /b/{binId}[/...]`, as a plain Node handler: no body-parsing middleware.
 * The body is read as it streams in, within the budget; the answer is sent only after the row is committed (the
 * request service groups the commits of a turn), and never a 2xx for a request that was not stored.
 */
export function createCaptureHandler({ config, bins, requests, now, log, bodyBudget, metrics }: CaptureDeps) {
  const budget = new BodyBudget(bodyBudget ?? defaultBodyBudget(config.maxBody));
  /** Answers, then logs and counts the capture; `bytes` is the body received (none when it was not read). */
  const answer = (capture: InFlight, status: number, body: object, id: number | null = null, headers: Record<string, string> = {}): void => {
    sendJson(capture.res, status, body, Object.assign({}, headers, SANDBOX));
    counted(capture, status, id);
  };
  /** Logs and counts a capture answered. */
  const counted = (capture: InFlight, status: number, id: number | null): void => {
    if (log) log(captureLogLine(id, capture.req.method, capture.target, status));
    metrics?.captured(status, capture.bytes, (performance.now() - capture.arrived) / 1000);
  };
  /** Answers waiting out a bin's delay: the request is stored, so a graceful stop sends them at once (hurry). */
  const delayed = new Map<NodeJS.Timeout, () => void>();
  /** Sends what a bin's setting or a handshake answers, after the delay (unless the sender has gone meanwhile). */
  const send = (capture: InFlight, reply: Answer, id: number, delayMs = 0): void => {
    const write = (): void => {
      counted(capture, reply.status, id);
      const { res } = capture;
      if (res.destroyed) return;
      if (reply.interim) writeInterim(res, reply.interim.status, reply.interim.headers);
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    };
    if (delayMs === 0) return write();
    const timer = setTimeout(() => {
      delayed.delete(timer);
      write();
    }, delayMs);
    delayed.set(timer, write);
  };
  const hurry = (): void => {
    for (const [timer, write] of delayed) {
      clearTimeout(timer);
      write();
    }
    delayed.clear();
  };

  const store = (capture: InFlight, target: CaptureTarget, bin: CaptureBin): void => {
    const { req } = capture;
    const release = readBody(req, config.maxBody, budget, (body) => {
      if (body === 'overloaded') {
        return answer(capture, 503, { error: `too many large bodies are arriving at once (over ${budget.limit} bytes in memory); try again shortly` },
          null, { 'Retry-After': '5' });
      }
      capture.bytes = body.received;
      const record = buildRecord(req, target, Object.assign({}, body, { receivedAt: capture.receivedAt }), config);
      // What it will be answered is stored with it: a 413 wins, then a provider's endpoint check, then the setting.
      const handshake = body.truncated ? null : handshakeFor(record, bin.signingSecrets);
      const { response } = bin;
      // A 1xx setting is an interim answer: the final one, stored, is the default 200.
      record.status = body.truncated ? 413 : handshake?.answer.status ?? (response && response.status >= 200 ? response.status : 200);
      record.handshake = handshake?.provider ?? null;
      requests.capture(record).then(
        ({ id }) => {
          release();
          if (body.truncated) answer(capture, 413, { error: `body larger than ${config.maxBody} bytes`, id }, id);
          else if (handshake) send(capture, handshake.answer, id);
          else if (response) send(capture, renderResponse(response, id), id, response.delayMs);
          else answer(capture, 200, { ok: true, id }, id);
        },
        (err: Error) => {
          release();
          // The bin may have been deleted while the body streamed in.
          if (err instanceof NotFoundError) return answer(capture, 404, { error: `no such bin: ${target.binId}` });
          if (err instanceof StoreUnavailableError) return answer(capture, 503, { error: UNAVAILABLE }, null, { 'Retry-After': '5' });
          console.error('hooklens: capture failed:', err.message);
          answer(capture, 500, { error: 'the request could not be stored; the server log has the details' });
        },
      );
    });
  };

  return Object.assign(captureRequest, { hurry });

  function captureRequest(req: IncomingMessage, res: ServerResponse): void {
    const target = parseCaptureTarget(req.url ?? '');
    const capture: InFlight = { req, res, target, receivedAt: now(), arrived: performance.now(), bytes: 0 };
    const notFound = (): void => {
      req.resume();
      const error = !target ? 'not a capture URL' : target.binId === '' ? 'no bin id: capture URLs are /b/<binId>' : `no such bin: ${target.binId.slice(0, 80)}`;
      answer(capture, 404, { error });
    };
    if (!target || !BIN_ID_PATTERN.test(target.binId)) return notFound();
    // The body waits in the socket (the request is paused) until the bin is known to exist.
    bins.forCapture(target.binId).then(
      (bin) => (bin ? store(capture, target, bin) : notFound()),
      (err: Error) => {
        req.resume();
        if (!(err instanceof StoreUnavailableError)) console.error('hooklens: capture failed:', err.message);
        answer(capture, 503, { error: UNAVAILABLE }, null, { 'Retry-After': '5' });
      },
    );
  }
}

/**
 * A 1xx answer before the final one. Node sends only 100, 102 and 103 through its API; the others go the way those
 * do (its own `_writeRaw`, which waits for earlier answers on a pipelined connection).
 */
function writeInterim(res: ServerResponse, status: number, headers: string[]): void {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Informational'}`];
  for (let i = 0; i < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
  (res as ServerResponse & { _writeRaw(data: string, encoding: BufferEncoding): boolean })._writeRaw(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** One capture on its way: what it answers to, when it arrived (the clock's ms, and for its duration), bytes read. */
interface InFlight {
  req: IncomingMessage;
  res: ServerResponse;
  target: CaptureTarget | null;
  receivedAt: number;
  arrived: number;
  bytes: number;
}
