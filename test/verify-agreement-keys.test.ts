/**
 * The public-key schemes against their official verifiers: Discord (Ed25519, `discord-interactions`) and SendGrid
 * (ECDSA P-256, `@sendgrid/eventwebhook`), over seeded, generated deliveries signed with real key pairs: valid
 * ones, and ones signed by another key, with a changed body or timestamp, or a mangled signature header.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { verifyKey } from 'discord-interactions';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { assertAgreement, deliveries, mangled, NOW, oneIn, oursFor } from './helpers/agreement';

const HEX = /^[0-9a-fA-F]*$/;

function ed25519Pair(): { publicHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicHex: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'), privateKey };
}

describe('Discord agrees with discord-interactions verifyKey', () => {
  it('2000 deliveries', async () => {
    const [mine, theirs] = [ed25519Pair(), ed25519Pair()];
    const cases = fc.record({ d: deliveries(fc.constant('unused'), 0), otherKey: oneIn(6), tsChanged: oneIn(8) }).chain(({ d, otherKey, tsChanged }) => {
      const ts = String(Math.floor((NOW - d.ageMs) / 1000));
      const signature = sign(null, Buffer.from(ts + d.body), (otherKey ? theirs : mine).privateKey).toString('hex');
      return fc.record({ body: fc.constant(d.received), ts: fc.constant(tsChanged ? `${ts}1` : ts), signature: mangled(signature) });
    });
    await assertAgreement(cases, async ({ body, ts, signature }) => {
      const library = await verifyKey(body, signature.trim(), ts, mine.publicHex);
      // Discord sends hex; the library reads each pair with parseInt, so a non-hex character can stand for a digit.
      const spec = library && !HEX.test(signature.trim()) ? { accepts: false, why: 'signature is not hex' } : undefined;
      const headers: [string, string][] = [['X-Signature-Ed25519', signature], ['X-Signature-Timestamp', ts]];
      return { ours: oursFor(headers, body, { discord: mine.publicHex }), library, spec };
    });
  });
});

describe('SendGrid agrees with @sendgrid/eventwebhook', () => {
  it('1000 deliveries (its verifier is pure-JS ECDSA, a few ms a case)', async () => {
    const pair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const [mine, theirs] = [pair(), pair()];
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
