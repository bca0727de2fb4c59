import { createHash } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import type { SignatureCheck } from '../../shared/types';
import { checkHmac, malformed } from './check';
import type { SignedMessage } from './check';
import { findHeader, headerValue } from './headers';
import { concatBytes, decodeDigest, digestShape } from './hmac';
import type { HmacAlgorithm } from './hmac';
import { describeUrl, signedUrlHint, signedUrls } from './public-url';
import type { VerifyInput } from './types';

const ALGORITHMS: Record<string, HmacAlgorithm> = { HMAC_SHA1: 'sha1', HMAC_SHA256: 'sha256' };

/**
 * `X-Twilio-Signature`: base64 HMAC, keyed with the auth token (or a webhook shared key), of the public URL followed
 * by the POST parameters sorted by name, each name + value, identical pairs once. SHA-1, or the algorithm that
 * `X-Twilio-Webhooks-Signature-Settings` names (`algorithm=HMAC_SHA256`). A JSON body is not signed itself: the URL
 * carries `bodySHA256=`, which must equal the body's SHA-256. Like `twilio`'s validateRequest, the URL is tried as
 * received with the default port added or removed, then as `new URL()` normalises it, with and without the legacy
 * query-string encoding.
 */
export function verifyTwilio(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-twilio-signature');
  if (!found) return [];
  const [header, value] = found;
  const named = signatureAlgorithm(headerValue(input.headers, 'x-twilio-webhooks-signature-settings') ?? '');
  const algorithm = ALGORITHMS[named.toUpperCase()];
  if (!algorithm) return [malformed('twilio', header, 'X-Twilio-Webhooks-Signature-Settings to name HMAC_SHA1 or HMAC_SHA256', named)];
  const signature = decodeDigest(value.trim(), 'base64', algorithm);
  if (!signature) return [malformed('twilio', header, `base64 of an ${algorithm === 'sha1' ? 'HMAC-SHA1' : 'HMAC-SHA256'} (${digestShape('base64', algorithm)})`, value)];
  const signed = signedUrls(input);
  if (signed.urls.length === 0) {
    return [malformed('twilio', header, 'a Host header or a configured public URL: Twilio signs the URL it sent the request to')];
  }
  const params = formParams(input);
  const urls = [...new Set(signed.urls.flatMap(urlVariants))];
  const messages = urls.map((url) => signedMessage(describeUrl(url, signed), url, params));
  const check = checkHmac(
    {
      provider: 'twilio',
      name: 'Twilio',
      header,
      algorithm,
      encoding: 'base64',
      signatures: [signature],
      messages,
      hint: signedUrlHint('Twilio', signed),
    },
    input,
  );
  return [withBodyHash(check, input, signed.urls[0])];
}

/** The algorithm `X-Twilio-Webhooks-Signature-Settings` names (`key=…,algorithm=HMAC_SHA256`); HMAC_SHA1 when none. */
function signatureAlgorithm(settings: string): string {
  for (const part of settings.split(',')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq).trim() === 'algorithm' && part.slice(eq + 1).trim()) return part.slice(eq + 1).trim();
  }
  return 'HMAC_SHA1';
}

/** The form parameters Twilio signs, as [name, value] sorted by name then value, identical pairs once; none for other bodies. */
function formParams(input: VerifyInput): [string, string][] {
  const type = headerValue(input.headers, 'content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded/i.test(type)) return [];
  const pairs = [...new URLSearchParams(input.body.toString('utf8'))];
  const unique = [...new Map(pairs.map((p) => [JSON.stringify(p), p])).values()];
  return unique.sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)));
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

/** The URLs `twilio`'s validateRequest tries for one received URL, in its order. */
function urlVariants(url: string): string[] {
  const received = withPortVariants(url);
  if (!URL.canParse(url)) return received;
  const normalised = withPortVariants(new URL(url).toString());
  return [...received, ...normalised, ...normalised.map(withLegacyQuery)];
}

/** The query re-encoded as Node's legacy querystring module does, for senders that signed an escaped form. */
function withLegacyQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || q === url.length - 1) return url;
  return `${url.slice(0, q)}?${stringifyQuery(parseQuery(url.slice(q + 1)))}`;
}

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
