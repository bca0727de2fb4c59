import type { HeaderPair, SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import type { SignedAt } from './check';
import { findHeader } from './headers';
import { decodeDigest, digestShape } from './hmac';
import type { DigestEncoding, HmacAlgorithm } from './hmac';
import type { VerifyInput } from './types';

/** A provider that signs the raw body alone with an HMAC of the bin's secret (as UTF-8) and sends it in one header. */
export interface RawBodyScheme {
  provider: string;
  name: string;
  /** The signature header, any case. */
  header: string;
  algorithm: HmacAlgorithm;
  encoding: DigestEncoding;
  /** In front of each signature, e.g. "sha256=". */
  prefix?: string;
  /** Between several signatures, e.g. "," for PagerDuty; entries without the prefix are then skipped (other versions). */
  separator?: string;
  /** The signed time when the provider has one (in the body, for Linear). */
  signedAt?: (input: VerifyInput) => SignedAt | undefined;
}

/** Checks one header of a raw-body scheme: malformed when it has no well-formed signature, else as `checkHmac`. */
export function checkRawBody(scheme: RawBodyScheme, input: VerifyInput, [header, value]: HeaderPair): SignatureCheck {
  const prefix = scheme.prefix ?? '';
  const entries = scheme.separator ? value.split(scheme.separator).map((s) => s.trim()) : [value.trim()];
  // Entries that are not a signature of this scheme (other versions, garbage) are skipped; one must remain.
  const signatures = entries.flatMap((e) => {
    const signature = e.startsWith(prefix) ? decodeDigest(e.slice(prefix.length), scheme.encoding, scheme.algorithm) : null;
    return signature ? [signature] : [];
  });
  if (signatures.length === 0) {
    const several = scheme.separator ? `, several separated by "${scheme.separator}"` : '';
    const expected = `${prefix}<${digestShape(scheme.encoding, scheme.algorithm)}>${several}`;
    return malformed(scheme.provider, header, expected, value);
  }
  return checkHmac(
    {
      provider: scheme.provider,
      name: scheme.name,
      header,
      algorithm: scheme.algorithm,
      encoding: scheme.encoding,
      signatures,
      messages: [{ bytes: input.body, description: describeBody(input.body) }],
      signedAt: scheme.signedAt?.(input),
    },
    input,
  );
}

/**
 * Linear puts the signed time in the body, as `webhookTimestamp` in ms; its SDK allows 60 s either way and rejects a
 * body without one, even when the signature matches.
 */
function linearSignedAt(input: VerifyInput): SignedAt | undefined {
  if (input.bodyTruncated) return undefined;
  const ms = webhookTimestamp(input.body);
  if (typeof ms === 'number' && Number.isFinite(ms)) return { seconds: ms / 1000, toleranceSeconds: 60, inMilliseconds: true };
  return { seconds: NaN, toleranceSeconds: 60, missing: "the body has no numeric webhookTimestamp, which Linear's SDK requires" };
}

function webhookTimestamp(body: Buffer): unknown {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).webhookTimestamp : undefined;
  } catch {
    return undefined;
  }
}

/** The raw-body providers with a header of their own (GitHub's family shares one: see github.ts). */
export const RAW_BODY_SCHEMES: readonly RawBodyScheme[] = [
  { provider: 'shopify', name: 'Shopify', header: 'x-shopify-hmac-sha256', algorithm: 'sha256', encoding: 'base64' },
  {
    provider: 'linear',
    name: 'Linear',
    header: 'linear-signature',
    algorithm: 'sha256',
    encoding: 'hex',
    signedAt: linearSignedAt,
  },
  { provider: 'typeform', name: 'Typeform', header: 'typeform-signature', algorithm: 'sha256', encoding: 'base64', prefix: 'sha256=' },
  {
    provider: 'pagerduty',
    name: 'PagerDuty',
    header: 'x-pagerduty-signature',
    algorithm: 'sha256',
    encoding: 'hex',
    prefix: 'v1=',
    separator: ',',
  },
];

/** Checks every header of RAW_BODY_SCHEMES that the request carries. */
export function verifyRawBodySchemes(input: VerifyInput): SignatureCheck[] {
  return RAW_BODY_SCHEMES.flatMap((scheme) => {
    const found = findHeader(input.headers, scheme.header);
    return found ? [checkRawBody(scheme, input, found)] : [];
  });
}
