import type { BinResponse, HeaderPair } from '../../shared/types';

/** Limits of a bin's response: it is kept in memory for every capture and sent on each. */
export const RESPONSE_LIMITS = { headers: 50, headerValue: 8 * 1024, body: 256 * 1024, delayMs: 30_000 } as const;

/** An HTTP token (RFC 9110): what a header name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What a header value may hold: visible characters, spaces and tabs, and bytes 0x80–0xFF (sent as Latin-1). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers hooklens frames the answer with: the owner cannot set them. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

/** Thrown for an invalid bin response; the message names the field, for a 400. */
export class ResponseSettingError extends Error {
  override name = 'ResponseSettingError';
}

/**
 * A bin response as the API receives it (`PATCH /api/bins/{id}` `{"response": …}`): null restores the default;
 * anything else is checked field by field and completed with the defaults. Throws ResponseSettingError naming the
 * field that is wrong.
 */
export function parseBinResponse(value: unknown): BinResponse | null {
  if (value === null) return null;
  const fail = (message: string): never => {
    throw new ResponseSettingError(message);
  };
  if (typeof value !== 'object' || Array.isArray(value)) return fail('"response" must be an object ({"status", "headers", "body", "delayMs"}) or null');
  const { status = 200, headers = [], body, delayMs = 0, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) fail(`"response.${unknown[0]}" is not a setting; use status, headers, body and delayMs`);
  if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599 || status === 101) {
    fail('"response.status" must be an integer from 100 to 599, except 101');
  }
  if (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > RESPONSE_LIMITS.delayMs) {
    fail(`"response.delayMs" must be an integer from 0 to ${RESPONSE_LIMITS.delayMs}`);
  }
  return {
    status: status as number,
    headers: parseHeaders(headers, fail),
    ...(body === undefined ? {} : { body: parseBody(body, fail) }),
    delayMs: delayMs as number,
  };
}

function parseHeaders(value: unknown, fail: (message: string) => never): HeaderPair[] {
  if (!Array.isArray(value)) return fail('"response.headers" must be an array of [name, value] pairs');
  if (value.length > RESPONSE_LIMITS.headers) fail(`"response.headers" may hold at most ${RESPONSE_LIMITS.headers} headers`);
  return value.map((pair: unknown, i): HeaderPair => {
    const field = `"response.headers[${i}]"`;
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      return fail(`${field} must be a [name, value] pair of strings`);
    }
    const [name, text] = pair as [string, string];
    if (!TOKEN.test(name)) fail(`${field}: ${JSON.stringify(name.slice(0, 80))} is not a header name (letters, digits and !#$%&'*+.^_\`|~-)`);
    if (FRAMING.has(name.toLowerCase())) fail(`${field}: ${name} is set by hooklens (it frames the answer); leave it out`);
    if (text.length > RESPONSE_LIMITS.headerValue) fail(`${field}: the value is longer than ${RESPONSE_LIMITS.headerValue} characters`);
    if (!FIELD_VALUE.test(text)) fail(`${field}: the value holds a line break or a control character, or a character beyond U+00FF`);
    return [name, text];
  });
}

function parseBody(value: unknown, fail: (message: string) => never): BinResponse['body'] {
  if (typeof value === 'string') {
    if (Buffer.byteLength(value) > RESPONSE_LIMITS.body) fail(`"response.body" is larger than ${RESPONSE_LIMITS.body} bytes`);
    return value;
  }
  const base64 = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).base64 : undefined;
  if (typeof base64 !== 'string' || Object.keys(value as object).length !== 1) {
    return fail('"response.body" must be a string (UTF-8) or {"base64": "…"}');
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) fail('"response.body.base64" is not base64');
  if (Buffer.byteLength(base64, 'base64') > RESPONSE_LIMITS.body) fail(`"response.body" is larger than ${RESPONSE_LIMITS.body} bytes`);
  return { base64 };
}

/** An answer as capture sends it: status, raw header pairs (name, value, name, value…) and body. */
export interface Answer {
  status: number;
  headers: string[];
  body: Buffer;
  /** A 1xx setting: sent first as an interim answer (a sender waits on for a final one, the default answer). */
  interim?: { status: number; headers: string[] };
}

/** Captured content and what the owner sets must never run in the viewer's origin. */
const SANDBOX = ['X-Content-Type-Options', 'nosniff', 'Content-Security-Policy', 'sandbox'];

/** Statuses whose answers carry no body (HTTP forbids one). */
const hasNoBody = (status: number): boolean => status < 200 || status === 204 || status === 304;

/** The answer a bin's response setting gives to request `id`: `{id}` replaced in header values and a text body. */
export function renderResponse(response: BinResponse, id: number): Answer {
  const withId = (text: string): string => text.replaceAll('{id}', String(id));
  const body = response.body === undefined
    ? Buffer.from(JSON.stringify({ ok: true, id }))
    : typeof response.body === 'string' ? Buffer.from(withId(response.body)) : Buffer.from(response.body.base64, 'base64');
  const headers = response.headers.flatMap(([name, value]) => [name, withId(value)]);
  if (response.status < 200) {
    const final = Buffer.from(JSON.stringify({ ok: true, id }));
    return { ...answer(200, ['Content-Type', 'application/json'], final), interim: { status: response.status, headers } };
  }
  if (!response.headers.some(([name]) => name.toLowerCase() === 'content-type')) {
    const type = response.body === undefined ? 'application/json'
      : typeof response.body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    headers.push('Content-Type', type);
  }
  return answer(response.status, headers, body);
}

/**
 * An answer with the sandbox headers and, where HTTP allows a body, its Content-Length. The sandbox headers come
 * first: a reader that takes the first of repeated headers gets hooklens's, whatever the owner added.
 */
export function answer(status: number, headers: string[], body: Buffer): Answer {
  if (hasNoBody(status)) return { status, headers: [...SANDBOX, ...headers], body: Buffer.alloc(0) };
  return { status, headers: [...SANDBOX, ...headers, 'Content-Length', String(body.length)], body };
}
