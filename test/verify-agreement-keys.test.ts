/**
 * The public-key schemes against their official verifiers: Discord (Ed25519, `discord-interactions`) and SendGrid
 * (ECDSA P-256, `@sendgrid/eventwebhook`), over seeded, generated deliveries signed with real key pairs: valid
 * ones, and ones signed by another key, with a changed body or timestamp, or a mangled signature header.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { verifyKey } from 'discord-interactions';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { assertAgreement, deliveries, mangled, NOW, oneIn, oursFor } from './helpers/agreement';

/** Hex as Discord sends it: pairs of hex digits. */
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Fixed keys, so that a run is reproducible: Ed25519 from a 32-byte seed (its signatures are deterministic too);
 * P-256 test keys made for this file (ECDSA signing stays randomised, so SendGrid's signature bytes vary by run).
 */
function ed25519Pair(seed: number): { publicHex: string; privateKey: KeyObject } {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, seed)]);
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return { publicHex: createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'), privateKey };
}

const P256_KEYS = [
  { kty: 'EC', crv: 'P-256', x: 'RVC1c2DV0wHLleyq5JYRSqlI5BWzi4ethbaAuZ7AopI', y: 'hkCPelKAcq_P8UfTT90rnTUpDeTdtURVNgjOv-Ver-I', d: 'st_P0PMV30r-Ytu0kBo85A7T2WilcqG6aWEmw2fkKz4' },
  { kty: 'EC', crv: 'P-256', x: 'OkQSGnl7_CifGTzzARup4M8txieizRl-l_2ld6atbLY', y: 'r9f644VXg_oyhcXidlfmZQ2c__uF1eKD_pJGT8XCiOc', d: 'gl-HmyBgGA7mD96iZlUvaxuJm5MTCBFwHeODthulmdo' },
];

function p256Pair(index: number): { publicKey: KeyObject; privateKey: KeyObject } {
  const privateKey = createPrivateKey({ key: P256_KEYS[index], format: 'jwk' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

describe('Discord agrees with discord-interactions verifyKey', () => {
  it('2000 deliveries', async () => {
    const [mine, theirs] = [ed25519Pair(7), ed25519Pair(11)];
    const cases = fc.record({ d: deliveries(fc.constant('unused'), 0), otherKey: oneIn(6), tsChanged: oneIn(8) }).chain(({ d, otherKey, tsChanged }) => {
      const ts = String(Math.floor((NOW - d.ageMs) / 1000));
      const signature = sign(null, Buffer.from(ts + d.body), (otherKey ? theirs : mine).privateKey).toString('hex');
      return fc.record({ body: fc.constant(d.received), ts: fc.constant(tsChanged ? `${ts}1` : ts), signature: mangled(signature) });
    });
    await assertAgreement(cases, async ({ body, ts, signature }) => {
      const library = await verifyKey(body, signature.trim(), ts, mine.publicHex);
      // Discord sends hex; the library reads each pair with parseInt, so a non-hex character can stand for a digit,
      // and an odd length reads its last digit alone ("…b5" + "0" for "…b500").
      const spec = library && !HEX.test(signature.trim()) ? { accepts: false, why: 'signature is not hex pairs' } : undefined;
      const headers: [string, string][] = [['X-Signature-Ed25519', signature], ['X-Signature-Timestamp', ts]];
      return { ours: oursFor(headers, body, { discord: mine.publicHex }), library, spec };
    });
  });
});

describe('SendGrid agrees with @sendgrid/eventwebhook', () => {
  it('1000 deliveries (its verifier is pure-JS ECDSA, a few ms a case)', async () => {
    const [mine, theirs] = [p256Pair(0), p256Pair(1)];
    const publicKey = mine.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const webhook = new EventWebhook();
    const key = webhook.convertPublicKeyToECDSA(publicKey);
    const cases = fc.record({ d: deliveries(fc.constant('unused'), 0), otherKey: oneIn(6) }).chain(({ d, otherKey }) => {
      const ts = String(Math.floor((NOW - d.ageMs) / 1000));
      const signature = sign('sha256', Buffer.from(ts + d.body), (otherKey ? theirs : mine).privateKey).toString('base64');
      return fc.record({ body: fc.constant(d.received), ts: fc.constant(ts), signature: mangled(signature) });
    });
    await assertAgreement(cases, ({ body, ts, signature }) => {
      let library: boolean;
      try {
        library = webhook.verifySignature(key, body, signature.trim(), ts);
      } catch {
        library = false;
      }
      // SendGrid sends base64; the library's decoder skips what follows the padding and characters outside it.
      const canonical = Buffer.from(signature.trim(), 'base64').toString('base64') === signature.trim();
      const spec = library && !canonical ? { accepts: false, why: 'signature is not base64' } : undefined;
      const headers: [string, string][] = [['X-Twilio-Email-Event-Webhook-Signature', signature], ['X-Twilio-Email-Event-Webhook-Timestamp', ts]];
      return { ours: oursFor(headers, body, { sendgrid: publicKey }), library, spec };
    }, 1000);
  });
});
