import type { IncomingMessage } from 'node:http';
import { authLabel, decodeCredentials, redactCredentials } from '../../shared/auth';
import type { HeaderPair } from '../../shared/types';
import type { Config } from '../config';
import { clientAddress, isSecure } from '../net/peer';
import type { NewRequest } from '../store';
import type { ReadBody } from './body';
import type { CaptureTarget } from './target';

/** Pairs from Node's flat rawHeaders: order, case and duplicates as received. */
function headerPairs(raw: string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}

/**
 * What the store keeps of a capture: the request as received, its credential label and, with --redact-secrets,
 * the credential values replaced (the analysis is taken from the clear values first; only the redacted form is
 * stored).
 */
export function buildRecord(
  req: IncomingMessage,
  target: CaptureTarget,
  body: ReadBody & { receivedAt: number },
  config: Pick<Config, 'trustProxy' | 'redactSecrets'>,
): NewRequest {
  const secure = isSecure(req, config.trustProxy);
  let headers = headerPairs(req.rawHeaders);
  let { url = '' } = req;
  let { query } = target;
  const decoded = decodeCredentials({ headers, query, secure, now: body.receivedAt });
  let credentials: string | null = null;
  if (config.redactSecrets && decoded.credentials.length > 0) {
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
  return {
    binId: target.binId,
    receivedAt: body.receivedAt,
    method: req.method ?? 'GET',
    url,
    path: target.path,
    query,
    httpVersion: req.httpVersion,
    headers,
    contentType: req.headers['content-type'] ?? null,
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
