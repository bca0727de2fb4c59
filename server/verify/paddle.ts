import type { SignatureCheck } from '../../shared/types';
import { checkHmac, describeBody, malformed } from './check';
import { findHeader } from './headers';
import { concatBytes, decodeDigest } from './hmac';
import type { VerifyInput } from './types';

/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>`, HMAC-SHA256 of `${ts}:${body}` keyed with the
 * notification destination's secret key as text. Parsed as `@paddle/paddle-node-sdk` parses it: `;`-separated
 * `name=value` fields, the last ts and h1 win. Stale once more than 5 s old (its default), measured in ms.
 */
export function verifyPaddle(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'paddle-signature');
  if (!found) return [];
  const [header, value] = found;
  const fields = value.trim().split(';').map((f) => f.split('='));
  const last = (name: string) => fields.filter(([n, v]) => n === name && v).at(-1)?.[1] ?? '';
  const ts = last('ts');
  const signature = decodeDigest(last('h1'), 'hex', 'sha256');
  if (!/^\d+$/.test(ts) || !signature) return [malformed('paddle', header, 'ts=<unix seconds>;h1=<64 hex characters>', value)];
  return [
    checkHmac(
      {
        provider: 'paddle',
        name: 'Paddle',
        header,
        algorithm: 'sha256',
        encoding: 'hex',
        signatures: [signature],
        messages: [{ bytes: concatBytes(`${ts}:`, input.body), description: `ts + ":" + ${describeBody(input.body)}` }],
        signedAt: { seconds: Number(ts), toleranceSeconds: 5, pastOnly: true, inMilliseconds: true },
      },
      input,
    ),
  ];
}
