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
  const computed = hmac(check.algorithm, key, first.bytes).toString(check.encoding);
  const others = check.messages.slice(1).map((m) => m.description);
  const parts = [
    `${describeComputation(check, first, keyName)}, is ${computed}; ${describeReceived(check)}: they differ.`,
    others.length > 0 ? `Also tried, without a match: ${others.join('; ')}.` : '',
    check.hint ?? '',
  ];
  return { ...base, status: 'mismatch', message: withTruncation(parts.filter(Boolean).join(' '), input) };
}

/** The first of `check.messages` whose HMAC with `key` equals one of its signatures, compared in constant time. */
export function matchingMessage(
  check: Pick<HmacCheck, 'algorithm' | 'signatures' | 'messages'>,
  key: Buffer | string,
): SignedMessage | undefined {
  return check.messages.find((m) => {
    const digest = hmac(check.algorithm, key, m.bytes);
    return check.signatures.some((s) => safeEqual(digest, s));
  });
}

/** "HMAC-SHA256 of timestamp + body (23 bytes) with the bin's secret, base64". */
export function describeComputation(
  check: Pick<HmacCheck, 'algorithm' | 'encoding'>,
  message: SignedMessage,
  keyName: string,
): string {
  return `${hmacLabel(check.algorithm)} of ${message.description} with ${keyName}, ${check.encoding}`;
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
  const ageSeconds = now / 1000 - signedAt.seconds;
  const possessive = name.endsWith('s') ? `${name}'` : `${name}'s`;
  const tolerance = `outside ${possessive} ${signedAt.toleranceSeconds} s tolerance`;
  if (Math.abs(ageSeconds) <= signedAt.toleranceSeconds) return null;
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
