import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import type { SignedAt, SignedMessage } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeExact } from './hmac';
import { checkPublicKey, ed25519Key } from './public-key';
import type { VerifyInput } from './types';

const TOLERANCE_SECONDS = 300;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The bin's key for v1a signatures: the sender's Ed25519 public key, `whpk_` + base64. */
export const STANDARD_WEBHOOKS_PUBLIC_KEY = 'standard-webhooks-public-key';

/**
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) and Svix (the same with `svix-`): the
 * header holds space-separated `version,signature` entries over `${id}.${timestamp}.${body}`, and any one valid
 * entry verifies it (the spec; entries that cannot be parsed are skipped, as the `standardwebhooks` library does):
 * - `v1,` base64 HMAC-SHA256 keyed with base64-decode(the bin's secret without `whsec_`);
 * - `v1a,` base64 Ed25519 signature, checked with the bin's public key (`whpk_` + base64).
 * 300 s tolerance either way.
 */
export function verifyStandardWebhooks(input: VerifyInput): SignatureCheck[] {
  return ['webhook-', 'svix-'].flatMap((prefix) => checkFamily(input, prefix));
}

function checkFamily(input: VerifyInput, prefix: string): SignatureCheck[] {
  const found = findHeader(input.headers, `${prefix}signature`);
  if (!found) return [];
  const [header, value] = found;
  const id = headerValue(input.headers, `${prefix}id`)?.trim();
  const ts = headerValue(input.headers, `${prefix}timestamp`)?.trim();
  if (!id) return [malformed('standard-webhooks', header, `a ${prefix}id header next to it`)];
  if (ts === undefined || !/^\d+$/.test(ts)) {
    return [malformed('standard-webhooks', header, `a ${prefix}timestamp header with Unix seconds next to it`, ts)];
  }
  const entries = value.trim().split(' ').map((e) => e.split(','));
  const v1 = decodedEntries(entries, 'v1', 32);
  const v1a = decodedEntries(entries, 'v1a', 64);
  if (v1.length === 0 && v1a.length === 0) {
    return [malformed('standard-webhooks', header, 'space-separated v1,<44 base64 characters> or v1a,<88 base64 characters> entries', value)];
  }
  const message: SignedMessage = {
    bytes: concatBytes(`${id}.${ts}.`, input.body),
    description: `${prefix}id + "." + ${prefix}timestamp + "." + ${describeBody(input.body)}`,
  };
  const signedAt: SignedAt = { seconds: Number(ts), toleranceSeconds: TOLERANCE_SECONDS };
  const checks = [
    ...(v1.length > 0 ? [checkSymmetric(input, header, v1, message, signedAt)] : []),
    ...(v1a.length > 0 ? [checkAsymmetric(input, header, v1a, message, signedAt)] : []),
  ];
  const best = ['verified', 'stale', 'mismatch'].map((s) => checks.find((c) => c.status === s)).find(Boolean);
  if (!best) return [combinedNoKey(header, checks)];
  const unchecked = checks.filter((c) => c !== best && c.status === 'no-secret').map((c) => c.message);
  return [unchecked.length > 0 ? { ...best, message: `${best.message} Not checked: ${unchecked.join(' ')}` } : best];
}

/** The signatures of entries with this version that decode to `length` bytes; others are skipped. */
function decodedEntries(entries: string[][], version: string, length: number): Buffer[] {
  return entries.flatMap(([v, signature]) => {
    const bytes = v === version && signature !== undefined ? decodeExact(signature, 'base64', length) : null;
    return bytes ? [bytes] : [];
  });
}

function checkSymmetric(input: VerifyInput, header: string, signatures: Buffer[], message: SignedMessage, signedAt: SignedAt): SignatureCheck {
  const secret = input.secrets['standard-webhooks'];
  const encoded = secret?.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (encoded !== undefined && !BASE64.test(encoded)) {
    return {
      provider: 'standard-webhooks',
      header,
      status: 'no-secret',
      message: `${header} has v1 signatures, but the bin's Standard Webhooks secret is not base64 (optionally after "whsec_"), so no key can be derived from it.`,
    };
  }
  return checkHmac(
    {
      provider: 'standard-webhooks',
      name: 'Standard Webhooks',
      header,
      algorithm: 'sha256',
      encoding: 'base64',
      signatures,
      messages: [message],
      key: () => Buffer.from(encoded ?? '', 'base64'),
      keyDescription: "the bin's secret (base64-decoded after whsec_)",
      signedAt,
    },
    input,
  );
}

function checkAsymmetric(input: VerifyInput, header: string, signatures: Buffer[], message: SignedMessage, signedAt: SignedAt): SignatureCheck {
  return checkPublicKey(
    {
      provider: 'standard-webhooks',
      name: 'Standard Webhooks',
      header,
      algorithm: 'Ed25519',
      signatures,
      message,
      keyId: STANDARD_WEBHOOKS_PUBLIC_KEY,
      parseKey: (text) => ed25519Key(Buffer.from(text.replace(/^whpk_/, ''), 'base64')),
      keyShape: 'whpk_ followed by the base64 of 32 bytes',
      signedAt,
    },
    input,
  );
}

function combinedNoKey(header: string, checks: SignatureCheck[]): SignatureCheck {
  if (checks.length === 1) return checks[0];
  return {
    provider: 'standard-webhooks',
    header,
    status: 'no-secret',
    message: `${header} carries v1 (HMAC) and v1a (Ed25519) signatures; this bin has neither a Standard Webhooks secret nor a public key: add either to verify it.`,
  };
}
