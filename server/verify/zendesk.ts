import type { SignatureCheck } from '../../shared/types';
import { describeBody, describeComputation, fingerprint, malformed, matchingMessage, withTruncation } from './check';
import type { SignedMessage } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeDigest, hmac } from './hmac';
import type { VerifyInput } from './types';

/** The public secret Zendesk signs webhook-builder test deliveries with, used as that literal string. */
export const ZENDESK_TEST_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

interface ZendeskKey {
  source: 'bin' | 'zendesk-test-secret';
  key: string;
  name: string;
}

/**
 * `x-zendesk-webhook-signature`: base64 HMAC-SHA256 of timestamp + body, keyed with the secret as UTF-8 text (it looks
 * like base64 but is not decoded). The bin's secret is tried first, then Zendesk's public test secret, always; a
 * test-secret match is verified with secretSource "zendesk-test-secret". When nothing matches, the message says
 * whether the legacy body + timestamp order would have. Without a bin secret a failure is no-secret. No tolerance.
 */
export function verifyZendesk(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-zendesk-webhook-signature');
  if (!found) return [];
  const [header, value] = found;
  const ts = headerValue(input.headers, 'x-zendesk-webhook-signature-timestamp');
  if (ts === undefined) {
    return [malformed('zendesk', header, 'an x-zendesk-webhook-signature-timestamp header next to it (Zendesk signs timestamp + body)')];
  }
  const signature = decodeDigest(value.trim(), 'base64', 'sha256');
  if (!signature) return [malformed('zendesk', header, 'base64 of an HMAC-SHA256 (44 base64 characters)', value)];

  const shape = { algorithm: 'sha256', encoding: 'base64', signatures: [signature] } as const;
  const current: SignedMessage = { bytes: concatBytes(ts, input.body), description: `timestamp + ${describeBody(input.body)}` };
  const binSecret = input.secrets.zendesk;
  const keys: ZendeskKey[] = [
    // A bin secret equal to the public test secret proves no more than the test secret does.
    ...(binSecret && binSecret !== ZENDESK_TEST_SECRET ? [{ source: 'bin' as const, key: binSecret, name: "the bin's secret" }] : []),
    { source: 'zendesk-test-secret', key: ZENDESK_TEST_SECRET, name: "Zendesk's public test secret" },
  ];

  for (const k of keys) {
    if (!matchingMessage({ ...shape, messages: [current] }, k.key)) continue;
    const test = k.source === 'zendesk-test-secret' ? ': a test delivery from Zendesk\'s webhook builder' : '';
    const message = `${describeComputation(shape, current, k.name)}, matches ${header}${test}.`;
    return [{ provider: 'zendesk', header, status: 'verified', secretSource: k.source, message }];
  }

  // Only now: most deliveries match in the current order.
  const legacy: SignedMessage = { bytes: concatBytes(input.body, ts), description: `${describeBody(input.body)} + timestamp` };
  const legacyKey = keys.find((k) => matchingMessage({ ...shape, messages: [legacy] }, k.key));
  const legacyNote = legacyKey
    ? `The legacy order, ${legacy.description} with ${legacyKey.name}, would have matched: the sender follows an old Zendesk ` +
      'event-connectors page (body + timestamp); Zendesk itself signs timestamp + body.'
    : 'The legacy order, body + timestamp, does not match either.';
  const [first] = keys;
  const computed = hmac('sha256', first.key, current.bytes).toString('base64');
  const keyName = first.source === 'bin' ? `${first.name} (${fingerprint(first.key)})` : first.name;
  const computation = `${describeComputation(shape, current, keyName)}, is ${computed}; ${header} has ${value.trim()}`;
  const webhookId = headerValue(input.headers, 'x-zendesk-webhook-id');
  const which =
    "Zendesk signs test deliveries from the webhook builder (Test webhook) with its public test secret, and a saved webhook's " +
    `deliveries with that webhook's own signing secret${webhookId ? ` (this came from webhook ${webhookId})` : ''}`;
  if (first.source === 'bin') {
    const message =
      `${computation}: they differ. Zendesk's public test secret does not match either. ${which}: check that the bin holds ` +
      `the secret of the webhook that sent this (Admin Center › Webhooks › the webhook › Reveal secret). ${legacyNote}`;
    return [{ provider: 'zendesk', header, status: 'mismatch', secretSource: 'bin', message: withTruncation(message, input) }];
  }
  if (input.bodyTruncated) {
    // No secret can make a truncated body verify: say what would, rather than asking for a secret.
    const message = `${computation}: they differ over the stored bytes, which proves nothing about the whole body.`;
    return [{ provider: 'zendesk', header, status: 'mismatch', secretSource: 'zendesk-test-secret', message: withTruncation(message, input) }];
  }
  const message =
    `${computation}: the public test secret does not match, so this is not a test delivery from the webhook builder. ` +
    `${which}: set that secret on this bin to verify it. ${legacyNote}`;
  return [{ provider: 'zendesk', header, status: 'no-secret', message: withTruncation(message, input) }];
}
