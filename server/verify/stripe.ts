import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import { findHeader } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import type { VerifyInput } from './types';

const TOLERANCE_SECONDS = 300;
const EXPECTED = 't=<unix seconds>,v1=<64 hex characters>[,v1=…]';

/**
 * `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…][,v0=…]`: HMAC-SHA256 of `${t}.${body}` keyed with the whole `whsec_…`
 * string (not decoded), any v1 may match, 300 s tolerance. v0 (test-mode SHA-1 scheme) entries are ignored.
 */
export function verifyStripe(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'stripe-signature');
  if (!found) return [];
  const [header, value] = found;
  const fields = value.split(',').map((f) => {
    const eq = f.indexOf('=');
    return eq < 0 ? { name: f.trim(), value: '' } : { name: f.slice(0, eq).trim(), value: f.slice(eq + 1).trim() };
  });
  const t = fields.find((f) => f.name === 't')?.value ?? '';
  const v1 = fields.filter((f) => f.name === 'v1').map((f) => decodeDigest(f.value, 'hex', 'sha256'));
  if (!/^\d+$/.test(t) || v1.length === 0 || v1.some((s) => s === null)) {
    return [malformed('stripe', header, EXPECTED, value)];
  }
  return [
    checkHmac(
      {
        provider: 'stripe',
        name: 'Stripe',
        header,
        algorithm: 'sha256',
        encoding: 'hex',
        signatures: v1 as Buffer[],
        messages: [{ bytes: concatBytes(`${t}.`, input.body), description: `t + "." + ${describeBody(input.body)}` }],
        signedAt: { seconds: Number(t), toleranceSeconds: TOLERANCE_SECONDS },
      },
      input,
    ),
  ];
}
