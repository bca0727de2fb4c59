import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import { findHeader } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import { describeUrl, signedUrlHint, signedUrls } from './public-url';
import type { VerifyInput } from './types';

/** Square: `x-square-hmacsha256-signature` is base64 HMAC-SHA256, keyed with the signature key, of the notification URL + body. */
export function verifySquare(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-square-hmacsha256-signature');
  if (!found) return [];
  const [header, value] = found;
  const signature = decodeDigest(value.trim(), 'base64', 'sha256');
  if (!signature) return [malformed('square', header, 'base64 of an HMAC-SHA256 (44 base64 characters)', value)];
  const signed = signedUrls(input);
  if (signed.urls.length === 0) {
    return [malformed('square', header, 'a Host header or a configured public URL: Square signs the URL it sent the request to')];
  }
  return [
    checkHmac(
      {
        provider: 'square',
        name: 'Square',
        header,
        algorithm: 'sha256',
        encoding: 'base64',
        signatures: [signature],
        messages: signed.urls.map((url) => ({ bytes: concatBytes(url, input.body), description: `${describeUrl(url, signed)} + ${describeBody(input.body)}` })),
        hint: signedUrlHint('Square', signed),
      },
      input,
    ),
  ];
}
