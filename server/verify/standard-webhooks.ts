import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import type { VerifyInput } from './types';

const TOLERANCE_SECONDS = 300;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) and Svix (the same with `svix-`):
 * HMAC-SHA256 of `${id}.${timestamp}.${body}`, keyed with base64-decode(secret without `whsec_`), base64; the header
 * holds space-separated `v1,<base64>` entries, any may match; 300 s tolerance. `v1a,` (Ed25519) entries are skipped:
 * they need the sender's public key. Both use the bin's "standard-webhooks" secret.
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
  const entries = value.trim().split(/\s+/);
  const v1 = entries.filter((e) => e.startsWith('v1,')).map((e) => decodeDigest(e.slice(3), 'base64', 'sha256'));
  if (v1.length === 0 && entries.some((e) => e.startsWith('v1a,'))) {
    return [{
      provider: 'standard-webhooks',
      header,
      status: 'no-secret',
      message: `${header} carries only v1a (Ed25519) signatures; checking them needs the sender's public key, which hooklens does not hold.`,
    }];
  }
  if (v1.length === 0 || v1.some((s) => s === null)) {
    return [malformed('standard-webhooks', header, 'space-separated v1,<44 base64 characters> entries', value)];
  }
  const secret = input.secrets['standard-webhooks'];
  const encoded = secret?.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (encoded && !BASE64.test(encoded)) {
    return [{
      provider: 'standard-webhooks',
      header,
      status: 'no-secret',
      message: `${header} is present, but the bin's Standard Webhooks secret is not base64 (optionally after "whsec_"), so no key can be derived from it.`,
    }];
  }
  return [
    checkHmac(
      {
        provider: 'standard-webhooks',
        name: 'Standard Webhooks',
        header,
        algorithm: 'sha256',
        encoding: 'base64',
        signatures: v1 as Buffer[],
        messages: [{
          bytes: concatBytes(`${id}.${ts}.`, input.body),
          description: `${prefix}id + "." + ${prefix}timestamp + "." + ${describeBody(input.body)}`,
        }],
        key: () => Buffer.from(encoded ?? '', 'base64'),
        keyDescription: "the bin's secret (base64-decoded after whsec_)",
        signedAt: { seconds: Number(ts), toleranceSeconds: TOLERANCE_SECONDS },
      },
      input,
    ),
  ];
}
