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
  const candidates = scheme.separator ? entries.filter((e) => e.startsWith(prefix)) : entries;
  const signatures = candidates.map((e) =>
    e.startsWith(prefix) ? decodeDigest(e.slice(prefix.length), scheme.encoding, scheme.algorithm) : null,
  );
  if (signatures.length === 0 || signatures.some((s) => s === null)) {
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
      signatures: signatures as Buffer[],
      messages: [{ bytes: input.body, description: describeBody(input.body) }],
      signedAt: scheme.signedAt?.(input),
    },
    input,
  );
}

/** Linear puts the signed time in the body, as `webhookTimestamp` in ms; its SDK allows 60 s. */
function linearSignedAt(input: VerifyInput): SignedAt | undefined {
  if (input.bodyTruncated) return undefined;
  try {
    const parsed: unknown = JSON.parse(input.body.toString('utf8'));
    const ms = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).webhookTimestamp : undefined;
    return typeof ms === 'number' ? { seconds: ms / 1000, toleranceSeconds: 60 } : undefined;
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
