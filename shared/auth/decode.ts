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
  /** True when the request came over https. */
  secure: boolean;
  /** ms since the epoch, for JWT expiry; default Date.now(). */
  now?: number;
}

/** What decodeCredentials returns: nothing in it holds a secret in clear. */
export interface DecodedCredentials {
  /** In the order found: headers as received, then the query string. */
  credentials: Credential[];
  /** Hygiene: credentials in the query string, Basic over plain http, Zendesk API tokens, duplicate headers. */
  warnings: Finding[];
}

/** The time to judge JWTs against: `now` when it is a usable number, else the clock. */
export function resolveNow(now: unknown): number {
  return typeof now === 'number' && Number.isFinite(now) ? now : Date.now();
}

/**
 * Every credential the request carries (Authorization and Proxy-Authorization of any scheme, API-key headers,
 * secret-looking values of other headers, session cookies, query parameters) and hygiene warnings.
 * Secrets appear only masked (MaskedSecret), never in clear — not in labels, problems or details either.
 * Never throws, whatever it is given: on an internal failure it returns what it has and a `decoder-failed` warning.
 */
export function decodeCredentials(input: CredentialInput): DecodedCredentials {
  try {
    const { found, warnings } = scanRequest({
      headers: input?.headers,
      query: input?.query,
      secure: input?.secure === true,
      now: resolveNow(input?.now),
    });
    return { credentials: found.map((item) => item.credential), warnings };
  } catch {
    return { credentials: [], warnings: [finding('decoder-failed', 'error', 'The credentials of this request could not be decoded.')] };
  }
}
