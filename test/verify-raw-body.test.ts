import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const NOW = 1_700_000_000_000;

function request(headers: HeaderPair[], body: string, secrets: Record<string, string>, over: Partial<VerifyInput> = {}): VerifyInput {
  return { method: 'POST', url: '/b/bin', headers, body: Buffer.from(body), bodyTruncated: false, secrets, now: NOW, publicUrl: null, ...over };
}

function hmac(secret: string, body: string, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', secret).update(body).digest(encoding);
}

describe('Shopify signatures', () => {
  const body = '{"id":820982911946154508,"email":"jon@example.com"}';
  const headers = (sig: string): HeaderPair[] => [['X-Shopify-Topic', 'orders/create'], ['X-Shopify-Shop-Domain', 'shop.myshopify.com'], ['X-Shopify-Hmac-Sha256', sig]];

  it('verifies base64 HMAC-SHA256 of the body', () => {
    const [check] = verifySignatures(request(headers(hmac('shpss', body, 'base64')), body, { shopify: 'shpss' }));
    expect(check).toMatchObject({ provider: 'shopify', header: 'X-Shopify-Hmac-Sha256', status: 'verified' });
    expect(check.message).toContain('base64, matches');
  });

  it('reports a mismatch, answers no-secret without a secret and malformed for hex', () => {
    const sig = hmac('shpss', body, 'base64');
    expect(verifySignatures(request(headers(sig), `${body} `, { shopify: 'shpss' }))[0].status).toBe('mismatch');
    expect(verifySignatures(request(headers(sig), body, {}))[0].status).toBe('no-secret');
    expect(verifySignatures(request(headers(hmac('shpss', body, 'hex')), body, { shopify: 'shpss' }))[0].status).toBe('malformed');
  });

  it('recognises Shopify with its topic and shop domain', () => {
    expect(recognizeSource(headers('x'), [])).toEqual({
      provider: 'shopify',
      details: { topic: 'orders/create', shopDomain: 'shop.myshopify.com' },
    });
  });
});

describe('Linear signatures', () => {
  const body = (ts: number) => `{"action":"create","type":"Issue","webhookTimestamp":${ts}}`;

  it('verifies hex HMAC-SHA256 of the body within 60 s of webhookTimestamp', () => {
    const b = body(NOW - 10_000);
    const [check] = verifySignatures(request([['Linear-Signature', hmac('lin', b, 'hex')]], b, { linear: 'lin' }));
    expect(check).toMatchObject({ provider: 'linear', status: 'verified' });
  });

  it('reports stale when webhookTimestamp is older than 60 s', () => {
    const b = body(NOW - 120_000);
    const [check] = verifySignatures(request([['Linear-Signature', hmac('lin', b, 'hex')]], b, { linear: 'lin' }));
    expect(check.status).toBe('stale');
    expect(check.message).toContain("120 s old, outside Linear's 60 s tolerance");
  });
});

describe('PagerDuty signatures', () => {
  const body = '{"event":{"event_type":"incident.triggered"}}';

  it('verifies when one of several v1 signatures matches and skips other versions', () => {
    const value = `v1=${'0'.repeat(64)},v2=abc,v1=${hmac('pd', body, 'hex')}`;
    const [check] = verifySignatures(request([['X-PagerDuty-Signature', value]], body, { pagerduty: 'pd' }));
    expect(check).toMatchObject({ provider: 'pagerduty', status: 'verified' });
    expect(check.message).toContain('one of the 2 signatures');
  });

  it('answers malformed when there is no v1 signature', () => {
    const [check] = verifySignatures(request([['X-PagerDuty-Signature', 'v2=abc']], body, { pagerduty: 'pd' }));
    expect(check.status).toBe('malformed');
    expect(check.message).toContain('v1=<64 hex characters>, several separated by ","');
  });
});
