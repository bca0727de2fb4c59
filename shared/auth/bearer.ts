/** Bearer tokens (RFC 6750): the syntax of the token, then what it is (see token-value.ts). */
import type { Finding } from '../types';
import { readBase64 } from './base64';
import { finding } from './decoded';
import type { DecodedValue } from './decoded';
import { decodeTokenValue } from './token-value';
import { decodeUtf8 } from './utf8';

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** True when `token` is clean base64 of printable text with a colon: Basic credentials sent as a bearer token. */
export function looksLikeEncodedPair(token: string): boolean {
  if (token.length < 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return false;
  const reading = readBase64(token);
  if (!reading.bytes || reading.padding !== 'ok') return false;
  const text = decodeUtf8(reading.bytes);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what rules text out
  return text.ok && text.text.includes(':') && !/[\u0000-\u001f\u007f]/.test(text.text);
}

/**
 * Decodes what follows "Bearer ": a JWT/JWE, a token of a known format, or an opaque token; the token is the
 * secret. Problems: bearer-missing-token, bearer-quoted, bearer-whitespace-inside, bearer-invalid-characters,
 * bearer-looks-like-basic, plus those of the token itself. Never throws.
 */
export function decodeBearer(credentials: string, now: number): DecodedValue {
  let token = String(credentials).trim();
  if (token === '') {
    return {
      kind: 'bearer',
      label: 'Bearer with no token',
      problems: [finding('bearer-missing-token', 'error', 'The header says "Bearer" but no token follows; the sender probably has an empty token setting.')],
      redacted: '',
    };
  }
  const problems: Finding[] = [];
  const quoted = token.length >= 2 && token.startsWith('"') && token.endsWith('"');
  if (quoted) {
    token = token.slice(1, -1);
    problems.push(finding('bearer-quoted', 'warning', 'The token is wrapped in double quotes, which are not part of a bearer token; servers will take the quotes as part of it. Read without them.'));
  }
  if (/\s/.test(token)) {
    problems.push(finding('bearer-whitespace-inside', 'warning', 'The token contains whitespace; a bearer token is a single word. The sender probably joined two values or left a line break, and servers will read only part of it.'));
  } else if (!B64TOKEN.test(token)) {
    problems.push(finding('bearer-invalid-characters', 'warning', 'The token has characters that RFC 6750 does not allow in a bearer token (only letters, digits and - . _ ~ + / then "="); some servers will reject it.'));
  }
  if (looksLikeEncodedPair(token)) {
    problems.push(finding('bearer-looks-like-basic', 'warning', 'The token is base64 of user-id:password: the sender probably meant "Basic", not "Bearer".'));
  }
  const decoded = decodeTokenValue(token, now, 'bearer token');
  return {
    ...decoded,
    problems: [...problems, ...decoded.problems],
    redacted: quoted ? `"${decoded.redacted}"` : decoded.redacted,
  };
}
