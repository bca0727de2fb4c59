import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import type { VerifyInput } from './types';

const TOLERANCE_SECONDS = 300;

/** `X-Slack-Signature: v0=<hex>`: HMAC-SHA256 of `v0:${X-Slack-Request-Timestamp}:${body}`, 300 s tolerance. */
export function verifySlack(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-slack-signature');
  if (!found) return [];
  const [header, value] = found;
  const ts = headerValue(input.headers, 'x-slack-request-timestamp')?.trim();
  if (ts === undefined || !/^\d+$/.test(ts)) {
    return [malformed('slack', header, 'an X-Slack-Request-Timestamp header with Unix seconds next to it', ts)];
  }
  const signature = value.trim().startsWith('v0=') ? decodeDigest(value.trim().slice(3), 'hex', 'sha256') : null;
  if (!signature) return [malformed('slack', header, 'v0=<64 hex characters>', value)];
  return [
    checkHmac(
      {
        provider: 'slack',
        name: 'Slack',
        header,
        algorithm: 'sha256',
        encoding: 'hex',
        signatures: [signature],
        messages: [{ bytes: concatBytes(`v0:${ts}:`, input.body), description: `"v0:" + timestamp + ":" + ${describeBody(input.body)}` }],
        signedAt: { seconds: Number(ts), toleranceSeconds: TOLERANCE_SECONDS },
      },
      input,
    ),
  ];
}
