import { createHash } from 'node:crypto';
import { authLabel, decodeCredentials, redactCredentials } from '../../shared/auth';
import type { NewRequest, StoredColumns } from './port';

/**
 * What a store writes for a captured request besides the request itself: the body's SHA-256, the credential label
 * the list shows and, when the store redacts secrets, the headers, target and query with the credential values
 * replaced and the analysis taken from the clear values first (only the redacted form is written). Capture hands the
 * request over as received; each adapter calls this as it writes.
 */
export function deriveColumns(request: NewRequest, redactSecrets: boolean): NewRequest & StoredColumns {
  const bodySha256 = createHash('sha256').update(request.body).digest('hex');
  const decoded = decodeCredentials({ headers: request.headers, query: request.query, secure: request.secure, now: request.receivedAt });
  const label = authLabel(decoded.credentials);
  const redacted = redactSecrets && decoded.credentials.length > 0 ? redactCredentials({ headers: request.headers, query: request.query }) : null;
  if (!redacted?.redacted) return { ...request, bodySha256, authLabel: label, credentials: null };
  const { url, query } = request;
  return {
    ...request,
    headers: redacted.headers,
    url: redacted.query === query ? url : url.slice(0, url.length - query.length) + redacted.query,
    query: redacted.query,
    bodySha256,
    authLabel: label,
    // An unsalted SHA-256 of a password can be cracked offline from the database file: redacted rows keep none.
    credentials: JSON.stringify(decoded, (key, value: unknown) => (key === 'sha256' ? '' : value)),
  };
}
