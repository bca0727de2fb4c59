import { createHash } from 'node:crypto';
import { authLabel, decodeCredentials, redactCredentials, useNativeSha256, type CredentialInput } from '../../shared/auth';
import type { Credential, HeaderPair } from '../../shared/types';
import { signatureVerdict } from '../verify/verdict';
import { deliveryKey } from './delivery';
import type { NewRequest, StoredColumns } from './port';

// Credential fingerprints (shared/auth's sha256Hex) by node:crypto on the server: the same digests, a quarter of the time.
useNativeSha256((bytes) => createHash('sha256').update(bytes).digest('hex'));

/** What a store needs to derive a request's columns: --redact-secrets, the bin's secrets and --public-url. */
export interface DeriveContext {
  redactSecrets: boolean;
  /** The bin's signing secrets as they are when the request is stored (read under the bin's lock). */
  secrets: Readonly<Record<string, string>>;
  publicUrl: string | null;
}

/**
 * What a store writes for a captured request besides the request itself: the body's SHA-256, the credential label
 * the list shows, the kinds of its credentials, the provider's delivery id, the verdict of its signature checks with
 * the bin's secrets (on the request as written) and, when the store redacts secrets, the headers, target, path and query with the credential
 * values replaced (the path's and target's too: tokens in path segments and matrix parameters, the password of an
 * absolute-form target's user-info) and the analysis taken from the clear values first (only the redacted form is
 * written). Capture hands the request over as received; each adapter calls this as it writes.
 */
export function deriveColumns(request: NewRequest, context: DeriveContext): NewRequest & StoredColumns {
  const unchecked = deriveUnchecked(request, context.redactSecrets);
  // Object.assign, not `{ ...a, b }`: V8 (Node 20) takes several µs to spread an object this size and add fields
  // to the copy, on every capture; assign copies in a tenth of that.
  return Object.assign(unchecked, signatureVerdict(unchecked, context.secrets, context.publicUrl));
}

function deriveUnchecked(request: NewRequest, redactSecrets: boolean): NewRequest & Omit<StoredColumns, 'signature' | 'provider'> {
  const bodySha256 = createHash('sha256').update(request.body).digest('hex');
  const input = { headers: request.headers, query: request.query, path: request.path, target: request.url };
  const decoded = decodeCredentials(decoderInput(request, request.receivedAt));
  const label = authLabel(decoded.credentials);
  // Whatever redaction would replace, the decoder has reported as a credential or a warning (a token in the path,
  // a password in the user-info); a request with neither, most of them, is written as it is without a second pass.
  const flagged = decoded.credentials.length > 0 || decoded.warnings.length > 0;
  const redacted = redactSecrets && flagged ? redactCredentials(input) : null;
  // Trailers after a chunked body (rare) are redacted as headers are.
  const trailers = redactSecrets && request.trailers ? redactCredentials({ headers: request.trailers, query: '' }) : null;
  const delivery = deliveryKey(request.headers);
  const credentialKinds = decoded.credentials.map((c) => c.kind);
  if (!redacted?.redacted && !trailers?.redacted) {
    return Object.assign({}, request, { bodySha256, authLabel: label, credentials: null, deliveryKey: delivery, credentialKinds });
  }
  return {
    ...request,
    ...(redacted && {
      headers: redacted.headers,
      url: redacted.target ?? request.url,
      path: redacted.path ?? request.path,
      query: redacted.query,
    }),
    ...(trailers && { trailers: trailers.headers }),
    bodySha256,
    authLabel: label,
    // An unsalted SHA-256 of a password can be cracked offline from the database file: redacted rows keep none.
    credentials: JSON.stringify(decoded, (key, value: unknown) => (key === 'sha256' ? '' : value)),
    deliveryKey: delivery,
    credentialKinds,
  };
}

/**
 * The kinds of a stored request's credentials: from its stored analysis when the values were redacted at capture,
 * else decoded again from what was stored. For rows stored before the kinds were (and `hooklens migrate`).
 */
export function storedCredentialKinds(stored: { headers: HeaderPair[]; query: string; path: string; url: string; secure: boolean;
  receivedAt: number; credentials: string | null }): string[] {
  if (stored.credentials !== null) {
    const analysis = JSON.parse(stored.credentials) as { credentials?: Credential[] };
    return (analysis.credentials ?? []).map((c) => c.kind);
  }
  return decodeCredentials(decoderInput(stored, stored.receivedAt)).credentials.map((c) => c.kind);
}

/**
 * What the decoder reads of a captured request, judged at `now`: its headers, query and path, and its target only in
 * absolute form: an origin-form target (`/b/…`, nearly all) holds nothing that its path and query do not. Built field
 * by field, without spreads: it runs on every capture.
 */
export function decoderInput(request: { headers: HeaderPair[]; query: string; path: string; url: string; secure: boolean }, now: number): CredentialInput {
  return { headers: request.headers, query: request.query, path: request.path,
    target: request.url.startsWith('/') ? undefined : request.url, secure: request.secure, now };
}
