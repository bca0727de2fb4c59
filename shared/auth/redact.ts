/** redactCredentials: the request with credential values replaced, for logs and --redact-secrets. */
import type { HeaderPair } from '../types';
import type { CredentialInput } from './decode';
import { REDACTED } from './decoded';
import { scanRequest } from './scan';

/** The request's headers and query as they may be logged or stored with --redact-secrets. */
export interface RedactedRequest {
  headers: HeaderPair[];
  query: string;
  /** True when anything was replaced. */
  redacted: boolean;
}

/**
 * The headers (same order, names and duplicates) and query with every credential value replaced by
 * "[redacted]", keeping the scheme and what is not secret: Basic is re-encoded as base64("user-id:[redacted]"),
 * a known token keeps its prefix ("ghp_[redacted]"), a JWT its header segment, Digest and SigV4 all but
 * `response` / `Signature`, cookies their names. Signature headers (x-zendesk-webhook-signature,
 * stripe-signature, x-hub-signature-256, webhook-signature, …) are not credentials and are left alone.
 * Never throws: if decoding fails, every header that could hold a credential is replaced whole.
 */
export function redactCredentials(input: Pick<CredentialInput, 'headers' | 'query'>): RedactedRequest {
  try {
    const { headers, query, redacted } = scanRequest({ headers: input?.headers, query: input?.query, secure: true, now: 0 });
    return { headers, query, redacted };
  } catch {
    const headers = Array.isArray(input?.headers) ? input.headers : [];
    return {
      headers: headers.map(([name]): HeaderPair => [String(name), REDACTED]),
      query: '',
      redacted: headers.length > 0 || Boolean(input?.query),
    };
  }
}
