/** decodeCredentials: the entry point that the server's analysis and the viewer call. */
import type { Credential, Finding, HeaderPair } from '../types';
import { finding } from './decoded';
import { scanRequest } from './scan';

/** What the decoder reads of a request. */
export interface CredentialInput {
  /** As received: original case, order, duplicates. */
  headers: HeaderPair[];
  /** Raw query string without "?". */
  query: string;
  /**
   * The part of the path the sender chose (for capture, the sub-path after /b/{binId}): its segments and matrix
   * parameters are searched for tokens. Optional; without it, the path of `target` is searched.
   */
  path?: string;
  /** The request-target as received: searched for the user-info of an absolute-form target. Optional. */
  target?: string;
  /** True when the request came over https. */
  secure: boolean;
  /** ms since the epoch, for JWT expiry; default Date.now(). */
  now?: number;
}

/** What decodeCredentials returns: nothing in it holds a secret in clear. */
export interface DecodedCredentials {
  /** In the order found: headers as received, then the query string. */
  credentials: Credential[];
  /**
   * Hygiene: credentials in the query string, the path or the user-info (which are only reported here: a
   * Credential sits in a header or the query), Basic over plain http, Zendesk API tokens, duplicate headers.
   */
  warnings: Finding[];
}

/** The time to judge JWTs against: `now` when it is a usable number, else the clock. */
export function resolveNow(now: unknown): number {
  return typeof now === 'number' && Number.isFinite(now) ? now : Date.now();
}

/**
 * Every credential the request carries (Authorization and Proxy-Authorization of any scheme, API-key headers,
 * secret-looking values of other headers, session cookies, query parameters) and hygiene warnings, among them
 * the credentials found in the path and the user-info when `path` or `target` is given.
 * Secrets appear only masked (MaskedSecret), never in clear — not in labels, problems or details either.
 * Never throws, whatever it is given: on an internal failure it returns what it has and a `decoder-failed` warning.
 */
export function decodeCredentials(input: CredentialInput): DecodedCredentials {
  try {
    const { found, warnings } = scanRequest({
      headers: input?.headers,
      query: input?.query,
      path: input?.path,
      target: input?.target,
      secure: input?.secure === true,
      now: resolveNow(input?.now),
    });
    return { credentials: found.map((item) => item.credential), warnings };
  } catch {
    return { credentials: [], warnings: [finding('decoder-failed', 'error', 'The credentials of this request could not be decoded.')] };
  }
}
