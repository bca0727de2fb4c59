import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const SECRET = 'whsec_test_0123456789abcdefghijklmnopqrstuv';
const NOW = 1_700_000_000_000;
const PAYLOAD = '{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}';

function stripeHeader(timestamp = NOW / 1000, payload = PAYLOAD, secret = SECRET): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

function request(signature: string, body: string | Buffer = PAYLOAD, secrets: Record<string, string> = { stripe: SECRET }): VerifyInput {
  const headers: HeaderPair[] = [['User-Agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)'], ['Stripe-Signature', signature]];
  return { method: 'POST', url: '/b/bin', headers, body: Buffer.from(body), bodyTruncated: false, secrets, now: NOW, publicUrl: null };
}

describe('Stripe signatures', () => {
  it('verifies what stripe.webhooks.generateTestHeaderString signs', () => {
    const [check] = verifySignatures(request(stripeHeader()));
    expect(check).toMatchObject({ provider: 'stripe', header: 'Stripe-Signature', status: 'verified', secretSource: 'bin' });
    expect(check.message).toContain(`HMAC-SHA256 of t + "." + body (${PAYLOAD.length} bytes) with the bin's secret, hex, matches Stripe-Signature`);
  });

  it('reports a mismatch when one body byte is flipped', () => {
    const body = Buffer.from(PAYLOAD);
    body[10] ^= 1;
    expect(verifySignatures(request(stripeHeader(), body))[0].status).toBe('mismatch');
  });

  it('reports stale, saying both, when the timestamp is an hour old', () => {
    const [check] = verifySignatures(request(stripeHeader(NOW / 1000 - 3600)));
    expect(check.status).toBe('stale');
    expect(check.message).toContain("Signature matches, but the timestamp is 3600 s old, outside Stripe's 300 s tolerance");
  });

  it('verifies a timestamp in the future, as the stripe library does (it only rejects old ones)', () => {
    expect(verifySignatures(request(stripeHeader(NOW / 1000 + 600)))[0].status).toBe('verified');
  });

  it('reports stale one second past the tolerance, counting whole seconds as stripe does', () => {
    expect(verifySignatures({ ...request(stripeHeader(NOW / 1000 - 300)), now: NOW + 999 })[0].status).toBe('verified');
    expect(verifySignatures(request(stripeHeader(NOW / 1000 - 301)))[0].status).toBe('stale');
  });

  it('accepts a timestamp just inside the tolerance', () => {
    expect(verifySignatures(request(stripeHeader(NOW / 1000 - 299)))[0].status).toBe('verified');
  });

  it('answers no-secret when the bin has no Stripe secret', () => {
    expect(verifySignatures(request(stripeHeader(), PAYLOAD, {}))[0].status).toBe('no-secret');
  });

  it.each(['garbage', 'v1=abc', `t=abc,v1=${'0'.repeat(64)}`, 't=1700000000', 't=1700000000,v1=xyz'])(
    'answers malformed for %j and says what was expected',
    (value) => {
      const [check] = verifySignatures(request(value));
      expect(check.status).toBe('malformed');
      expect(check.message).toContain('t=<unix seconds>,v1=<64 hex characters>');
    },
  );

  it('verifies when any of several v1 signatures matches, and ignores v0', () => {
    const header = stripeHeader();
    const good = /v1=([0-9a-f]+)/.exec(header)?.[1];
    const value = `t=${NOW / 1000},v1=${'a'.repeat(64)},v1=${good},v0=${'b'.repeat(40)}`;
    const [check] = verifySignatures(request(value));
    expect(check.status).toBe('verified');
    expect(check.message).toContain('one of the 2 signatures');
  });

  it('keys the HMAC with the whole whsec_ string, not a decoded one', () => {
    const stripped = SECRET.slice('whsec_'.length);
    expect(verifySignatures(request(stripeHeader(NOW / 1000, PAYLOAD, stripped)))[0].status).toBe('mismatch');
  });
});

describe('Stripe source', () => {
  it('recognises Stripe from Stripe-Signature', () => {
    expect(recognizeSource([['Stripe-Signature', stripeHeader()]], [])).toEqual({ provider: 'stripe' });
  });

  it('recognises Stripe from its User-Agent', () => {
    expect(recognizeSource([['User-Agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)']], [])).toEqual({ provider: 'stripe' });
  });
});
