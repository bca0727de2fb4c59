import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import type { VerifyInput } from './types';

/** A sender with Slack's scheme: `v0=<hex>` over `v0:${timestamp}:${body}`, the timestamp in a header of its own. */
interface SlackStyle {
  provider: string;
  name: string;
  header: string;
  timestampHeader: string;
  /** Either way, as Slack's docs say (`@slack/bolt` lets a future timestamp through; this follows the docs). */
  toleranceSeconds?: number;
}

const SCHEMES: readonly SlackStyle[] = [
  { provider: 'slack', name: 'Slack', header: 'x-slack-signature', timestampHeader: 'X-Slack-Request-Timestamp', toleranceSeconds: 300 },
  // Zoom documents no tolerance.
  { provider: 'zoom', name: 'Zoom', header: 'x-zm-signature', timestampHeader: 'x-zm-request-timestamp' },
];

/** `X-Slack-Signature` and Zoom's `x-zm-signature`: HMAC-SHA256, hex, of `v0:${timestamp}:${body}`. */
export function verifySlackStyle(input: VerifyInput): SignatureCheck[] {
  return SCHEMES.flatMap((scheme) => {
    const found = findHeader(input.headers, scheme.header);
    return found ? [checkSlackStyle(scheme, input, found[0], found[1])] : [];
  });
}

function checkSlackStyle(scheme: SlackStyle, input: VerifyInput, header: string, value: string): SignatureCheck {
  const ts = headerValue(input.headers, scheme.timestampHeader)?.trim();
  if (ts === undefined || !/^\d+$/.test(ts)) {
    return malformed(scheme.provider, header, `an ${scheme.timestampHeader} header with Unix seconds next to it`, ts);
  }
  const [version, hash] = value.trim().split('='); // as @slack/bolt splits it
  const signature = version === 'v0' && hash !== undefined ? decodeDigest(hash, 'hex', 'sha256') : null;
  if (!signature) return malformed(scheme.provider, header, 'v0=<64 hex characters>', value);
  return checkHmac(
    {
      provider: scheme.provider,
      name: scheme.name,
      header,
      algorithm: 'sha256',
      encoding: 'hex',
      signatures: [signature],
      messages: [{ bytes: concatBytes(`v0:${ts}:`, input.body), description: `"v0:" + timestamp + ":" + ${describeBody(input.body)}` }],
      signedAt: scheme.toleranceSeconds === undefined ? undefined : { seconds: Number(ts), toleranceSeconds: scheme.toleranceSeconds },
    },
    input,
  );
}
