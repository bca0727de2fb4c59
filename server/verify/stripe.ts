import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import type { SignedAt } from './check';
import { findHeader } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import type { VerifyInput } from './types';

/** A sender with Stripe's header, `t=<unix>,v1=<hex>[,v1=…]`, signing `${t}.${body}` (Stripe itself, Calendly). */
interface StripeStyle {
  provider: string;
  name: string;
  header: string;
  /** How old `t` may be; a future one is never stale (as in `stripe` and Calendly's example). */
  tolerance: Pick<SignedAt, 'toleranceSeconds' | 'inMilliseconds'>;
}

const STRIPE: StripeStyle = { provider: 'stripe', name: 'Stripe', header: 'stripe-signature', tolerance: { toleranceSeconds: 300 } };
/** Calendly's docs compare in milliseconds and allow three minutes. */
const CALENDLY: StripeStyle = {
  provider: 'calendly',
  name: 'Calendly',
  header: 'calendly-webhook-signature',
  tolerance: { toleranceSeconds: 180, inMilliseconds: true },
};

/**
 * `Stripe-Signature` and `Calendly-Webhook-Signature`: HMAC-SHA256 of `${t}.${body}` keyed with the secret as text
 * (Stripe's whole `whsec_…` string, not decoded), any v1 may match. Parsed as `stripe` parses it: comma-separated
 * `name=value` fields, names exact, the last `t` wins; v1 entries that are not 64 lowercase hex characters are
 * skipped; v0 (Stripe's test-mode SHA-1) entries are ignored.
 */
export function verifyStripeStyle(input: VerifyInput): SignatureCheck[] {
  return [STRIPE, CALENDLY].flatMap((scheme) => {
    const found = findHeader(input.headers, scheme.header);
    return found ? [checkStripeStyle(scheme, input, found[0], found[1])] : [];
  });
}

function checkStripeStyle(scheme: StripeStyle, input: VerifyInput, header: string, value: string): SignatureCheck {
  const fields = value.trim().split(',').map((f) => f.split('='));
  const t = fields.filter(([name]) => name === 't').at(-1)?.[1] ?? '';
  const v1 = fields.flatMap(([name, text]) => {
    const signature = name === 'v1' && text !== undefined ? decodeDigest(text, 'hex', 'sha256') : null;
    return signature ? [signature] : [];
  });
  if (!/^\d+$/.test(t) || v1.length === 0) {
    return malformed(scheme.provider, header, 't=<unix seconds>,v1=<64 hex characters>[,v1=…]', value);
  }
  return checkHmac(
    {
      provider: scheme.provider,
      name: scheme.name,
      header,
      algorithm: 'sha256',
      encoding: 'hex',
      signatures: v1,
      messages: [{ bytes: concatBytes(`${t}.`, input.body), description: `t + "." + ${describeBody(input.body)}` }],
      signedAt: { seconds: Number(t), pastOnly: true, ...scheme.tolerance },
    },
    input,
  );
}
