import { Router } from 'express';
import type { HeaderPair } from '../../shared/types';
import type { NewRequest } from '../store';
import type { RouteDeps } from './bins';
import { HttpError } from './errors';

/** An HTTP token (RFC 9110): what a method and a header name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value as a capture could hold it: visible ASCII, spaces, tabs and obs-text (Latin-1); never CR, LF nor NUL. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A request-target's path (and query): visible ASCII, no spaces (percent-encode the rest). */
const PATH = /^\/[\x21-\x7e]*$/;

export const MAX_TEST_HEADERS = 100;
export const MAX_TEST_BODY = 256 * 1024;

/** What a test request is stored as instead of a peer's address: it never came over the network. */
export const SEND_TEST_ADDRESS = 'hooklens (send-test)';

interface TestRequest {
  method: string;
  path: string;
  query: string;
  headers: HeaderPair[];
  body: Buffer;
}

/** The body of `POST /api/bins/{binId}/send-test`, checked; 400 naming the field otherwise. */
function parseTestRequest(input: unknown): TestRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new HttpError(400, 'the body must be a JSON object');
  const fields = input as Record<string, unknown>;
  // Nothing is ever sent anywhere: a target is a mistake to say out loud, not to ignore.
  if ('url' in fields) throw new HttpError(400, '"url" is not accepted: a test request is stored into this bin, never sent over the network');

  const method = fields.method ?? 'POST';
  if (typeof method !== 'string' || method.length > 32 || !TOKEN.test(method)) {
    throw new HttpError(400, '"method" must be an HTTP method (a token of letters, digits and !#$%&\'*+.^_`|~-, at most 32)');
  }

  const target = fields.path ?? '/';
  if (typeof target !== 'string' || target.length > 2048 || !PATH.test(target)) {
    throw new HttpError(400, '"path" must start with "/" and hold only visible ASCII, no spaces (percent-encode the rest; at most 2048)');
  }
  const mark = target.indexOf('?');
  const path = mark < 0 ? target : target.slice(0, mark);
  const query = mark < 0 ? '' : target.slice(mark + 1);

  const rawHeaders = fields.headers ?? [];
  if (!Array.isArray(rawHeaders)) throw new HttpError(400, '"headers" must be an array of [name, value] pairs');
  if (rawHeaders.length > MAX_TEST_HEADERS) throw new HttpError(400, `"headers" may hold at most ${MAX_TEST_HEADERS} pairs`);
  const headers = rawHeaders.map((pair: unknown, index): HeaderPair => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new HttpError(400, `"headers"[${index}] must be a [name, value] pair of strings`);
    }
    const [name, value] = pair as [string, string];
    if (!TOKEN.test(name) || name.length > 256) throw new HttpError(400, `"headers"[${index}]: the name must be a token (no spaces, colons or control characters)`);
    if (!FIELD_VALUE.test(value) || value.length > 16 * 1024) {
      throw new HttpError(400, `"headers"[${index}]: the value may hold no CR, LF or other control characters but tab (at most 16384)`);
    }
    return [name, value];
  });

  const text = fields.body ?? '';
  if (typeof text !== 'string') throw new HttpError(400, '"body" must be a string (sent as UTF-8)');
  const body = Buffer.from(text, 'utf8');
  if (body.length > MAX_TEST_BODY) throw new HttpError(400, `"body" may be at most ${MAX_TEST_BODY} bytes`);

  return { method, path, query, headers, body };
}

/**
 * `POST /api/bins/{binId}/send-test`: stores a request built from the given method, path, headers (order, case and
 * duplicates kept) and body into the bin, through the same service capture commits with, as if it had arrived at the
 * bin's capture URL. Nothing leaves the server: there is no target to give, so no request can be aimed elsewhere.
 */
export function sendTestRouter({ requests, now }: RouteDeps): Router {
  const router = Router({ mergeParams: true });

  router.post('/send-test', async (req, res) => {
    const binId = (req.params as Record<string, string>).binId;
    const test = parseTestRequest(req.body);
    const contentType = test.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
    const record: NewRequest = {
      binId,
      receivedAt: now(),
      method: test.method,
      url: `/b/${binId}${test.path === '/' ? '' : test.path}${test.query ? `?${test.query}` : ''}`,
      path: test.path,
      query: test.query,
      httpVersion: '1.1',
      headers: test.headers,
      contentType,
      size: test.body.length,
      truncated: false,
      body: test.body,
      remoteAddress: SEND_TEST_ADDRESS,
      remotePort: null,
      secure: false,
      status: 200,
      handshake: null,
    };
    const stored = await requests.capture(record);
    res.status(201).json({ id: stored.id });
  });

  return router;
}
