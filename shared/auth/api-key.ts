/**
 * Credentials that are a header's whole value: API-key headers known by name, and headers of any other name
 * whose value is a JWT, a known token format, or long and random enough to be a secret (a Zendesk `api_key`
 * webhook may use any header name).
 */
import { REDACTED, characters, finding } from './decoded';
import type { DecodedValue } from './decoded';
import { decodeJose } from './jwt';
import { decodeTokenValue } from './token-value';
import { identifyToken } from './token-prefixes';

const SECRET_CHARACTERS = /^[A-Za-z0-9+/_.~-]+=*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MIN_SECRET_LENGTH = 32;
const MAX_SECRET_LENGTH = 2048;
/** Bits per character; random letters and digits give about 4.5 at 32 characters, English-like words about 4. */
const MIN_ENTROPY = 4.2;

/** Shannon entropy of the characters of `value`, in bits per character. */
export function entropyPerCharacter(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * True for a value that is long, one word, made of lower-case and upper-case letters and digits, and random-looking.
 * Hex is left out on purpose: in headers not named as credentials it is nearly always a hash or an id.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH || value.length > MAX_SECRET_LENGTH) return false;
  if (!SECRET_CHARACTERS.test(value) || UUID.test(value)) return false;
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9]/.test(value)) return false;
  return entropyPerCharacter(value) >= MIN_ENTROPY;
}

/** Decodes the value of a header named as an API key (X-API-Key, PRIVATE-TOKEN, …). Never throws. */
export function decodeApiKey(value: string, now: number): DecodedValue {
  const trimmed = String(value).trim();
  if (trimmed === '') {
    return {
      kind: 'api-key',
      label: 'Empty API key',
      problems: [finding('api-key-empty', 'warning', 'The header that should carry an API key is empty; the sender probably has an empty key setting.')],
      redacted: '',
    };
  }
  const decoded = decodeTokenValue(trimmed, now, 'API key');
  if (decoded.kind === 'jwt' || decoded.kind === 'jwe') return decoded;
  const problems = /\s/.test(trimmed)
    ? [finding('api-key-whitespace-inside', 'info', 'The key contains whitespace, which keys rarely do; it may be two values joined, or a scheme such as "Bearer" that this header does not expect.')]
    : [];
  return { ...decoded, kind: 'api-key', problems: [...problems, ...decoded.problems] };
}

/**
 * What the value of a header not named as a credential holds, when it looks like one: a JWT, a token of a
 * known format (full match only), or a long random-looking value. Null otherwise. Never throws.
 */
export function detectSecretValue(value: string, now: number): DecodedValue | null {
  const trimmed = String(value).trim();
  const jose = decodeJose(trimmed, now);
  if (jose) return jose;
  const match = identifyToken(trimmed, false);
  if (match) return { ...decodeTokenValue(trimmed, now, 'API key'), kind: 'api-key' };
  if (!looksLikeSecret(trimmed)) return null;
  const length = Array.from(trimmed).length;
  return {
    kind: 'api-key',
    label: `Possible secret (${characters(length)})`,
    secret: trimmed,
    details: {
      length: String(length),
      reason: 'The header name does not say it carries a credential, but the value is long and random-looking, so it is treated as one.',
    },
    problems: [],
    redacted: REDACTED,
  };
}
