import type { IncomingMessage, ServerResponse } from 'node:http';
import { authLabel, decodeCredentials, redactCredentials } from '../../shared/auth';
import { BIN_ID_PATTERN } from '../../shared/bin-id';
import type { HeaderPair } from '../../shared/types';
import type { Config } from '../config';
import type { Hub } from '../live/hub';
import type { NewRequest, Store } from '../store';
import { BinUpdates } from '../live/bin-updates';
import { GroupCommit } from '../store/group-commit';
import { BodyBudget, defaultBodyBudget } from './body-budget';
import { sendJson } from './json';
import { clientAddress, isSecure } from './peer';
import { toLiveRequest } from './wire';

export interface CaptureDeps {
  config: Readonly<Config>;
  store: Store;
  hub: Hub;
  now: () => number;
  /** Receives one line per capture, for a person watching the terminal; nothing is logged when absent. */
  log?: (line: string) => void;
  /** Body bytes all captures in flight may hold; past it a capture is answered 503. */
  bodyBudget?: number;
}


/** Splits a request-target into bin id, sub-path and raw query; null when it is not under /b/. */
export function parseCaptureTarget(target: string): { binId: string; path: string; query: string } | null {
  let pathAndQuery = target;
  if (!target.startsWith('/')) {
    // absolute-form (a proxy request): keep what follows the authority
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(target);
    if (!match) return null;
    pathAndQuery = match[1] || '/';
  }
  const q = pathAndQuery.indexOf('?');
  const path = q === -1 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q === -1 ? '' : pathAndQuery.slice(q + 1);
  // "/b" and "/b/" too, so that a capture URL without its bin id gets capture's JSON 404, not the viewer.
  const match = /^\/b(?:\/([^/]*)(\/.*)?)?$/.exec(path);
  if (!match) return null;
  return { binId: match[1] ?? '', path: match[2] ?? '/', query };
}

/** Pairs from Node's flat rawHeaders: order, case and duplicates as received. */
function headerPairs(raw: string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}

/**
 * The capture endpoint, `ANY /b/{binId}[/...]`, as a plain Node handler: no body-parsing middleware.
 * The body is read as it streams in and kept up to `maxBody` bytes; the rest is drained and counted.
 * The answer is sent only after the row is committed (with others of the same turn: GroupCommit), then the
 * summary is published.
 */
export function createCaptureHandler({ config, store, hub, now, log, bodyBudget }: CaptureDeps) {
  const commits = new GroupCommit(store, config.maxRequests);
  const budget = new BodyBudget(bodyBudget ?? defaultBodyBudget(config.maxBody));
  const binUpdates = new BinUpdates(store, hub);
  return function captureRequest(req: IncomingMessage, res: ServerResponse): void {
    const receivedAt = now();
    const target = parseCaptureTarget(req.url ?? '');
    if (!target || !BIN_ID_PATTERN.test(target.binId) || !store.hasBin(target.binId)) {
      req.resume();
      const error = !target ? 'not a capture URL' : target.binId === '' ? 'no bin id: capture URLs are /b/<binId>' : `no such bin: ${target.binId.slice(0, 80)}`;
      sendJson(res, 404, { error });
      if (log) log(captureLogLine(null, req.method, target, 404));
      return;
    }
    let chunks: Buffer[] = [];
    let kept = 0;
    let received = 0;
    let overloaded = false;
    const release = (): void => {
      budget.give(kept);
      kept = 0;
      chunks = [];
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (overloaded || kept >= config.maxBody) return;
      const room = config.maxBody - kept;
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      if (!budget.take(part.length)) {
        overloaded = true;
        return release();
      }
      chunks.push(part);
      kept += part.length;
    });
    req.on('error', () => req.destroy());
    // An aborted request never ends: give its bytes back.
    req.on('close', () => {
      if (!req.complete) release();
    });
    req.on('end', () => {
      if (overloaded) {
        sendJson(res, 503, { error: `too many large bodies are arriving at once (over ${budget.limit} bytes in memory); try again shortly` },
          { 'Retry-After': '5' });
        if (log) log(captureLogLine(null, req.method, target, 503));
        return;
      }
      const truncated = received > config.maxBody;
      const announced = Number(req.headers['content-length']);
      const size = truncated && Number.isSafeInteger(announced) ? Math.max(announced, received) : received;
      const request = buildRecord(req, target, { receivedAt, size, truncated, body: Buffer.concat(chunks, kept) }, config);
      commits.add(request, (record) => {
        release();
        if (record instanceof Error) {
          // The bin may have been deleted while the body streamed in.
          if (!store.hasBin(target.binId)) return sendJson(res, 404, { error: `no such bin: ${target.binId}` });
          console.error('hooklens: capture failed:', record.message);
          return sendJson(res, 500, { error: 'the request could not be stored; the server log has the details' });
        }
        const { id } = record;
        if (truncated) sendJson(res, 413, { error: `body larger than ${config.maxBody} bytes`, id });
        else sendJson(res, 200, { ok: true, id });
        if (log) log(captureLogLine(id, req.method, target, truncated ? 413 : 200));
        if (hub.subscriberCount(target.binId) > 0) {
          hub.publish(target.binId, { type: 'request', binId: target.binId, request: toLiveRequest(record) });
          for (const evicted of record.evicted) hub.publish(target.binId, { type: 'request-deleted', binId: target.binId, id: evicted });
        }
        binUpdates.changed(target.binId);
      });
    });
  };
}

const MAX_LOGGED_TARGET = 300;

/**
 * `#12 POST /b/bin/path?query → 200`: the query with credential values redacted (the same redaction as
 * --redact-secrets), control characters escaped so that a sender cannot write to the terminal, and the target
 * cut at 300 characters. Headers are never logged.
 */
export function captureLogLine(
  id: number | null,
  method: string | undefined,
  target: { binId: string; path: string; query: string } | null,
  status: number,
): string {
  let shown = target ? `/b/${target.binId}${target.path === '/' ? '' : target.path}` : '/b/?';
  // The hot path: most captures have no query, and then there is nothing to scan.
  if (target && target.query !== '') shown += `?${redactCredentials({ headers: [], query: target.query }).query}`;
  if (shown.length > MAX_LOGGED_TARGET) shown = `${shown.slice(0, MAX_LOGGED_TARGET)}…`;
  // eslint-disable-next-line no-control-regex
  shown = shown.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${id === null ? '' : `#${id} `}${method ?? '?'} ${shown} → ${status}`;
}

function buildRecord(
  req: IncomingMessage,
  target: { binId: string; path: string; query: string },
  body: { receivedAt: number; size: number; truncated: boolean; body: Buffer },
  config: Readonly<Config>,
): NewRequest {
  const secure = isSecure(req, config.trustProxy);
  let headers = headerPairs(req.rawHeaders);
  let { url = '' } = req;
  let { query } = target;
  const decoded = decodeCredentials({ headers, query, secure, now: body.receivedAt });
  let credentials: string | null = null;
  if (config.redactSecrets && decoded.credentials.length > 0) {
    // The analysis is taken from the clear values first; only the redacted form is stored.
    const redacted = redactCredentials({ headers, query });
    if (redacted.redacted) {
      headers = redacted.headers;
      if (redacted.query !== query) url = url.slice(0, url.length - query.length) + redacted.query;
      query = redacted.query;
      // An unsalted SHA-256 of a password can be cracked offline from the database file: redacted rows keep none.
      credentials = JSON.stringify(decoded, (key, value: unknown) => (key === 'sha256' ? '' : value));
    }
  }
  const { address, port } = clientAddress(req, config.trustProxy);
  const contentType = req.headers['content-type'];
  return {
    binId: target.binId,
    receivedAt: body.receivedAt,
    method: req.method ?? 'GET',
    url,
    path: target.path,
    query,
    httpVersion: req.httpVersion,
    headers,
    contentType: contentType ?? null,
    size: body.size,
    truncated: body.truncated,
    body: body.body,
    remoteAddress: address,
    remotePort: port,
    secure,
    authLabel: authLabel(decoded.credentials),
    credentials,
  };
}
