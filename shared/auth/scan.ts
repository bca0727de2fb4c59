/**
 * One pass over a request's headers, query, path and request-target that finds every credential, keeps its clear
 * secret beside the masked report, and builds the redacted request at the same time, so that decoding, reveal and
 * redaction can never disagree about what is a credential.
 */
import type { Credential, Finding, HeaderPair } from '../types';
import { decodeApiKey, detectSecretValue } from './api-key';
import { decodeAuthorization } from './authorization';
import { decodeCookie, parseCookies, redactCookies } from './cookie';
import { REDACTED, finding } from './decoded';
import type { DecodedValue } from './decoded';
import { isApiKeyHeaderName, isAuthorizationHeaderName, isCredentialQueryParam, isNeverSecretHeaderName } from './header-names';
import { maskSecret } from './mask';
import { joinQuery, parseQuery } from './query';
import type { QueryPart } from './query';
import { authorityLength, describeTokens, replaceTokens, scanPath, scanUserinfo, shownName } from './target';
import type { TargetCredential } from './target';
import { decodeTokenValue } from './token-value';
import { findTokenSpans } from './token-prefixes';

/** A credential with its clear secret; only revealSecret hands the secret out. */
export interface FoundCredential {
  credential: Credential;
  clearSecret: string | null;
}

/**
 * The credentials found (in order: headers as received, then the query), warnings, and the redacted request;
 * `path` and `target` are there when they were given.
 */
export interface ScanResult {
  found: FoundCredential[];
  warnings: Finding[];
  headers: HeaderPair[];
  query: string;
  path?: string;
  target?: string;
  redacted: boolean;
}

/** What scanRequest reads; the fields are `unknown` because callers may pass anything. */
export interface ScanInput {
  headers: unknown;
  query: unknown;
  /**
   * The part of the path the sender chose (capture's sub-path after /b/{binId}), searched for credentials; when
   * absent, the path of `target` is searched instead.
   */
  path?: unknown;
  /** The request-target as received, searched for user-info; its path and query are redacted like `path`, `query`. */
  target?: unknown;
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

/**
 * Authorization values decoded before, by value, with their redacted value: those of the schemes whose reading does
 * not depend on the clock (Basic, Digest, SigV4; a JWT's expiry does). A sender repeats the same one on every
 * request, and decoding it (base64, UTF-8, the secret's fingerprint) is most of a webhook's analysis. At most
 * KNOWN_AUTHORIZATIONS are kept, then the memo starts again.
 */
const knownAuthorizations = new Map<string, { found: FoundCredential; value: string }>();
const KNOWN_AUTHORIZATIONS = 256;
const TIMELESS_SCHEME = /^(Basic|Digest|AWS4-HMAC-SHA256|AWS4-ECDSA-P256-SHA256)$/;

/** A copy of a credential found, at `location`: what the memo gives out is never the object it keeps. */
function copyFound({ credential, clearSecret }: FoundCredential, location: Credential['location']): FoundCredential {
  return { credential: { ...credential, location, problems: [...credential.problems] }, clearSecret };
}

function scanAuthorization(location: Credential['location'], value: string, now: number): { found: FoundCredential[]; value: string } {
  const known = knownAuthorizations.get(value);
  if (known) return { found: [copyFound(known.found, location)], value: known.value };
  const { scheme, decoded, redactedValue } = decodeAuthorization(value, now);
  const found = place(decoded, location, scheme);
  if (scheme !== null && TIMELESS_SCHEME.test(scheme)) {
    if (knownAuthorizations.size >= KNOWN_AUTHORIZATIONS) knownAuthorizations.clear();
    knownAuthorizations.set(value, { found: copyFound(found, location), value: redactedValue });
  }
  return { found: [found], value: redactedValue };
}

/** Decodes one header; `value` of the result is the redacted value (unchanged when nothing is secret). */
function scanHeader(name: string, value: string, now: number): { found: FoundCredential[]; value: string } {
  const location = { in: 'header' as const, name };
  if (isAuthorizationHeaderName(name)) return scanAuthorization(location, value, now);
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
 * True when a query parameter carries a credential: a non-empty value under a credential name (api_key, apiKey,
 * auth[token], refresh_token, …), or one that is or holds a JWT or a known token format, whatever the name.
 */
export function isCredentialQueryPart(part: QueryPart): boolean {
  if (part.value === '') return false;
  return isCredentialQueryParam(part.name) || findTokenSpans(part.value).length > 0;
}

/**
 * What a credential parameter's value is. A value that holds a token among other text ("note=ghp_…") is named
 * after that token and replaced whole.
 */
function decodeQueryValue(part: QueryPart, now: number): DecodedValue {
  const whole = decodeTokenValue(part.value, now, 'credential');
  if (whole.kind === 'jwt' || whole.kind === 'jwe') return whole;
  if (whole.token === undefined && !isCredentialQueryParam(part.name)) {
    const [span] = findTokenSpans(part.value);
    if (span) {
      const inner = decodeTokenValue(part.value.slice(span.start, span.end), now, 'credential');
      return { ...inner, kind: inner.kind === 'jwt' || inner.kind === 'jwe' ? inner.kind : 'api-key', redacted: REDACTED };
    }
  }
  return { ...whole, kind: 'api-key' };
}

/** A parameter name that is itself a token (`?ghp_…`, `?ghp_…=1`) with the token replaced; null when it is not. */
function redactQueryName(part: QueryPart, now: number): { rawName: string; label: string } | null {
  const spans = findTokenSpans(part.name);
  if (spans.length === 0) return null;
  const label = describeTokens(part.name, spans, now);
  return { rawName: part.name === part.rawName ? replaceTokens(part.rawName, spans) : REDACTED, label };
}

const URL_HYGIENE = 'URLs end up in server logs, proxies and browser history; send it in a header instead.';

function scanQuery(query: unknown, now: number): { found: FoundCredential[]; query: string; warnings: Finding[] } {
  const found: FoundCredential[] = [];
  const warnings: Finding[] = [];
  const parts = parseQuery(typeof query === 'string' ? query : '');
  // A name is a credential in every place it appears once it is one anywhere: servers differ on which of a
  // repeated name they read (the first, the last, or all as an array).
  const names = new Set(parts.filter(isCredentialQueryPart).map((part) => part.name.toLowerCase()));
  const text = joinQuery(parts, (part) => {
    const secretName = redactQueryName(part, now);
    if (secretName) {
      warnings.push(finding('credential-in-query', 'warning', `A query parameter's name is itself a credential: ${secretName.label}. ${URL_HYGIENE}`));
    }
    const rawName = secretName?.rawName ?? part.rawName;
    if (part.value === '' || !names.has(part.name.toLowerCase())) {
      return secretName ? rawName + part.raw.slice(part.rawName.length) : part.raw;
    }
    const decoded = decodeQueryValue(part, now);
    // A name that is itself a secret, or holds one, cannot be shown as the location: the value is replaced but not reported.
    const name = secretName ? '' : shownName(part.name);
    if (name !== '') found.push(place(decoded, { in: 'query', name }, null));
    const subject = name === '' ? 'A query parameter' : `The query parameter "${name}"`;
    warnings.push(finding('credential-in-query', 'warning', `${subject} carries a credential: ${decoded.label}. ${URL_HYGIENE}`));
    return `${rawName}=${decoded.redacted}`;
  });
  return { found, query: text, warnings };
}

function targetWarnings(found: readonly TargetCredential[]): Finding[] {
  return found.map(({ where, name, label }) => {
    if (where === 'user-info') {
      const what = label === 'a password' ? `a password${name ? ` for "${name}"` : ''}` : `a credential: ${label}`;
      return finding('credential-in-userinfo', 'warning', `The request-target's user-info carries ${what}. ${URL_HYGIENE}`);
    }
    const subject = name ? `The path parameter "${name}"` : 'A path segment';
    return finding('credential-in-path', 'warning', `${subject} carries a credential: ${label}. ${URL_HYGIENE}`);
  });
}

/**
 * The request-target with its user-info, path and query redacted: the query as `query` was (when it is the
 * target's), the path as `path` was where the target's path ends with it (the route before it, /b/{binId}, is
 * kept; when `path` held nothing, nothing of the path is replaced), else the target's whole path.
 */
function redactTarget(target: string, path: { from: string; to: string } | null, query: { from: string; to: string }, now: number): string {
  const withoutUserinfo = scanUserinfo(target, now).target;
  const question = withoutUserinfo.indexOf('?');
  let before = question === -1 ? withoutUserinfo : withoutUserinfo.slice(0, question);
  let after = question === -1 ? null : withoutUserinfo.slice(question + 1);
  if (after !== null) after = after === query.from ? query.to : scanQuery(after, now).query;
  if (path && before.endsWith(path.from)) {
    before = before.slice(0, before.length - path.from.length) + path.to;
  } else if (!path || path.from !== path.to) {
    // No path given, or one that is not where it should be: the target's whole path is searched.
    const head = authorityLength(before);
    before = before.slice(0, head) + scanPath(before.slice(head), now).path;
  }
  return after === null ? before : `${before}?${after}`;
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
  const rawQuery = typeof input.query === 'string' ? input.query : '';
  let query = rawQuery;
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
  const result: ScanResult = { found, warnings, headers, query, redacted };
  const rawPath = typeof input.path === 'string' ? input.path : null;
  const rawTarget = typeof input.target === 'string' ? input.target : null;
  try {
    let path: { from: string; to: string } | null = null;
    if (rawPath !== null) {
      const scanned = scanPath(rawPath, input.now);
      warnings.push(...targetWarnings(scanned.found));
      path = { from: rawPath, to: scanned.path };
      result.path = scanned.path;
    }
    if (rawTarget !== null) {
      const userinfo = scanUserinfo(rawTarget, input.now).found;
      // Without a path of its own, the target's path is searched (after the authority, before the query).
      const question = rawTarget.indexOf('?');
      const ownPath = rawPath === null ? rawTarget.slice(authorityLength(rawTarget), question === -1 ? rawTarget.length : question) : '';
      warnings.push(...targetWarnings([...userinfo, ...scanPath(ownPath, input.now).found]));
      result.target = redactTarget(rawTarget, path, { from: rawQuery, to: query }, input.now);
    }
  } catch {
    warnings.push(finding('decoder-failed', 'error', 'The request-target could not be decoded; it was left out of the analysis.'));
    if (rawPath !== null) result.path = rawPath === '/' || rawPath === '' ? rawPath : `/${REDACTED}`;
    if (rawTarget !== null) result.target = REDACTED;
  }
  if ((result.path ?? rawPath) !== rawPath || (result.target ?? rawTarget) !== rawTarget) result.redacted = true;
  warnings.push(...hygieneWarnings(found, pairs, input.secure));
  return result;
}
