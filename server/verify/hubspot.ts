import { createHash } from 'node:crypto';
import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import type { HmacCheck, SignedMessage } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import { describeUrl, signedUrlHint, signedUrls } from './public-url';
import type { SignedUrls } from './public-url';
import type { VerifyInput } from './types';

const TOLERANCE_SECONDS = 300;
/** HubSpot's docs say these escapes are decoded in the signed URI; its own Node client signs the URL as it is. */
const DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

/**
 * HubSpot's three schemes, all with the app's client secret:
 * - v3: `X-HubSpot-Signature-v3` is base64 HMAC-SHA256 of method + public URL + body + `X-HubSpot-Request-Timestamp`
 *   (ms); stale over 300 s old (a future time is not, as in `@hubspot/api-client`). The URL is tried as sent and
 *   with the escapes HubSpot's docs list decoded.
 * - v1 and v2 (`X-HubSpot-Signature`, with `X-HubSpot-Signature-Version`; v1 when absent): hex SHA-256, not an
 *   HMAC, of the secret + body (v1) or the secret + method + URL + body (v2). No timestamp.
 */
export function verifyHubSpot(input: VerifyInput): SignatureCheck[] {
  return [...verifyV3(input), ...verifyV1V2(input)];
}

function verifyV3(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-hubspot-signature-v3');
  if (!found) return [];
  const [header, value] = found;
  const ts = headerValue(input.headers, 'x-hubspot-request-timestamp')?.trim();
  if (ts === undefined || !/^\d+$/.test(ts)) {
    return [malformed('hubspot', header, 'an X-HubSpot-Request-Timestamp header with Unix milliseconds next to it', ts)];
  }
  const signature = decodeDigest(value.trim(), 'base64', 'sha256');
  if (!signature) return [malformed('hubspot', header, 'base64 of an HMAC-SHA256 (44 base64 characters)', value)];
  const signed = signedUrls(input);
  if (signed.urls.length === 0) {
    return [malformed('hubspot', header, 'a Host header or a configured public URL: HubSpot signs the URL it sent the request to')];
  }
  return [
    hubSpotCheck(input, {
      header,
      encoding: 'base64',
      signatures: [signature],
      messages: urlMessages(input, signed, ts),
      signedAt: { seconds: Number(ts) / 1000, toleranceSeconds: TOLERANCE_SECONDS, pastOnly: true, inMilliseconds: true },
      hint: signedUrlHint('HubSpot', signed),
    }),
  ];
}

type HubSpotFields = Pick<HmacCheck, 'header' | 'encoding' | 'signatures' | 'messages' | 'signedAt' | 'digest' | 'hint'>;

function hubSpotCheck(input: VerifyInput, fields: HubSpotFields): SignatureCheck {
  return checkHmac({ provider: 'hubspot', name: 'HubSpot', algorithm: 'sha256', ...fields }, input);
}

/** method + URL + body (+ timestamp for v3), for each URL the request may have been sent to. */
function urlMessages(input: VerifyInput, signed: SignedUrls, ts = ''): SignedMessage[] {
  return withDecodedEscapes(signed.urls).map((url) => ({
    bytes: concatBytes(input.method, url, input.body, ts),
    description: `method + ${describeUrl(url, signed)} + ${describeBody(input.body)}${ts ? ' + timestamp' : ''}`,
  }));
}

function withDecodedEscapes(urls: string[]): string[] {
  return [...new Set(urls.flatMap((u) => [u, u.replace(/%[0-9A-F]{2}/gi, (e) => DECODED[e.toUpperCase()] ?? e)]))];
}

const SHA256 = { label: 'SHA-256', compute: (key: Buffer | string, message: Buffer) => createHash('sha256').update(key).update(message).digest() };

function verifyV1V2(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-hubspot-signature');
  if (!found) return [];
  const [header, value] = found;
  const version = headerValue(input.headers, 'x-hubspot-signature-version')?.trim() || 'v1';
  if (version !== 'v1' && version !== 'v2') {
    return [malformed('hubspot', header, 'X-HubSpot-Signature-Version v1 or v2 next to it', version)];
  }
  const signature = decodeDigest(value.trim(), 'hex', 'sha256');
  if (!signature) return [malformed('hubspot', header, '64 hex characters (a SHA-256)', value)];
  const signed = signedUrls(input);
  if (version === 'v2' && signed.urls.length === 0) {
    return [malformed('hubspot', header, 'a Host header or a configured public URL: HubSpot v2 signs the URL it sent the request to')];
  }
  const messages: SignedMessage[] = version === 'v1'
    ? [{ bytes: input.body, description: describeBody(input.body) }]
    : urlMessages(input, signed);
  return [
    hubSpotCheck(input, {
      header,
      encoding: 'hex',
      signatures: [signature],
      messages,
      digest: SHA256,
      hint: version === 'v2' ? signedUrlHint('HubSpot', signed) : undefined,
    }),
  ];
}
