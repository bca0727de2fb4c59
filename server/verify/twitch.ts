import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import type { VerifyInput } from './types';

/** Twitch tells receivers to reject messages older than 10 minutes. */
const TOLERANCE_SECONDS = 600;

/**
 * Twitch EventSub: `Twitch-Eventsub-Message-Signature: sha256=<hex>`, HMAC-SHA256 of message id + timestamp (RFC 3339,
 * as sent) + body; 600 s tolerance.
 */
export function verifyTwitch(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'twitch-eventsub-message-signature');
  if (!found) return [];
  const [header, value] = found;
  const id = headerValue(input.headers, 'twitch-eventsub-message-id');
  const ts = headerValue(input.headers, 'twitch-eventsub-message-timestamp');
  const signedMs = ts === undefined ? NaN : Date.parse(ts);
  if (id === undefined) return [malformed('twitch', header, 'a Twitch-Eventsub-Message-Id header next to it')];
  if (ts === undefined || Number.isNaN(signedMs)) {
    return [malformed('twitch', header, 'a Twitch-Eventsub-Message-Timestamp header with an RFC 3339 time next to it', ts)];
  }
  const trimmed = value.trim();
  const signature = trimmed.startsWith('sha256=') ? decodeDigest(trimmed.slice(7), 'hex', 'sha256') : null;
  if (!signature) return [malformed('twitch', header, 'sha256=<64 hex characters>', value)];
  return [
    checkHmac(
      {
        provider: 'twitch',
        name: 'Twitch',
        header,
        algorithm: 'sha256',
        encoding: 'hex',
        signatures: [signature],
        messages: [{ bytes: concatBytes(id, ts, input.body), description: `message id + timestamp + ${describeBody(input.body)}` }],
        signedAt: { seconds: signedMs / 1000, toleranceSeconds: TOLERANCE_SECONDS },
      },
      input,
    ),
  ];
}
