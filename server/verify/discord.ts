import type { SignatureCheck } from '../../shared/types';
import { describeBody, malformed } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes } from './hmac';
import { checkPublicKey, ed25519Key, p256Key } from './public-key';
import type { VerifyInput } from './types';

const HEX = /^[0-9a-fA-F]+$/;

/**
 * Discord interactions: `X-Signature-Ed25519` (hex) is an Ed25519 signature of `X-Signature-Timestamp` + body,
 * checked with the application's public key (hex, from the Developer Portal). No tolerance. Hex in either case,
 * as `discord-interactions` reads it.
 */
export function verifyDiscord(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-signature-ed25519');
  if (!found) return [];
  const [header, value] = found;
  const ts = headerValue(input.headers, 'x-signature-timestamp');
  if (ts === undefined) return [malformed('discord', header, 'an X-Signature-Timestamp header next to it')];
  const text = value.trim();
  if (text.length !== 128 || !HEX.test(text)) return [malformed('discord', header, '128 hex characters (an Ed25519 signature)', value)];
  return [
    checkPublicKey(
      {
        provider: 'discord',
        name: 'Discord',
        header,
        algorithm: 'Ed25519',
        signatures: [Buffer.from(text, 'hex')],
        message: { bytes: concatBytes(ts, input.body), description: `X-Signature-Timestamp + ${describeBody(input.body)}` },
        parseKey: (key) => (HEX.test(key) ? ed25519Key(Buffer.from(key, 'hex')) : null),
        keyShape: '64 hex characters',
      },
      input,
    ),
  ];
}

/**
 * SendGrid's signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is base64 of a DER ECDSA P-256/SHA-256
 * signature of `X-Twilio-Email-Event-Webhook-Timestamp` + body, checked with the verification key SendGrid shows
 * (base64 of the key's DER, or PEM). No tolerance.
 */
export function verifySendGrid(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-twilio-email-event-webhook-signature');
  if (!found) return [];
  const [header, value] = found;
  const ts = headerValue(input.headers, 'x-twilio-email-event-webhook-timestamp');
  if (ts === undefined) return [malformed('sendgrid', header, 'an X-Twilio-Email-Event-Webhook-Timestamp header next to it')];
  const signature = Buffer.from(value.trim(), 'base64');
  if (signature.length === 0 || signature.toString('base64') !== value.trim()) {
    return [malformed('sendgrid', header, 'base64 of a DER-encoded ECDSA signature', value)];
  }
  return [
    checkPublicKey(
      {
        provider: 'sendgrid',
        name: 'SendGrid',
        header,
        algorithm: 'ECDSA P-256',
        signatures: [signature],
        message: { bytes: concatBytes(ts, input.body), description: `the timestamp header + ${describeBody(input.body)}` },
        parseKey: p256Key,
        keyShape: 'a P-256 public key (base64, as SendGrid shows it, or PEM)',
      },
      input,
    ),
  ];
}
