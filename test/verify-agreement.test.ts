/**
 * hooklens's verdict against each provider's official verifier, over thousands of seeded, generated deliveries:
 * valid ones, and ones with a wrong secret, a changed body, an old or future timestamp, and signature headers
 * mangled (characters replaced, truncated, case changed, whitespace, junk, garbage entries next to a valid one).
 * "verified" must come exactly when the library accepts what a receiver gets (header values trimmed, as HTTP does);
 * where a library departs from its provider's published spec, hooklens follows the spec and the case says why.
 */
import { createHmac, createHash } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import { Signature as HubSpotSignature } from '@hubspot/api-client';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { NodeRuntime, Webhooks as PaddleWebhooks } from '@paddle/paddle-node-sdk';
import { verifySlackRequest } from '@slack/bolt';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import fc from 'fast-check';
import { WebhooksHelper as SquareWebhooks } from 'square';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, it, vi } from 'vitest';
import { assertAgreement, deliveries, mangled, NOW, oneIn, oursFor } from './helpers/agreement';

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  NodeRuntime.initialize();
});
afterAll(() => vi.useRealTimers());

/** Whether a library's verify accepts: it neither throws nor returns false. */
const accepts = async (verify: () => unknown): Promise<boolean> => {
  try {
    return (await verify()) !== false;
  } catch {
    return false;
  }
};
const hmacHex = (key: string | Buffer, message: string) => createHmac('sha256', key).update(message).digest('hex');
const hmacBase64 = (key: string | Buffer, message: string) => createHmac('sha256', key).update(message).digest('base64');
const seconds = (ageMs: number) => Math.floor((NOW - ageMs) / 1000);
const plainSecret = fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/);
const digits = /^\d+$/;

/** Space-separated entries: the valid one, mangled, among garbage, other versions and signatures of other messages. */
function entryList(valid: string, others: string[]): fc.Arbitrary<string> {
  const entry = fc.oneof(mangled(valid), fc.constantFrom(...others));
  return fc.tuple(fc.array(entry, { maxLength: 3 }), mangled(valid), fc.nat()).map(([extra, v, at]) => {
    const list = [...extra];
    list.splice(at % (list.length + 1), 0, v);
    return list.join(fc.sample(fc.constantFrom(' '), 1)[0]);
  });
}

describe('Standard Webhooks and Svix agree with standardwebhooks and svix', () => {
  const secret = fc.uint8Array({ minLength: 24, maxLength: 32 }).map((b) => `whsec_${Buffer.from(b).toString('base64')}`);
  const garbage = ['v1,garbage', `v1a,${Buffer.alloc(64, 7).toString('base64')}`, 'v2,abcd', 'v1,', ',', `v1,${Buffer.alloc(32).toString('base64')}`];

  for (const [family, prefix] of [['standardwebhooks', 'webhook-'], ['svix', 'svix-']] as const) {
    it(`${family}: 2000 deliveries`, async () => {
      // svix parses the payload as JSON after checking it: its senders only send JSON.
      const cases = deliveries(secret, 300, family === 'svix').chain((d) => {
        const id = `msg_${d.body.length}`;
        const ts = String(seconds(d.ageMs));
        const key = Buffer.from(d.signedWith.slice(6), 'base64');
        const valid = `v1,${hmacBase64(key, `${id}.${ts}.${d.body}`)}`;
        return fc.record({ d: fc.constant(d), id: fc.constant(id), ts: mangled(ts), signature: entryList(valid, garbage) });
      });
      await assertAgreement(cases, async ({ d, id, ts, signature }) => {
        const headers: [string, string][] = [[`${prefix}id`, id], [`${prefix}timestamp`, ts], [`${prefix}signature`, signature]];
        const received = Object.fromEntries(headers.map(([n, v]) => [n, v.trim()]));
        // Both return the payload (which may be `false`) or throw.
        const library = await accepts(() => {
          if (family === 'svix') new SvixWebhook(d.secret).verify(d.received, received);
          else new StandardWebhook(d.secret).verify(d.received, received, { jsonParse: false });
        });
        // The spec's timestamp is integer seconds; the library reads it with parseInt, so "1800000000z" passes there.
        const spec = library && !digits.test(ts.trim()) ? { accepts: false, why: 'timestamp is not integer seconds' } : undefined;
        return { ours: oursFor(headers, d.received, { 'standard-webhooks': d.secret }), library, spec };
      });
    });
  }
});

describe('Stripe and GitHub agree with stripe and @octokit/webhooks-methods', () => {
  it('stripe: 2000 deliveries', async () => {
    const secret = plainSecret.map((s) => `whsec_${s}`);
    const cases = deliveries(secret, 300).chain((d) => {
      const t = seconds(d.ageMs);
      const v1 = `v1=${hmacHex(d.signedWith, `${t}.${d.body}`)}`;
      const parts = fc.shuffledSubarray([`v1=${'0'.repeat(64)}`, 'v0=abc', `v1=${hmacHex('other', `${t}.${d.body}`)}`, 'v1=', 'x'], { maxLength: 2 });
      return fc.record({ d: fc.constant(d), value: fc.tuple(mangled(`t=${t}`), mangled(v1), parts, fc.boolean()).map(([tt, v, more, first]) => (first ? [tt, v, ...more] : [...more, v, tt]).join(',')) });
    });
    await assertAgreement(cases, async ({ d, value }) => {
      const library = await accepts(() => Stripe.webhooks.signature!.verifyHeader(d.received, value.trim(), d.secret, 300));
      const fields = value.trim().split(',').map((f) => f.split('='));
      const t = fields.filter(([n]) => n === 't').at(-1)?.[1] ?? '';
      const emptyV1 = fields.some(([n, v]) => n === 'v1' && !v);
      const spec = library && !digits.test(t)
        // Stripe's t is Unix seconds; the library reads it with parseInt, so "t=1800000000z" passes there.
        ? { accepts: false, why: 't is not integer seconds' }
        // Any v1 may match (Stripe's docs); the library throws on an empty "v1=" entry, even next to a valid one.
        : !library && emptyV1 && digits.test(t) && oursFor([['Stripe-Signature', value]], d.received, { stripe: d.secret }) === 'verified'
          ? { accepts: true, why: 'an empty v1= entry next to a valid one' }
          : undefined;
      return { ours: oursFor([['Stripe-Signature', value]], d.received, { stripe: d.secret }), library, spec };
    });
  });

  it('@octokit/webhooks-methods: 2000 deliveries', async () => {
    const cases = deliveries(plainSecret, 0).chain((d) =>
      fc.record({ d: fc.constant(d), value: mangled(`sha256=${hmacHex(d.signedWith, d.body)}`) }),
    );
    await assertAgreement(cases, async ({ d, value }) => {
      const library = await accepts(() => octokitVerify(d.secret, d.received, value.trim()));
      return { ours: oursFor([['X-Hub-Signature-256', value]], d.received, { github: d.secret }), library };
    });
  });
});

describe('Slack and Paddle agree with @slack/bolt and @paddle/paddle-node-sdk', () => {
  it('@slack/bolt: 2000 deliveries', async () => {
    const cases = deliveries(plainSecret, 300).chain((d) => {
      const ts = String(seconds(d.ageMs));
      return fc.record({ d: fc.constant(d), ts: mangled(ts), value: mangled(`v0=${hmacHex(d.signedWith, `v0:${ts}:${d.body}`)}`) });
    });
    await assertAgreement(cases, async ({ d, ts, value }) => {
      // As bolt's HTTP receiver hands it over: the timestamp as a Number.
      const headers = { 'x-slack-signature': value.trim(), 'x-slack-request-timestamp': Number(ts.trim()) };
      const library = await accepts(() => verifySlackRequest({ signingSecret: d.secret, body: d.received, headers }));
      // Slack's docs reject a timestamp more than five minutes from now either way; bolt only rejects old ones.
      const future = digits.test(ts.trim()) && Number(ts.trim()) > Math.floor(NOW / 1000) + 300;
      const spec = library && future ? { accepts: false, why: 'timestamp over 5 minutes in the future' } : undefined;
      return { ours: oursFor([['X-Slack-Signature', value], ['X-Slack-Request-Timestamp', ts]], d.received, { slack: d.secret }), library, spec };
    });
  });

  it('@paddle/paddle-node-sdk: 2000 deliveries', async () => {
    const cases = deliveries(plainSecret.map((s) => `pdl_ntfset_${s}`), 5).chain((d) => {
      const ts = seconds(d.ageMs);
      const h1 = `h1=${hmacHex(d.signedWith, `${ts}:${d.body}`)}`;
      return fc.record({ d: fc.constant(d), value: fc.tuple(mangled(`ts=${ts}`), mangled(h1), oneIn(4)).map(([t, h, swap]) => (swap ? `${h};${t}` : `${t};${h}`)) });
    });
    await assertAgreement(cases, async ({ d, value }) => {
      const library = await accepts(() => new PaddleWebhooks().isSignatureValid(d.received, d.secret, value.trim()));
      const ts = value.trim().split(';').map((f) => f.split('=')).filter(([n, v]) => n === 'ts' && v).at(-1)?.[1] ?? '';
      // Paddle's ts is Unix seconds; the SDK reads it with parseInt, so "ts=1800000000z" passes there.
      const spec = library && !digits.test(ts) ? { accepts: false, why: 'ts is not integer seconds' } : undefined;
      return { ours: oursFor([['Paddle-Signature', value]], d.received, { paddle: d.secret }), library, spec };
    });
  });
});

describe('HubSpot agrees with @hubspot/api-client', () => {
  const url = 'https://hooks.example.com/b/bin/hook?x=1';
  const publicUrl = url;
  for (const version of ['v1', 'v2', 'v3'] as const) {
    it(`${version}: 2000 deliveries`, async () => {
      const cases = deliveries(plainSecret, 300).chain((d) => {
        const ts = String(NOW - d.ageMs);
        const valid = version === 'v3'
          ? hmacBase64(d.signedWith, `POST${url}${d.body}${ts}`)
          : createHash('sha256').update(version === 'v1' ? d.signedWith + d.body : `${d.signedWith}POST${url}${d.body}`).digest('hex');
        return fc.record({ d: fc.constant(d), ts: mangled(ts), value: mangled(valid) });
      });
      await assertAgreement(cases, async ({ d, ts, value }) => {
        const options = { signatureVersion: version, signature: value.trim(), clientSecret: d.secret, requestBody: d.received, method: 'POST', url, timestamp: ts.trim() as unknown as number };
        const library = await accepts(() => HubSpotSignature.isValid(options));
        const headers: [string, string][] = version === 'v3'
          ? [['X-HubSpot-Signature-v3', value], ['X-HubSpot-Request-Timestamp', ts]]
          : [['X-HubSpot-Signature', value], ['X-HubSpot-Signature-Version', version]];
        // v3's timestamp is Unix milliseconds; the library does arithmetic on the text, and NaN is never too old.
        const spec = library && version === 'v3' && !digits.test(ts.trim()) ? { accepts: false, why: 'timestamp is not integer milliseconds' } : undefined;
        return { ours: oursFor(headers, d.received, { hubspot: d.secret }, { publicUrl }), library, spec };
      });
    });
  }
});

describe('Twilio and Square agree with twilio and square', () => {
  const param = fc.tuple(fc.constantFrom('CallSid', 'From', 'To', 'Body', 'Digits', 'a', 'A'), fc.stringMatching(/^[A-Za-z0-9 +.@-]{0,12}$/));
  const forms = fc.array(param, { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString());

  it('twilio validateRequest: 2000 deliveries', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const cases = fc.record({
      token: plainSecret,
      other: plainSecret,
      wrongToken: oneIn(6),
      body: forms,
      url: fc.constantFrom('https://mycompany.com/myapp.php?foo=1&bar=2', 'https://hooks.example.com:443/b/bin', 'https://hooks.example.com/b/bin?q=it%27s', 'http://hooks.example.com/b/bin'),
      settings: fc.constantFrom(undefined, undefined, 'key=webhooks_sharedkey_1,algorithm=HMAC_SHA256', 'algorithm=HMAC_SHA1', 'algorithm=HMAC_MD5'),
      signedAlgorithm: fc.constantFrom('HMAC_SHA1', 'HMAC_SHA256'),
    }).chain((c) => {
      const params = parseQuery(c.body) as Record<string, string | string[]>;
      const signed = twilio.getExpectedTwilioSignature(c.wrongToken ? c.other : c.token, c.url, params, c.signedAlgorithm);
      return fc.record({ c: fc.constant(c), value: mangled(signed) });
    });
    await assertAgreement(cases, async ({ c, value }) => {
      const params = parseQuery(c.body) as Record<string, string>;
      const algorithm = twilio.getSignatureAlgorithm(c.settings ?? '');
      const library = await accepts(() => twilio.validateRequest(c.token, value.trim(), c.url, params, algorithm));
      const headers: [string, string][] = [['X-Twilio-Signature', value], ['Content-Type', 'application/x-www-form-urlencoded'], ...(c.settings ? [['X-Twilio-Webhooks-Signature-Settings', c.settings] as [string, string]] : [])];
      return { ours: oursFor(headers, c.body, { twilio: c.token }, { publicUrl: c.url }), library };
    });
  });

  it('twilio validateRequestWithBody (JSON bodies, bodySHA256 in the URL): 2000 deliveries', async () => {
    const cases = deliveries(plainSecret, 0, true).chain((d) => {
      const url = `https://hooks.example.com/b/bin?bodySHA256=${createHash('sha256').update(d.body).digest('hex')}`;
      return fc.record({ d: fc.constant(d), url: fc.constant(url), value: mangled(twilio.getExpectedTwilioSignature(d.signedWith, url, {})) });
    });
    await assertAgreement(cases, async ({ d, url, value }) => {
      const library = await accepts(() => twilio.validateRequestWithBody(d.secret, value.trim(), url, d.received));
      const headers: [string, string][] = [['X-Twilio-Signature', value], ['Content-Type', 'application/json']];
      return { ours: oursFor(headers, d.received, { twilio: d.secret }, { publicUrl: url }), library };
    });
  });

  it('square WebhooksHelper: 2000 deliveries', async () => {
    const url = 'https://hooks.example.com/b/bin/square';
    const cases = deliveries(plainSecret, 0).chain((d) => fc.record({ d: fc.constant(d), value: mangled(hmacBase64(d.signedWith, url + d.body)) }));
    await assertAgreement(cases, async ({ d, value }) => {
      const library = await accepts(() => SquareWebhooks.verifySignature({ requestBody: d.received, signatureHeader: value.trim(), signatureKey: d.secret, notificationUrl: url }));
      return { ours: oursFor([['x-square-hmacsha256-signature', value]], d.received, { square: d.secret }, { publicUrl: url }), library };
    });
  });
});

describe('Linear agrees with @linear/sdk', () => {
  it('LinearWebhookClient.verify: 2000 deliveries', async () => {
    const cases = fc.record({
      d: deliveries(plainSecret, 60),
      stamped: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }).chain(({ d, stamped }) => {
      const body = JSON.stringify({ action: 'create', type: 'Issue', data: { title: d.body }, ...(stamped ? { webhookTimestamp: NOW - d.ageMs } : {}) });
      const received = d.received === d.body ? body : body.replace('"create"', '"remove"');
      return fc.record({ secret: fc.constant(d.secret), body: fc.constant(received), value: mangled(hmacHex(d.signedWith, body)) });
    });
    await assertAgreement(cases, async ({ secret, body, value }) => {
      const library = await accepts(() => new LinearWebhookClient(secret).verify(Buffer.from(body), value.trim()));
      return { ours: oursFor([['Linear-Signature', value]], body, { linear: secret }), library };
    });
  });
});

describe('Shopify agrees with @shopify/shopify-api', () => {
  it('shopify.webhooks.validate: 2000 deliveries', async () => {
    const logger = { level: 0, log: async () => undefined };
    const shopifyHeaders = { 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'shop.myshopify.com', 'x-shopify-api-version': '2025-10', 'x-shopify-webhook-id': 'w1' };
    const cases = deliveries(plainSecret, 0).chain((d) => fc.record({ d: fc.constant(d), value: mangled(hmacBase64(d.signedWith, d.body)) }));
    await assertAgreement(cases, async ({ d, value }) => {
      const shopify = shopifyApi({ apiSecretKey: d.secret, apiKey: 'key', hostName: 'hooks.example.com', apiVersion: ApiVersion.October25, isEmbeddedApp: false, logger });
      const rawRequest = { method: 'POST', url: '/b/bin/hook', headers: { ...shopifyHeaders, host: 'hooks.example.com', 'x-shopify-hmac-sha256': value.trim() } };
      const library = (await shopify.webhooks.validate({ rawBody: d.received, rawRequest: rawRequest as never, rawResponse: {} as never })).valid;
      return { ours: oursFor([['X-Shopify-Hmac-Sha256', value]], d.received, { shopify: d.secret }), library };
    });
  });
});
