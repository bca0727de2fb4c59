import { createHash } from 'node:crypto';
import type { SignatureCheck } from '../../shared/types';
import { checkHmac, malformed } from './check';
import type { SignedMessage } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import { describeUrl, signedUrlHint, signedUrls } from './public-url';
import type { VerifyInput } from './types';

/**
 * `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the auth token, of the public URL followed by the POST
 * parameters sorted by name, each name + value. A JSON body is not signed itself: the URL carries `bodySHA256=`,
 * which must equal the body's SHA-256. Like Twilio's own validator, the URL is also tried with the default port
 * added or removed.
 */
export function verifyTwilio(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-twilio-signature');
  if (!found) return [];
  const [header, value] = found;
  const signature = decodeDigest(value.trim(), 'base64', 'sha1');
  if (!signature) return [malformed('twilio', header, 'base64 of an HMAC-SHA1 (28 base64 characters)', value)];
  const signed = signedUrls(input);
  if (signed.urls.length === 0) {
    return [malformed('twilio', header, 'a Host header or a configured public URL: Twilio signs the URL it sent the request to')];
  }
  const params = formParams(input);
  const messages = signed.urls.flatMap(withPortVariants).map((url) => signedMessage(describeUrl(url, signed), url, params));
  const check = checkHmac(
    {
      provider: 'twilio',
      name: 'Twilio',
      header,
      algorithm: 'sha1',
      encoding: 'base64',
      signatures: [signature],
      messages,
      hint: signedUrlHint('Twilio', signed),
    },
    input,
  );
  return [withBodyHash(check, input, signed.urls[0])];
}

/** The form parameters Twilio signs, as [name, value] sorted by name then value; none for other bodies. */
function formParams(input: VerifyInput): [string, string][] {
  const type = headerValue(input.headers, 'content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded/i.test(type)) return [];
  const pairs = [...new URLSearchParams(input.body.toString('utf8'))];
  return pairs.sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function signedMessage(described: string, url: string, params: [string, string][]): SignedMessage {
  const suffix = params.length > 0 ? ` + the ${params.length} POST parameters (sorted by name, each name + value)` : '';
  return { bytes: concatBytes(url, ...params.flat()), description: `${described}${suffix}` };
}

const AUTHORITY = /^(https?):\/\/([^/:?#]+)(?::(\d+))?(.*)$/is;
const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/** The URL, and the same with the scheme's default port written out or left out (rebuilt by hand: URL would normalise the rest). */
function withPortVariants(url: string): string[] {
  const m = AUTHORITY.exec(url);
  if (!m) return [url];
  const [, scheme, host, port, rest] = m;
  const defaultPort = DEFAULT_PORT[scheme.toLowerCase()];
  if (port === undefined) return [url, `${scheme}://${host}:${defaultPort}${rest}`];
  return port === defaultPort ? [url, `${scheme}://${host}${rest}`] : [url];
}

/** A signature over a URL that carries bodySHA256 only vouches for the body when that hash is the body's. */
function withBodyHash(check: SignatureCheck, input: VerifyInput, url: string): SignatureCheck {
  if (check.status !== 'verified') return check;
  const claimed = URL.canParse(url) ? new URL(url).searchParams.get('bodySHA256') : null;
  if (claimed === null) return check;
  const actual = createHash('sha256').update(input.body).digest('hex');
  if (actual === claimed.toLowerCase()) {
    return { ...check, message: `${check.message} bodySHA256 in the URL is the SHA-256 of the body (${input.body.length} bytes).` };
  }
  const truncated = input.bodyTruncated ? ' (the body was truncated at capture, so this cannot be checked)' : '';
  return {
    ...check,
    status: 'mismatch',
    message: `${check.message} But bodySHA256 in the URL is ${claimed}, and the SHA-256 of the body is ${actual}${truncated}.`,
  };
}
