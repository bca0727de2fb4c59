/**
 * Masking captured credentials in the viewer (auth-reference.md §5): values stay masked until a person reveals one
 * field, and copying is a separate action. The clear value comes from shared/auth's revealSecret, on demand only.
 */
import { maskSecret, revealSecret } from '../../../shared/auth';
import type { Credential, HeaderPair } from '../../../shared/types';

/** Where a credential sits, as a key for reveal state: "header:authorization", "query:api_key". */
export function locationKey(location: Credential['location']): string {
  return `${location.in}:${location.name.toLowerCase()}`;
}

/** The credentials of an analysis by location key (header names and query names compared case-insensitively). */
export function credentialsByLocation(credentials: readonly Credential[]): Map<string, Credential> {
  const byKey = new Map<string, Credential>();
  for (const credential of credentials) {
    const key = locationKey(credential.location);
    if (!byKey.has(key)) byKey.set(key, credential);
  }
  return byKey;
}

/** A credential-carrying header or query value with only the scheme and first/last characters visible. */
export function maskValue(value: string, credential: Credential | undefined): string {
  // A Cookie header holds many values: keep each cookie's name readable.
  if (credential?.location.in === 'header' && credential.location.name.toLowerCase() === 'cookie') {
    return value
      .split(';')
      .map((part) => {
        const equals = part.indexOf('=');
        return equals === -1 ? maskSecret(part).masked : `${part.slice(0, equals)}=${maskSecret(part.slice(equals + 1)).masked}`;
      })
      .join(';');
  }
  const scheme = credential?.scheme;
  if (scheme) {
    const match = /^(\S+)(\s+)([\s\S]*)$/.exec(value);
    if (match && match[1].toLowerCase() === scheme.toLowerCase()) return `${match[1]}${match[2]}${maskSecret(match[3]).masked}`;
  }
  return maskSecret(value).masked;
}

/** The clear secret of a credential, or null when it cannot be recovered (redacted at capture, or not decodable). */
export function clearSecret(request: { headers: HeaderPair[]; query: string; redacted?: boolean }, credential: Credential): string | null {
  if (request.redacted) return null;
  return revealSecret({ headers: request.headers, query: request.query }, credential);
}

/** Query parameter names that usually carry a credential; the list view masks them without an analysis. */
const CREDENTIAL_QUERY_NAMES = /^(api[_-]?key|apikey|key|token|access[_-]?token|auth|auth[_-]?token|secret|client[_-]?secret|password|pass|pwd|signature|sig)$/i;

/** A raw query string with the values of credential-like parameters masked, for one-line summaries. */
export function maskQueryForSummary(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      const name = pair.slice(0, equals);
      let decodedName = name;
      try {
        decodedName = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: compare the name as sent.
      }
      return CREDENTIAL_QUERY_NAMES.test(decodedName) ? `${name}=${maskSecret(pair.slice(equals + 1)).masked}` : pair;
    })
    .join('&');
}

/** A request-target with the values of credential query parameters masked, unless revealed. */
export function maskUrl(url: string, credentialParams: ReadonlyMap<string, Credential>, revealed: ReadonlySet<string>): string {
  const question = url.indexOf('?');
  if (question === -1 || credentialParams.size === 0) return url;
  const pairs = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      let name = pair.slice(0, equals);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: compare the name as sent.
      }
      const key = `query:${name.toLowerCase()}`;
      const credential = credentialParams.get(name.toLowerCase());
      if (credential === undefined || revealed.has(key)) return pair;
      return `${pair.slice(0, equals)}=${maskValue(pair.slice(equals + 1), credential)}`;
    });
  return `${url.slice(0, question)}?${pairs.join('&')}`;
}
