import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { SIGNING_PROVIDERS, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const SIGNATURE_HEADERS = [
  'x-zendesk-webhook-signature', 'x-zendesk-webhook-signature-timestamp', 'X-Hub-Signature-256', 'X-Hub-Signature',
  'Stripe-Signature', 'X-Slack-Signature', 'X-Slack-Request-Timestamp', 'X-Shopify-Hmac-Sha256', 'webhook-id',
  'webhook-timestamp', 'webhook-signature', 'svix-id', 'svix-timestamp', 'svix-signature', 'X-Twilio-Signature',
  'X-HubSpot-Signature-v3', 'X-HubSpot-Request-Timestamp', 'Linear-Signature', 'X-PagerDuty-Signature',
  'Twitch-Eventsub-Message-Id', 'Twitch-Eventsub-Message-Timestamp', 'Twitch-Eventsub-Message-Signature',
  'x-square-hmacsha256-signature', 'Host', 'Content-Type', 'User-Agent',
];

function request(headers: HeaderPair[], over: Partial<VerifyInput> = {}): VerifyInput {
  return { method: 'POST', url: '/b/bin', headers, body: Buffer.from('{}'), bodyTruncated: false, secrets: {}, now: 1_700_000_000_000, publicUrl: null, ...over };
}

const allSecrets = (secret: string) => Object.fromEntries(SIGNING_PROVIDERS.map((p) => [p.id, secret]));

describe('verifySignatures', () => {
  it('returns no checks for a request without signature headers', () => {
    expect(verifySignatures(request([['Content-Type', 'application/json'], ['Authorization', 'Bearer abc']]))).toEqual([]);
  });

  it('checks every signature a request carries, one check each', () => {
    const headers: HeaderPair[] = [
      ['Stripe-Signature', `t=1700000000,v1=${'0'.repeat(64)}`],
      ['X-Hub-Signature-256', `sha256=${'0'.repeat(64)}`],
      ['X-Shopify-Hmac-Sha256', Buffer.alloc(32).toString('base64')],
    ];
    expect(verifySignatures(request(headers)).map((c) => c.provider)).toEqual(['github', 'stripe', 'shopify']);
  });

  it('never throws and always answers a known status, whatever the headers say', () => {
    const header = fc.tuple(fc.constantFrom(...SIGNATURE_HEADERS), fc.oneof(fc.string(), fc.stringMatching(/^(t=\d+,)?(v1|sha256|v0|sha1)[=,][0-9a-f=+/]*$/)));
    fc.assert(
      fc.property(fc.array(header, { maxLength: 8 }), fc.uint8Array({ maxLength: 64 }), fc.boolean(), (headers, body, withSecrets) => {
        const checks = verifySignatures(request(headers, { body: Buffer.from(body), secrets: withSecrets ? allSecrets('s3cr3t-value-xyz') : {} }));
        for (const c of checks) {
          expect(['verified', 'mismatch', 'stale', 'no-secret', 'malformed']).toContain(c.status);
          expect(c.message).not.toContain('failed unexpectedly');
        }
      }),
    );
  });

  it('never puts a secret in a message', () => {
    const headers: HeaderPair[] = [
      ['Host', 'hooks.example.com'],
      ['x-zendesk-webhook-signature', Buffer.alloc(32).toString('base64')], ['x-zendesk-webhook-signature-timestamp', '2021-03-25T05:09:27Z'],
      ['X-Hub-Signature-256', `sha256=${'0'.repeat(64)}`], ['Stripe-Signature', `t=1700000000,v1=${'0'.repeat(64)}`],
      ['X-Slack-Signature', `v0=${'0'.repeat(64)}`], ['X-Slack-Request-Timestamp', '1700000000'],
      ['webhook-id', 'msg_1'], ['webhook-timestamp', '1700000000'], ['webhook-signature', `v1,${Buffer.alloc(32).toString('base64')}`],
      ['X-Twilio-Signature', Buffer.alloc(20).toString('base64')],
      ['X-HubSpot-Signature-v3', Buffer.alloc(32).toString('base64')], ['X-HubSpot-Request-Timestamp', '1700000000000'],
    ];
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_]{16,40}$/), (secret) => {
        for (const c of verifySignatures(request(headers, { secrets: allSecrets(`whsec_${secret}`) }))) {
          expect(c.message).not.toContain(secret);
        }
      }),
    );
  });

  it('says a truncated body makes a failed check inconclusive', () => {
    const [check] = verifySignatures(request([['Stripe-Signature', `t=1700000000,v1=${'0'.repeat(64)}`]], { bodyTruncated: true, secrets: { stripe: 'whsec_x' } }));
    expect(check.message).toMatch(/^Cannot be checked: the body was truncated at capture/);
  });
});

describe('SIGNING_PROVIDERS', () => {
  it('lists each provider once, with a name and a hint', () => {
    const ids = SIGNING_PROVIDERS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of SIGNING_PROVIDERS) expect(p.name && p.secretHint).toBeTruthy();
  });

  it('holds every provider a check can name', () => {
    const ids = new Set(SIGNING_PROVIDERS.map((p) => p.id));
    const headers: HeaderPair[] = SIGNATURE_HEADERS.map((name) => [name, 'x']);
    const providers = verifySignatures(request(headers)).map((c) => c.provider);
    expect(providers.length).toBeGreaterThan(8);
    for (const provider of providers) expect(ids).toContain(provider);
  });
});
