import { createHmac, timingSafeEqual } from 'node:crypto';

/** The HMAC hashes webhook senders use. */
export type HmacAlgorithm = 'sha1' | 'sha256';
/** How a sender writes a digest in its header. */
export type DigestEncoding = 'hex' | 'base64';

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32 };
const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** HMAC of `message` keyed with `key` (a string is taken as UTF-8, never decoded). */
export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, message: Buffer): Buffer {
  return createHmac(algorithm, key).update(message).digest();
}

/** Constant-time equality of two digests; false, without comparing, when their lengths differ. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The digest bytes that `text` encodes, or null when it is not a well-formed digest of this algorithm
 * (wrong alphabet, padding or length): strict, because a lenient decoder would turn garbage into a "mismatch".
 */
export function decodeDigest(text: string, encoding: DigestEncoding, algorithm: HmacAlgorithm): Buffer | null {
  const wellFormed = encoding === 'hex' ? HEX.test(text) : BASE64.test(text) && text.length % 4 === 0;
  if (!wellFormed) return null;
  const bytes = Buffer.from(text, encoding);
  return bytes.length === DIGEST_BYTES[algorithm] ? bytes : null;
}

/** "64 hex characters" / "44 base64 characters": what a digest of this algorithm looks like, for messages. */
export function digestShape(encoding: DigestEncoding, algorithm: HmacAlgorithm): string {
  const bytes = DIGEST_BYTES[algorithm];
  return encoding === 'hex' ? `${bytes * 2} hex characters` : `${Math.ceil(bytes / 3) * 4} base64 characters`;
}

/** "HMAC-SHA256", for messages. */
export function hmacLabel(algorithm: HmacAlgorithm): string {
  return `HMAC-${algorithm.toUpperCase()}`;
}

/** The bytes of the parts one after another, strings as UTF-8: how signed messages are assembled. */
export function concatBytes(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}
