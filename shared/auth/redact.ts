/** redactCredentials: the request with credential values replaced, for logs and --redact-secrets. */
import type { HeaderPair } from '../types';
import type { CredentialInput } from './decode';
import { REDACTED } from './decoded';
import { scanRequest } from './scan';

/** The request's headers, query, path and target as they may be logged or stored with --redact-secrets. */
export interface RedactedRequest {
  headers: HeaderPair[];
  query: string;
  /** Present when a path was given. */
  path?: string;
  /** Present when a target was given. */
  target?: string;
  /** True when anything was replaced. */
  redacted: boolean;
}

/** What redactCredentials reads: what decodeCredentials reads, less what only judges (secure, now). */
export type RedactInput = Pick<CredentialInput, 'headers' | 'query' | 'path' | 'target'>;

/**
 * The headers (same order, names and duplicates), query, path and request-target with every credential value
 * replaced by "[redacted]", keeping the scheme and what is not secret: Basic is re-encoded as
 * base64("user-id:[redacted]"), a known token keeps its prefix ("ghp_[redacted]"), a JWT its header segment, Digest
 * and SigV4 all but `response` / `Signature`, cookies their names, query and matrix parameters their names, a
 * path segment what is around the token, user-info its user name (`http://admin:[redacted]@host/…`). In the
 * target, the route before `path` (/b/{binId}) is kept. Signature headers (x-zendesk-webhook-signature,
 * stripe-signature, x-hub-signature-256, webhook-signature, …) are not credentials and are left alone.
 * Never throws: if decoding fails, every header that could hold a credential, the query, path and target are
 * replaced whole.
 */
export function redactCredentials(input: RedactInput): RedactedRequest {
  try {
    const { headers, query, path, target, redacted } = scanRequest({
      headers: input?.headers, query: input?.query, path: input?.path, target: input?.target, secure: true, now: 0,
    });
    return { headers, query, ...(path === undefined ? {} : { path }), ...(target === undefined ? {} : { target }), redacted };
  } catch {
    const headers = Array.isArray(input?.headers) ? input.headers : [];
    const fallback: RedactedRequest = {
      headers: headers.map(([name]): HeaderPair => [String(name), REDACTED]),
      query: '',
      redacted: headers.length > 0 || Boolean(input?.query) || Boolean(input?.path) || Boolean(input?.target),
    };
    if (typeof input?.path === 'string') fallback.path = input.path === '/' ? '/' : `/${REDACTED}`;
    if (typeof input?.target === 'string') fallback.target = REDACTED;
    return fallback;
  }
}
