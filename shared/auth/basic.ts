/**
 * Basic credentials (RFC 7617), including the forms Zendesk uses: `email:password`, and
 * `email/token:api_token` for an API token.
 */
import type { Finding } from '../types';
import { encodeBase64 } from './base64';
import { misplacedTokenHint, readBasicBytes, readDoubleEncoded } from './basic-encoding';
import { REDACTED, characters, finding } from './decoded';
import type { DecodedValue } from './decoded';
import { looksLikeSecret } from './api-key';
import { maskSecret } from './mask';
import { identifyToken } from './token-prefixes';
import { decodeLatin1, decodeUtf8, encodeUtf8, toHex } from './utf8';

const COLON = 0x3a;
const EMAIL = /^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/;
const ZENDESK_TOKEN_SUFFIX = /\/token$/i;
const ZENDESK_TOKEN_SHAPE = /^[A-Za-z0-9]{40}$/;

export const ZENDESK_ADMIN_NOTE =
  'A Zendesk API token acts with the rights of the user named, usually an admin, and works with any admin email: treat it as an admin credential.';

interface TextPart {
  text: string;
  /** Set when the bytes were not UTF-8 and `text` is their Latin-1 reading. */
  latin1Bytes?: Uint8Array;
}

function readPart(bytes: Uint8Array): TextPart {
  const utf8 = decodeUtf8(bytes);
  return utf8.ok ? { text: utf8.text } : { text: decodeLatin1(bytes), latin1Bytes: bytes };
}

function splitAtFirstColon(bytes: Uint8Array): [Uint8Array, Uint8Array] | null {
  const colon = bytes.indexOf(COLON);
  return colon === -1 ? null : [bytes.subarray(0, colon), bytes.subarray(colon + 1)];
}

function notUtf8Problem(user: TextPart, password: TextPart): Finding {
  const where = [user.latin1Bytes ? 'the user-id' : '', password.latin1Bytes ? 'the password' : ''].filter(Boolean).join(' and ') || 'the credentials';
  const userReading = user.latin1Bytes ? ` Read as Latin-1, the user-id is "${user.text}" (bytes ${toHex(user.latin1Bytes)}).` : '';
  return finding(
    'basic-not-utf8',
    'warning',
    `The decoded bytes of ${where} are not valid UTF-8, so they were read as Latin-1 (ISO-8859-1).${userReading} The sender probably encoded in Latin-1 or Windows-1252; RFC 7617 expects UTF-8, and a server may read different characters.`,
  );
}

function noColon(text: string, problems: Finding[]): DecodedValue {
  const length = Array.from(text).length;
  problems.push(
    finding(
      'basic-no-colon',
      'error',
      `Decoded, the credentials (${characters(length)}) contain no ":", so there is no user-id:password pair. The sender probably put a bare token or API key here: Basic needs "user-id:password" (for a Zendesk API token "email/token:api_token"), and a bare token belongs after "Bearer".${misplacedTokenHint(text)}`,
    ),
  );
  return { kind: 'basic', label: 'Basic credentials without a user-id', secret: text || undefined, problems, redacted: REDACTED };
}

/**
 * Passwords that say "there is no password": Freshdesk takes `KEY:X`, Toggl `TOKEN:api_token`, GitHub
 * `TOKEN:x-oauth-basic`, Stripe `KEY:` and many others ask for "any value". Compared case-insensitively; any
 * password of 1–2 characters counts as well.
 */
const PLACEHOLDER_PASSWORDS = new Set([
  'api_token', 'api-token', 'apitoken', 'api_key', 'api-key', 'apikey', 'api', 'token', 'key', 'x-oauth-basic',
  'password', 'pass', 'none', 'null', 'nil', 'blank', 'empty', 'unused', 'ignored', 'dummy', 'anything', 'any', 'xxx',
]);

/** True when the password is empty or a placeholder (see PLACEHOLDER_PASSWORDS). */
export function isPlaceholderPassword(password: string): boolean {
  const length = Array.from(password).length;
  return length <= 2 || PLACEHOLDER_PASSWORDS.has(password.trim().toLowerCase());
}

/** A user-id shaped like a key rather than a name: no "@", at least 16 key characters, letters and digits both. */
function looksLikeKeyUserId(userId: string): boolean {
  return /^[A-Za-z0-9_\-.~+/=]{16,}$/.test(userId) && /[A-Za-z]/.test(userId) && /[0-9]/.test(userId);
}

/**
 * Some APIs take the key as the Basic user-id, with an empty or placeholder password (Stripe `KEY:`, Freshdesk
 * `KEY:X`, Toggl `TOKEN:api_token`): then the user-id is the secret and must not be shown. A user-id of a known
 * token format, or random-looking enough to be a secret, is hidden whatever the password; with a real password
 * the password stays the secret. Null when the user-id is an ordinary name.
 */
function tokenAsUserId(userId: string, password: string, problems: Finding[]): DecodedValue | null {
  const match = identifyToken(userId, true);
  const placeholder = isPlaceholderPassword(password);
  const keyIsUserId = placeholder && (match !== null || looksLikeKeyUserId(userId) || looksLikeSecret(userId));
  if (!match && !keyIsUserId && !looksLikeSecret(userId)) return null;
  const redacted = encodeBase64(encodeUtf8(`${REDACTED}:${password === '' ? '' : REDACTED}`));
  if (keyIsUserId) {
    const what = match ? match.format.label : 'API key';
    const placeholderNote = password === '' ? 'The password is empty' : `The password is a placeholder (${characters(Array.from(password).length)})`;
    problems.push(
      finding('basic-key-as-user-id', 'info', `${placeholderNote}, so the user-id is read as the key: Freshdesk, Toggl, Stripe and others take an API key as the Basic user-id this way.`),
    );
    return {
      kind: 'basic',
      label: `${what} as Basic user-id (password ${password === '' ? 'empty' : 'placeholder'})`,
      secret: userId,
      token: match?.format.label,
      details: { length: String(Array.from(userId).length) },
      problems,
      redacted,
    };
  }
  const what = match ? `a ${match.format.label}` : 'a secret-looking value';
  return {
    kind: 'basic',
    label: `Basic credentials with ${what} as the user-id`,
    secret: password === '' ? undefined : password,
    token: match?.format.label,
    details: { userId: `${what} (${maskSecret(userId).masked})` },
    problems,
    redacted,
  };
}

function labelFor(userId: string, password: string, problems: Finding[]): Pick<DecodedValue, 'kind' | 'label' | 'username' | 'details'> {
  if (ZENDESK_TOKEN_SUFFIX.test(userId)) {
    const email = userId.slice(0, -'/token'.length);
    if (!EMAIL.test(email)) {
      problems.push(finding('zendesk-token-user-not-email', 'warning', 'The user-id ends in "/token", the form of a Zendesk API token, but what comes before it is not an email address; Zendesk expects "email/token".'));
    }
    if (password && !ZENDESK_TOKEN_SHAPE.test(password)) {
      problems.push(finding('zendesk-token-unexpected-shape', 'info', `Zendesk API tokens are 40 letters and digits; this one is ${characters(Array.from(password).length)}, so it may be cut short or not a Zendesk token.`));
    }
    return { kind: 'zendesk-api-token', label: `Zendesk API token for ${email}`, username: email, details: { access: ZENDESK_ADMIN_NOTE } };
  }
  if (userId === '') return { kind: 'basic', label: 'Basic credentials with an empty user-id', username: userId };
  if (EMAIL.test(userId)) return { kind: 'basic', label: `Zendesk-style password for ${userId}`, username: userId };
  return { kind: 'basic', label: `Basic credentials for ${userId}`, username: userId };
}

function emptinessProblems(userId: string, password: string): Finding[] {
  if (userId === '' && password === '') {
    return [finding('basic-empty', 'error', 'Decoded, the credentials are just ":": both the user-id and the password are empty. The sender probably left its username and password settings blank.')];
  }
  if (userId === '') return [finding('basic-empty-username', 'warning', 'The user-id is empty: only a password was sent. The sender probably left its username setting blank.')];
  if (password === '') return [finding('basic-empty-password', 'warning', 'The password is empty: only a user-id was sent. The sender probably left its password or token setting blank.')];
  return [];
}

/**
 * Decodes the credentials of a Basic authorization (the part after "Basic "), split at the FIRST colon; the
 * password is the secret. UTF-8 is expected; other bytes are read as Latin-1 and reported. Every departure from
 * RFC 7617 is a problem with its own code (basic-missing-credentials, basic-invalid-base64, basic-not-encoded,
 * basic-base64url, basic-bad-padding, basic-length-not-multiple-of-4, basic-whitespace-inside, basic-not-utf8,
 * basic-no-colon, basic-double-encoded, basic-empty, basic-empty-username, basic-empty-password).
 * `redacted` re-encodes "user-id:[redacted]" when a user-id was read. Never throws.
 */
export function decodeBasic(credentials: string): DecodedValue {
  const value = String(credentials).trim();
  if (value === '') {
    return {
      kind: 'basic',
      label: 'Basic with no credentials',
      problems: [finding('basic-missing-credentials', 'error', 'The header says "Basic" but nothing follows it; it needs base64(user-id:password) after the scheme and one space.')],
      redacted: '',
    };
  }
  const read = readBasicBytes(value);
  const problems = read.problems;
  if (!read.ok) return { kind: 'basic', label: 'Basic credentials that cannot be decoded', secret: value, problems, redacted: REDACTED };
  let bytes = 'bytes' in read ? read.bytes : encodeUtf8(read.clearText);
  if (bytes.length === 0) {
    problems.push(finding('basic-empty', 'error', 'The credentials decode to nothing at all; the sender probably left its username and password settings blank.'));
    return { kind: 'basic', label: 'Empty Basic credentials', problems, redacted: REDACTED };
  }
  let pair = splitAtFirstColon(bytes);
  if (!pair) {
    const inner = readDoubleEncoded(readPart(bytes).text);
    if (!inner) return noColon(readPart(bytes).text, problems);
    bytes = inner;
    pair = splitAtFirstColon(bytes) as [Uint8Array, Uint8Array];
    problems.push(finding('basic-double-encoded', 'warning', 'The credentials were base64-encoded twice: decoded once they are base64 again, and only decoded twice do they read as user-id:password. The sender should encode user-id:password once; servers will reject this.'));
  }
  const user = readPart(pair[0]);
  const password = readPart(pair[1]);
  const keyAsUser = tokenAsUserId(user.text, password.text, problems);
  if (user.latin1Bytes || password.latin1Bytes) problems.push(notUtf8Problem(keyAsUser ? { text: '' } : user, password));
  if (keyAsUser) return keyAsUser;
  problems.push(...emptinessProblems(user.text, password.text));
  const described = labelFor(user.text, password.text, problems);
  if (user.latin1Bytes) described.details = { ...described.details, usernameHex: toHex(user.latin1Bytes) };
  return {
    ...described,
    secret: password.text === '' ? undefined : password.text,
    secretBytes: password.latin1Bytes,
    problems,
    redacted: encodeBase64(encodeUtf8(`${user.text}:${REDACTED}`)),
  };
}
