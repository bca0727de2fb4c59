import { createHmac, timingSafeEqual } from 'node:crypto';

/** The HMAC hashes webhook senders use. */
export type HmacAlgorithm = 'sha1' | 'sha256';
/** How a sender writes a digest in its header. */
export type DigestEncoding = 'hex' | 'base64';

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32 };

/** HMAC of `message` keyed with `key` (a string is taken as UTF-8, never decoded). */
export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, message: Buffer): Buffer {
  return createHmac(algorithm, key).update(message).digest();
}

/** Constant-time equality of two digests; false, without comparing, when their lengths differ. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The digest bytes that `text` encodes, or null unless `text` is exactly how the sender writes a digest of this
 * algorithm: lowercase hex, or base64 with its padding. Every official verifier compares the text it computes with
 * the header's text, so an uppercase or otherwise re-encoded digest fails there, and must not verify here.
 */
export function decodeDigest(text: string, encoding: DigestEncoding, algorithm: HmacAlgorithm): Buffer | null {
  return decodeExact(text, encoding, DIGEST_BYTES[algorithm]);
}

/** The `length` bytes that `text` encodes in its one canonical form (lowercase hex, padded base64); else null. */
export function decodeExact(text: string, encoding: DigestEncoding, length: number): Buffer | null {
  const bytes = Buffer.from(text, encoding);
  return bytes.length === length && bytes.toString(encoding) === text ? bytes : null;
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
