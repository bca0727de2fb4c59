import { createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { SignatureCheck } from '../../shared/types';
import { describeStaleness, fingerprint, withTruncation } from './check';
import type { SignedAt, SignedMessage } from './check';
import type { VerifyInput } from './types';

/** The public-key signatures webhook senders use: Ed25519, and ECDSA over P-256 with SHA-256 (DER-encoded). */
export type PublicKeyAlgorithm = 'Ed25519' | 'ECDSA P-256';

/** A signature header checked with the sender's public key, which the bin holds like a secret. */
export interface PublicKeyCheck {
  /** SignatureCheck.provider. */
  provider: string;
  /** Display name, e.g. "Discord". */
  name: string;
  header: string;
  algorithm: PublicKeyAlgorithm;
  /** The signatures the header carries, decoded; at least one. */
  signatures: readonly Buffer[];
  message: SignedMessage;
  /** The id under which the bin holds the key; by default `provider`. */
  keyId?: string;
  /** The key from its text as the provider shows it; null when it is not such a key. */
  parseKey: (text: string) => KeyObject | null;
  /** What the key looks like, for a message, e.g. "64 hex characters". */
  keyShape: string;
  signedAt?: SignedAt;
}

/** A check with the bin's public key: no-secret without a usable key, else verified, stale or mismatch. */
export function checkPublicKey(check: PublicKeyCheck, input: VerifyInput): SignatureCheck {
  const base = { provider: check.provider, header: check.header };
  const text = input.secrets[check.keyId ?? check.provider];
  if (!text) return { ...base, status: 'no-secret', message: noPublicKey(check) };
  const key = check.parseKey(text.trim());
  if (!key) {
    const message = `${check.header} is present, but the bin's ${check.name} public key is not ${check.keyShape}: set the key as ${check.name} shows it.`;
    return { ...base, status: 'no-secret', message };
  }
  const computation = `${check.algorithm} signature over ${check.message.description}`;
  const keyName = `the bin's ${check.name} public key`;
  if (check.signatures.some((s) => verifies(check.algorithm, key, check.message.bytes, s))) {
    const late = check.signedAt && describeStaleness(check.signedAt, input.now, check.name);
    const verified = { ...base, secretSource: 'bin' as const };
    if (late) return { ...verified, status: 'stale', message: `Signature verifies, but ${late}: ${computation}, with ${keyName}.` };
    return { ...verified, status: 'verified', message: `${computation} in ${check.header} verifies with ${keyName}.` };
  }
  const count = check.signatures.length === 1 ? `The ${computation}` : `None of the ${check.signatures.length} signatures`;
  const message = `${count} in ${check.header} verifies with ${keyName} (${fingerprint(text.trim())}): the body, the signed headers or the key differ.`;
  return { ...base, secretSource: 'bin', status: 'mismatch', message: withTruncation(message, input) };
}

function noPublicKey(check: PublicKeyCheck): string {
  return `${check.header} is present, but this bin has no ${check.name} public key: add it to the bin's signing secrets (a public key is set like a secret) to verify the signature.`;
}

function verifies(algorithm: PublicKeyAlgorithm, key: KeyObject, message: Buffer, signature: Buffer): boolean {
  try {
    return algorithm === 'Ed25519'
      ? verify(null, message, key, signature)
      : verify('sha256', message, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false; // a signature that is not even DER
  }
}

/** An Ed25519 public key from its 32 raw bytes; null for any other length. */
export function ed25519Key(raw: Buffer): KeyObject | null {
  if (raw.length !== 32) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** A P-256 public key from PEM, or from base64 of its DER (SubjectPublicKeyInfo), as SendGrid shows it. */
export function p256Key(text: string): KeyObject | null {
  try {
    const key = text.startsWith('-----BEGIN')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : null;
  } catch {
    return null;
  }
}
