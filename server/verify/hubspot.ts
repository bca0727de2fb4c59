import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import type { SignedMessage } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import { describeUrl, signedUrlHint, signedUrls } from './public-url';
import type { VerifyInput } from './types';

const TOLERANCE_SECONDS = 300;
/** HubSpot's docs say these escapes are decoded in the signed URI; its own Node client signs the URL as it is. */
const DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

/**
 * HubSpot v3: `X-HubSpot-Signature-v3` is base64 HMAC-SHA256, keyed with the app's client secret, of method + public
 * URL + body + `X-HubSpot-Request-Timestamp` (ms); 300 s tolerance. The URL is tried as sent and with the escapes
 * HubSpot's docs list decoded. The older v1/v2 `X-HubSpot-Signature` (plain SHA-256, no HMAC) is not checked.
 */
export function verifyHubSpot(input: VerifyInput): SignatureCheck[] {
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
  const urls = [...new Set(signed.urls.flatMap((u) => [u, u.replace(/%[0-9A-F]{2}/gi, (e) => DECODED[e.toUpperCase()] ?? e)]))];
  const messages = urls.map((url): SignedMessage => ({
    bytes: concatBytes(input.method, url, input.body, ts),
    description: `method + ${describeUrl(url, signed)} + ${describeBody(input.body)} + timestamp`,
  }));
  return [
    checkHmac(
      {
        provider: 'hubspot',
        name: 'HubSpot',
        header,
        algorithm: 'sha256',
        encoding: 'base64',
        signatures: [signature],
        messages,
        signedAt: { seconds: Number(ts) / 1000, toleranceSeconds: TOLERANCE_SECONDS },
        hint: signedUrlHint('HubSpot', signed),
      },
      input,
    ),
  ];
}
