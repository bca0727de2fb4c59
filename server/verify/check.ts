import { createHash } from 'node:crypto';
import type { SignatureCheck } from '../../shared/types';
import { hmac, hmacLabel, safeEqual } from './hmac';
import type { DigestEncoding, HmacAlgorithm } from './hmac';
import type { VerifyInput } from './types';

/** Bytes a sender signs, with what they are for a person, e.g. "timestamp + body (23 bytes)". */
export interface SignedMessage {
  bytes: Buffer;
  description: string;
}

/** A signed time and the provider's replay tolerance around it. */
export interface SignedAt {
  /** Unix seconds. */
  seconds: number;
  toleranceSeconds: number;
  /** Only an old time is stale, as the provider's own verifier does (e.g. Stripe, HubSpot); a future one is not. */
  pastOnly?: boolean;
  /**
   * Whether the age is measured in milliseconds, as the provider's verifier does; by default in whole seconds, the
   * clock rounded down (a signature 300.9 s old is 300 s old), as verifiers with second timestamps do.
   */
  inMilliseconds?: boolean;
  /** Set when the sender's time is missing (seconds is then NaN): why, e.g. "the body has no webhookTimestamp". */
  missing?: string;
}

/** An HMAC signature header, parsed: everything `checkHmac` needs to check it against the bin's secret. */
export interface HmacCheck {
  /** Provider id: the key of the bin's secret and SignatureCheck.provider. */
  provider: string;
  /** Display name, e.g. "Stripe". */
  name: string;
  /** The signature header's name as received. */
  header: string;
  algorithm: HmacAlgorithm;
  encoding: DigestEncoding;
  /** The signatures the header carries, decoded; at least one. */
  signatures: readonly Buffer[];
  /** What the sender signs, most likely reading first; more than one when it is not certain (e.g. which URL). */
  messages: readonly SignedMessage[];
  /** The HMAC key from the bin's secret; by default the secret as UTF-8 text. */
  key?: (secret: string) => Buffer | string;
  /** For a sender that does not use an HMAC (HubSpot v1/v2 hash the secret with the message): the digest and its name. */
  digest?: { label: string; compute: (key: Buffer | string, message: Buffer) => Buffer };
  /** How messages name that key; by default "the bin's secret". */
  keyDescription?: string;
  signedAt?: SignedAt;
  /** Added when the signature does not match, e.g. that Twilio signs the public URL. */
  hint?: string;
}

/**
 * Checks `check` with the bin's secret for its provider: no-secret without one, else verified, stale (matches but
 * outside the tolerance) or mismatch. When the body was truncated, the message says the check was inconclusive.
 */
export function checkHmac(check: HmacCheck, input: VerifyInput): SignatureCheck {
  const secret = input.secrets[check.provider];
  if (!secret) return noSecret(check.provider, check.name, check.header);
  const key = check.key ? check.key(secret) : secret;
  const matched = matchingMessage(check, key);
  const base = { provider: check.provider, header: check.header, secretSource: 'bin' as const };
  const keyName = check.keyDescription ?? "the bin's secret";
  if (matched) {
    const computation = describeComputation(check, matched, keyName);
    const late = check.signedAt && describeStaleness(check.signedAt, input.now, check.name);
    if (late) return { ...base, status: 'stale', message: `Signature matches, but ${late}: ${computation}, matches ${check.header}.` };
    return { ...base, status: 'verified', message: `${computation}, ${describeMatch(check)}.` };
  }
  const first = check.messages[0];
  const computed = computeDigest(check, key, first.bytes).toString(check.encoding);
  const others = check.messages.slice(1).map((m) => m.description);
  const tried = `${keyName} (${fingerprint(secret)})`;
  const parts = [
    `${describeComputation(check, first, tried)}, is ${computed}; ${describeReceived(check)}: they differ.`,
    others.length > 0 ? `Also tried, without a match: ${others.join('; ')}.` : '',
    check.hint ?? '',
  ];
  return { ...base, status: 'mismatch', message: withTruncation(parts.filter(Boolean).join(' '), input) };
}

/** The first of `check.messages` whose HMAC with `key` equals one of its signatures, compared in constant time. */
export function matchingMessage(
  check: Pick<HmacCheck, 'algorithm' | 'signatures' | 'messages' | 'digest'>,
  key: Buffer | string,
): SignedMessage | undefined {
  return check.messages.find((m) => {
    const digest = computeDigest(check, key, m.bytes);
    return check.signatures.some((s) => safeEqual(digest, s));
  });
}

function computeDigest(check: Pick<HmacCheck, 'algorithm' | 'digest'>, key: Buffer | string, message: Buffer): Buffer {
  return check.digest ? check.digest.compute(key, message) : hmac(check.algorithm, key, message);
}

/** "HMAC-SHA256 of timestamp + body (23 bytes) with the bin's secret, base64". */
export function describeComputation(
  check: Pick<HmacCheck, 'algorithm' | 'encoding' | 'digest'>,
  message: SignedMessage,
  keyName: string,
): string {
  if (check.digest) return `${check.digest.label} of ${keyName} + ${message.description}, ${check.encoding}`;
  return `${hmacLabel(check.algorithm)} of ${message.description} with ${keyName}, ${check.encoding}`;
}

/**
 * How a message names a secret without revealing it: the start of its SHA-256, e.g. "SHA-256 fingerprint
 * 3f2a9c1b0d4e5f60", enough to tell two secrets apart and to match the fingerprint a credential shows.
 */
export function fingerprint(secret: string | Buffer): string {
  return `SHA-256 fingerprint ${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

/** "matches X-Hub-Signature-256", or which of several it matched. */
export function describeMatch(check: Pick<HmacCheck, 'header' | 'signatures'>): string {
  const n = check.signatures.length;
  return n === 1 ? `matches ${check.header}` : `matches one of the ${n} signatures in ${check.header}`;
}

/** "X-Hub-Signature-256 has 75710…" with every signature the header carries, re-encoded. */
export function describeReceived(check: Pick<HmacCheck, 'header' | 'signatures' | 'encoding'>): string {
  const values = check.signatures.map((s) => s.toString(check.encoding));
  return values.length === 1
    ? `${check.header} has ${values[0]}`
    : `${check.header} has ${values.length} signatures: ${values.join(', ')}`;
}

/** Why a matching signature is stale ("the timestamp is 3600 s old, outside Stripe's 300 s tolerance"), or null. */
export function describeStaleness(signedAt: SignedAt, now: number, name: string): string | null {
  if (signedAt.missing) return signedAt.missing;
  const ageSeconds = signedAt.inMilliseconds ? (now - Math.round(signedAt.seconds * 1000)) / 1000 : Math.floor(now / 1000) - signedAt.seconds;
  const possessive = name.endsWith('s') ? `${name}'` : `${name}'s`;
  const tolerance = `outside ${possessive} ${signedAt.toleranceSeconds} s tolerance`;
  if (Math.abs(ageSeconds) <= signedAt.toleranceSeconds || (signedAt.pastOnly && ageSeconds < 0)) return null;
  const rounded = Math.round(Math.abs(ageSeconds));
  return ageSeconds > 0
    ? `the timestamp is ${rounded} s old, ${tolerance}`
    : `the timestamp is ${rounded} s in the future, ${tolerance}`;
}

/** "body (23 bytes)", or "empty body". */
export function describeBody(body: Buffer): string {
  return body.length === 0 ? 'empty body' : `body (${body.length} bytes)`;
}

/** Prefixes a failed check's message with why it is inconclusive when the stored body is not the whole body. */
export function withTruncation(message: string, input: Pick<VerifyInput, 'body' | 'bodyTruncated'>): string {
  if (!input.bodyTruncated) return message;
  return (
    `Cannot be checked: the body was truncated at capture (only the first ${input.body.length} bytes were stored), ` +
    `and the signature covers the whole body; start hooklens with a larger --max-body to check it. Over the stored bytes: ${message}`
  );
}

/** The check for a signature header when the bin has no secret for its provider. */
export function noSecret(provider: string, name: string, header: string): SignatureCheck {
  return {
    provider,
    header,
    status: 'no-secret',
    message: `${header} is present, but this bin has no ${name} signing secret: add it to the bin's signing secrets to verify the signature.`,
  };
}

/** The check for a signature header that cannot be parsed: says what was expected and shows (the start of) what came. */
export function malformed(provider: string, header: string, expected: string, got?: string): SignatureCheck {
  const shown = got === undefined ? '' : `, got "${got.length > 120 ? `${got.slice(0, 120)}…` : got}"`;
  return { provider, header, status: 'malformed', message: `${header} cannot be parsed: expected ${expected}${shown}.` };
}
