import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const BODY = '{"test": 2432232314}';
const VECTOR = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

function headers(signature: string, ts: number = TS, prefix = 'webhook-'): HeaderPair[] {
  return [[`${prefix}id`, ID], [`${prefix}timestamp`, String(ts)], [`${prefix}signature`, signature]];
}

function request(h: HeaderPair[], over: Partial<VerifyInput> = {}): VerifyInput {
  return {
    method: 'POST', url: '/b/bin', headers: h, body: Buffer.from(BODY), bodyTruncated: false,
    secrets: { 'standard-webhooks': SECRET }, now: TS * 1000 + 1000, publicUrl: null, ...over,
  };
}

function oracle(date: Date, body = BODY): string {
  return new Webhook(SECRET).sign(ID, date, body);
}

describe('Standard Webhooks signatures', () => {
  it('verifies the published vector near its timestamp', () => {
    const [check] = verifySignatures(request(headers(VECTOR)));
    expect(check).toMatchObject({ provider: 'standard-webhooks', header: 'webhook-signature', status: 'verified', secretSource: 'bin' });
    expect(check.message).toContain('webhook-id + "." + webhook-timestamp + "." + body (20 bytes)');
    expect(check.message).toContain('base64-decoded after whsec_');
  });

  it('reports the published vector as stale with a real clock', () => {
    expect(verifySignatures(request(headers(VECTOR), { now: Date.now() }))[0].status).toBe('stale');
  });

  it('verifies what the standardwebhooks package signs', () => {
    const now = 1_700_000_000_000;
    const [check] = verifySignatures(request(headers(oracle(new Date(now)), now / 1000), { now }));
    expect(check.status).toBe('verified');
  });

  it('reports a mismatch when one body byte is flipped', () => {
    const now = 1_700_000_000_000;
    const body = Buffer.from(BODY);
    body[3] ^= 1;
    expect(verifySignatures(request(headers(oracle(new Date(now)), now / 1000), { now, body }))[0].status).toBe('mismatch');
  });

  it('reports stale, saying both, when the timestamp is an hour old', () => {
    const now = 1_700_000_000_000;
    const signedAt = now - 3_600_000;
    const [check] = verifySignatures(request(headers(oracle(new Date(signedAt)), signedAt / 1000), { now }));
    expect(check.status).toBe('stale');
    expect(check.message).toContain("the timestamp is 3600 s old, outside Standard Webhooks' 300 s tolerance");
  });

  it('answers no-secret without a secret', () => {
    expect(verifySignatures(request(headers(VECTOR), { secrets: {} }))[0].status).toBe('no-secret');
  });

  it.each(['garbage', 'v1,not-base64!', 'v2,abc'])('answers malformed for %j', (value) => {
    const [check] = verifySignatures(request(headers(value)));
    expect(check.status).toBe('malformed');
    expect(check.message).toContain('v1,<44 base64 characters>');
  });

  it('answers malformed when webhook-id is missing', () => {
    const [check] = verifySignatures(request(headers(VECTOR).slice(1)));
    expect(check.status).toBe('malformed');
    expect(check.message).toContain('webhook-id');
  });

  it('verifies when one of several space-separated signatures matches', () => {
    const [check] = verifySignatures(request(headers(`v1,${Buffer.alloc(32).toString('base64')} v1a,AAAA ${VECTOR}`)));
    expect(check.status).toBe('verified');
    expect(check.message).toContain('one of the 2 signatures');
  });

  it('says v1a (Ed25519) signatures need a public key', () => {
    const [check] = verifySignatures(request(headers(`v1a,${Buffer.alloc(64).toString('base64')}`)));
    expect(check.status).toBe('no-secret');
    expect(check.message).toContain('no Standard Webhooks public key');
  });

  it('verifies when a valid signature sits next to an unparseable one, as the spec and the library do', () => {
    for (const value of [`v1,garbage ${VECTOR}`, `${VECTOR} v1,`, `v1a,AAAA ${VECTOR}`, `v1 ${VECTOR}`]) {
      expect(verifySignatures(request(headers(value)))[0].status).toBe('verified');
    }
  });

  it('keys the HMAC with the base64-decoded secret, not the text', () => {
    const text = createHmac('sha256', SECRET).update(`${ID}.${TS}.${BODY}`).digest('base64');
    expect(verifySignatures(request(headers(`v1,${text}`)))[0].status).toBe('mismatch');
  });

  it('checks Svix headers the same way', () => {
    const [check] = verifySignatures(request(headers(VECTOR, TS, 'svix-')));
    expect(check).toMatchObject({ provider: 'standard-webhooks', header: 'svix-signature', status: 'verified' });
  });
});

describe('Standard Webhooks source', () => {
  it('recognises Standard Webhooks by webhook-id', () => {
    expect(recognizeSource(headers(VECTOR), [])).toEqual({
      provider: 'standard-webhooks',
      details: { messageId: ID, timestamp: String(TS) },
    });
  });

  it('recognises Svix by svix-id', () => {
    expect(recognizeSource(headers(VECTOR, TS, 'svix-'), [])?.provider).toBe('svix');
  });
});
