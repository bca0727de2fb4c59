/**
 * One pass over a request's headers and query that finds every credential, keeps its clear secret beside the
 * masked report, and builds the redacted headers and query at the same time, so that decoding, reveal and
 * redaction can never disagree about what is a credential.
 */
import type { Credential, Finding, HeaderPair } from '../types';
import { decodeApiKey, detectSecretValue } from './api-key';
import { decodeAuthorization } from './authorization';
import { decodeCookie, parseCookies, redactCookies } from './cookie';
import { REDACTED, finding } from './decoded';
import type { DecodedValue } from './decoded';
import { isApiKeyHeaderName, isAuthorizationHeaderName, isCredentialQueryParam, isNeverSecretHeaderName } from './header-names';
import { joseShape } from './jwt';
import { maskSecret } from './mask';
import { parseQuery } from './query';
import type { QueryPart } from './query';
import { decodeTokenValue } from './token-value';
import { identifyToken } from './token-prefixes';

/** A credential with its clear secret; only revealSecret hands the secret out. */
export interface FoundCredential {
  credential: Credential;
  clearSecret: string | null;
}

/** The credentials found (in order: headers as received, then the query), warnings, and the redacted request. */
export interface ScanResult {
  found: FoundCredential[];
  warnings: Finding[];
  headers: HeaderPair[];
  query: string;
  redacted: boolean;
}

/** What scanRequest reads; headers and query are `unknown` because callers may pass anything. */
export interface ScanInput {
  headers: unknown;
  query: unknown;
  secure: boolean;
  now: number;
}

function place(decoded: DecodedValue, location: Credential['location'], scheme: string | null): FoundCredential {
  const credential: Credential = { location, scheme, kind: decoded.kind, label: decoded.label, problems: decoded.problems };
  if (decoded.username !== undefined) credential.username = decoded.username;
  if (decoded.secret !== undefined) credential.secret = maskSecret(decoded.secret, decoded.secretBytes);
  if (decoded.token !== undefined) credential.token = decoded.token;
  if (decoded.jwt !== undefined) credential.jwt = decoded.jwt;
  if (decoded.details !== undefined && Object.keys(decoded.details).length) credential.details = decoded.details;
  return { credential, clearSecret: decoded.secret ?? null };
}

function headerPairs(headers: unknown): HeaderPair[] {
  if (!Array.isArray(headers)) return [];
  return headers.filter(
    (pair): pair is HeaderPair => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string',
  );
}

/** Decodes one header; `value` of the result is the redacted value (unchanged when nothing is secret). */
function scanHeader(name: string, value: string, now: number): { found: FoundCredential[]; value: string } {
  const location = { in: 'header' as const, name };
  if (isAuthorizationHeaderName(name)) {
    const { scheme, decoded, redactedValue } = decodeAuthorization(value, now);
    return { found: [place(decoded, location, scheme)], value: redactedValue };
  }
  if (name.trim().toLowerCase() === 'cookie') {
    const found = parseCookies(value).flatMap((cookie) => {
      const decoded = decodeCookie(cookie, now);
      return decoded ? [place(decoded, location, null)] : [];
    });
    return { found, value: redactCookies(value) };
  }
  if (isApiKeyHeaderName(name)) {
    const decoded = decodeApiKey(value, now);
    return { found: [place(decoded, location, null)], value: decoded.redacted || value };
  }
  if (isNeverSecretHeaderName(name)) return { found: [], value };
  const decoded = detectSecretValue(value, now);
  return decoded ? { found: [place(decoded, location, null)], value: decoded.redacted } : { found: [], value };
}

/**
 * True when a query parameter carries a credential: a non-empty value under a credential name (api_key, token,
 * refresh_token, …) or shaped like one whatever the name (a JWT, a known token format).
 */
export function isCredentialQueryPart(part: QueryPart): boolean {
  if (part.value === '') return false;
  return isCredentialQueryParam(part.name) || joseShape(part.value) !== null || identifyToken(part.value, false) !== null;
}

function scanQuery(query: unknown, now: number): { found: FoundCredential[]; query: string; warnings: Finding[] } {
  const found: FoundCredential[] = [];
  const warnings: Finding[] = [];
  const parts = parseQuery(typeof query === 'string' ? query : '').map((part) => {
    if (!isCredentialQueryPart(part)) return part.raw;
    const token = decodeTokenValue(part.value, now, 'credential');
    const decoded = token.kind === 'jwt' || token.kind === 'jwe' ? token : { ...token, kind: 'api-key' as const };
    found.push(place(decoded, { in: 'query', name: part.name }, null));
    warnings.push(
      finding('credential-in-query', 'warning', `The query parameter "${part.name}" carries a credential: ${decoded.label}. URLs end up in server logs, proxies and browser history; send it in a header instead.`),
    );
    return `${part.rawName}=${decoded.redacted}`;
  });
  return { found, query: parts.join('&'), warnings };
}

/** What a Basic credential sent in the clear gives away: a password only when a user-id:password pair was read. */
function exposed(credential: FoundCredential['credential']): string {
  if (credential.kind === 'zendesk-api-token') return 'the API token';
  return credential.username !== undefined && credential.secret !== undefined ? 'the password' : 'the credentials';
}

function hygieneWarnings(found: FoundCredential[], headers: HeaderPair[], secure: boolean): Finding[] {
  const warnings: Finding[] = [];
  const authorizationCount = headers.filter(([name]) => name.trim().toLowerCase() === 'authorization').length;
  if (authorizationCount > 1) {
    warnings.push(finding('auth-duplicate-header', 'warning', `The request has ${authorizationCount} Authorization headers; servers usually read only the first, or reject the request.`));
  }
  for (const { credential } of found) {
    const isBasic = credential.kind === 'basic' || credential.kind === 'zendesk-api-token';
    if (isBasic && credential.scheme === 'Basic' && !secure) {
      warnings.push(
        finding('basic-over-http', 'warning', `${credential.label} came over plain http: base64 is not encryption, so anyone on the network path can read ${exposed(credential)}. Use https.`),
      );
    }
    if (credential.kind === 'zendesk-api-token') {
      warnings.push(finding('zendesk-api-token-admin', 'warning', `The request carries a ${credential.label}. It acts with the rights of the user named, usually an admin, and works with any admin email; treat it as an admin credential and prefer a dedicated webhook secret.`));
    }
  }
  return warnings;
}

/** Finds every credential of a request. Never throws: a header that fails to decode is reported and skipped. */
export function scanRequest(input: ScanInput): ScanResult {
  const pairs = headerPairs(input.headers);
  const found: FoundCredential[] = [];
  const warnings: Finding[] = [];
  let redacted = false;
  const headers = pairs.map(([name, value]): HeaderPair => {
    try {
      const result = scanHeader(name, value, input.now);
      found.push(...result.found);
      if (result.value !== value) redacted = true;
      return [name, result.value];
    } catch {
      warnings.push(finding('decoder-failed', 'error', `The header "${name}" could not be decoded; it was left out of the analysis.`));
      redacted = true;
      return [name, REDACTED];
    }
  });
  let query = typeof input.query === 'string' ? input.query : '';
  try {
    const result = scanQuery(input.query, input.now);
    found.push(...result.found);
    warnings.push(...result.warnings);
    if (result.query !== query) redacted = true;
    query = result.query;
  } catch {
    warnings.push(finding('decoder-failed', 'error', 'The query string could not be decoded; it was left out of the analysis.'));
    redacted = redacted || query !== '';
    query = '';
  }
  warnings.push(...hygieneWarnings(found, pairs, input.secure));
  return { found, warnings, headers, query, redacted };
}
