/** Credentials in a Cookie header: session cookies by name, and values that are JWTs or known tokens. */
import { REDACTED, characters } from './decoded';
import type { DecodedValue } from './decoded';
import { decodeJose } from './jwt';
import { identifyToken } from './token-prefixes';
import { decodeTokenValue } from './token-value';

const SESSION_COOKIE_NAME = /sess|sid|token|auth|jwt|login|remember|csrf|xsrf|secret|key/i;

/** One cookie of a Cookie header, trimmed. */
export interface CookiePart {
  name: string;
  value: string;
}

/** The `name=value` pairs of a Cookie header, in order; a part without "=" has an empty name. */
export function parseCookies(header: string): CookiePart[] {
  return String(header)
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const equals = part.indexOf('=');
      return equals === -1 ? { name: '', value: part } : { name: part.slice(0, equals).trim(), value: part.slice(equals + 1).trim() };
    });
}

/** The cookie as a credential when its name or value says it is one; null otherwise. Never throws. */
export function decodeCookie(cookie: CookiePart, now: number): DecodedValue | null {
  const value = cookie.value.replace(/^"(.*)"$/, '$1');
  if (value === '') return null;
  const details = { cookie: cookie.name };
  const jose = decodeJose(value, now);
  if (jose) return { ...jose, details: { ...details, ...jose.details } };
  if (identifyToken(value, false)) {
    const token = decodeTokenValue(value, now, 'cookie');
    return { ...token, kind: 'api-key', details: { ...details, ...token.details } };
  }
  if (!SESSION_COOKIE_NAME.test(cookie.name)) return null;
  const length = Array.from(value).length;
  return {
    kind: 'api-key',
    label: `Session cookie ${cookie.name} (${characters(length)})`,
    secret: value,
    details: { ...details, length: String(length) },
    problems: [],
    redacted: REDACTED,
  };
}

/** The Cookie header with every value replaced, names kept. */
export function redactCookies(header: string): string {
  return parseCookies(header)
    .map((cookie) => (cookie.name ? `${cookie.name}=${REDACTED}` : REDACTED))
    .join('; ');
}
