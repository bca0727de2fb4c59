/**
 * Credentials in a request-target outside its query string: in path segments and matrix parameters
 * (`/hooks/ghp_…`, `/hooks;token=…`) and in the user-info of an absolute-form target (`http://admin:pw@host/…`).
 * These are found and replaced, and reported as findings: a Credential's location is a header or a query parameter.
 */
import { detectSecretValue, looksLikeSecret } from './api-key';
import { REDACTED } from './decoded';
import { isCredentialQueryParam } from './header-names';
import { findTokenSpans, identifyToken } from './token-prefixes';
import type { TokenSpan } from './token-prefixes';
import { decodeTokenValue } from './token-value';

/** A credential found in the target outside the query. */
export interface TargetCredential {
  where: 'path' | 'user-info';
  /** The matrix parameter's name, or the user name before a password; "" when there is none to show. */
  name: string;
  /** What it is, for a person ("GitHub personal access token", "a password"); never the secret. */
  label: string;
}

/** The scheme and authority of an absolute-form target (`http://user:pass@host`), as RFC 3986 delimits them. */
const ABSOLUTE_FORM = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i;

const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/** A segment or matrix value as long as the shortest random secret looksLikeSecret takes (32 characters). */
const LONG_VALUE = /[^/;=]{32}/;

/** A path component decoded as a server would (%XX as UTF-8; "+" stays "+"); bad escapes stay as written. */
function decodePathComponent(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * The tokens of `text` at `spans` replaced by their redacted forms, as decodeTokenValue writes them
 * ("ghp_[redacted]", a JWT's header segment and ".[redacted]"), without decoding each one.
 */
export function replaceTokens(text: string, spans: readonly TokenSpan[]): string {
  let out = '';
  let at = 0;
  for (const { start, end } of spans) {
    const token = text.slice(start, end);
    const hint = token.startsWith('eyJ') && token.includes('.') ? `${token.slice(0, token.indexOf('.'))}.` : (identifyToken(token, true)?.format.prefix ?? '');
    out += text.slice(at, start) + hint + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/** What the tokens at `spans` are, for a person: the first one decoded, and how many more there are. */
export function describeTokens(text: string, spans: readonly TokenSpan[], now: number): string {
  const first = decodeTokenValue(text.slice(spans[0].start, spans[0].end), now, 'credential').label;
  return spans.length === 1 ? first : `${first} and ${spans.length - 1} more`;
}

/**
 * One value of the path (a segment, a matrix name or value) with what it holds replaced: each JWT or known token
 * inside it (the rest kept, "hook.[token].json"), else the whole of it when it is long and random-looking (the rule
 * for a header of any name). A value whose token shows only once decoded (percent-encoded) is replaced whole.
 */
function redactPathValue(raw: string, now: number, found: string[]): string {
  if (raw === '') return raw;
  const text = decodePathComponent(raw);
  const spans = findTokenSpans(text);
  if (spans.length > 0) {
    found.push(describeTokens(text, spans, now));
    return text === raw ? replaceTokens(text, spans) : REDACTED;
  }
  // Known tokens and JWTs were looked for above; what is left is the long random value (cheap to rule out).
  const whole = looksLikeSecret(text.trim()) ? detectSecretValue(text, now) : null;
  if (!whole) return raw;
  found.push(whole.label);
  return whole.redacted;
}

/**
 * A parameter or user name as a finding or a location may show it: short and plain (letters, digits, `_ . - [ ]`,
 * and `@ +` in a user name), and not itself secret-looking; else "" (a name a sender made of a token must not
 * carry it into the analysis).
 */
export function shownName(name: string, plain = /^[\w.[\]-]{1,40}$/): string {
  return plain.test(name) && !looksLikeSecret(name) && findTokenSpans(name).length === 0 ? name : '';
}

const PLAIN_USER = /^[\w.@+-]{1,64}$/;

/** One `;`-separated piece of a segment: a bare value, or a matrix parameter `name=value`. */
function redactPiece(raw: string, now: number, found: TargetCredential[]): string {
  const equals = raw.indexOf('=');
  const add = (name: string) => (label: string) => found.push({ where: 'path', name, label });
  if (equals === -1) {
    const labels: string[] = [];
    const out = redactPathValue(raw, now, labels);
    labels.forEach(add(''));
    return out;
  }
  const rawName = raw.slice(0, equals);
  const rawValue = raw.slice(equals + 1);
  const nameSecrets: string[] = [];
  const redactedName = redactPathValue(rawName, now, nameSecrets);
  nameSecrets.forEach(add(''));
  // A name that was itself a secret is not shown in a finding.
  const name = nameSecrets.length ? '' : decodePathComponent(rawName);
  if (rawValue !== '' && nameSecrets.length === 0 && isCredentialQueryParam(name)) {
    const decoded = decodeTokenValue(decodePathComponent(rawValue), now, 'credential');
    add(shownName(name))(decoded.label);
    return `${redactedName}=${decoded.redacted}`;
  }
  const valueSecrets: string[] = [];
  const redactedValue = redactPathValue(rawValue, now, valueSecrets);
  valueSecrets.forEach(add(shownName(name)));
  return `${redactedName}=${redactedValue}`;
}

/**
 * The path (as written, percent-encoded) with its credentials replaced, segment by segment: known tokens and JWTs
 * anywhere in a segment, a whole segment that looks like a secret, and matrix parameters (`;token=…`) by name or
 * value. `/`, `;` and everything else not secret stay as written. Linear in the length of the path. Never throws
 * on a string.
 */
export function scanPath(path: string, now: number): { found: TargetCredential[]; path: string } {
  const found: TargetCredential[] = [];
  if (path === '' || path === '/') return { found, path };
  // Most paths hold no parameter, no token and no value long enough to be a random secret: one look settles it.
  if (!path.includes('=') && !LONG_VALUE.test(path) && findTokenSpans(decodePathComponent(path)).length === 0) return { found, path };
  const redacted = path
    .split('/')
    .map((segment) => segment.split(';').map((piece) => redactPiece(piece, now, found)).join(';'))
    .join('/');
  return { found, path: redacted };
}

/**
 * The target with the password of an absolute-form target's user-info replaced (`http://admin:[redacted]@host/…`),
 * and the user name too when it is itself a token (`https://ghp_…@host/`). The user-info runs to the authority's
 * last "@", so a password holding "@" is replaced whole. Targets in origin-form (`/b/…`) are returned as they are.
 */
export function scanUserinfo(target: string, now: number): { found: TargetCredential[]; target: string } {
  const found: TargetCredential[] = [];
  const match = ABSOLUTE_FORM.exec(target);
  const at = match ? match[2].lastIndexOf('@') : -1;
  if (!match || at === -1) return { found, target };
  const [head, scheme, authority] = match;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  const rawUser = colon === -1 ? userinfo : userinfo.slice(0, colon);
  const password = colon === -1 ? '' : userinfo.slice(colon + 1);
  const user = decodePathComponent(rawUser);
  let shownUser = rawUser;
  if (user !== '') {
    const secret = detectSecretValue(user, now) ?? (identifyToken(user, true) ? decodeTokenValue(user, now, 'token') : null);
    if (secret) {
      found.push({ where: 'user-info', name: '', label: secret.label });
      shownUser = secret.redacted;
    }
  }
  if (password !== '') found.push({ where: 'user-info', name: shownUser === rawUser ? shownName(user, PLAIN_USER) : '', label: 'a password' });
  const redactedInfo = colon === -1 ? shownUser : `${shownUser}:${password === '' ? '' : REDACTED}`;
  if (redactedInfo === userinfo) return { found, target };
  return { found, target: `${scheme}${redactedInfo}${authority.slice(at)}${target.slice(head.length)}` };
}

/** The length of the scheme and authority of an absolute-form target; 0 for origin-form. */
export function authorityLength(target: string): number {
  return ABSOLUTE_FORM.exec(target)?.[0].length ?? 0;
}
