import { describe, expect, it } from 'vitest';
import { decodeCredentials, redactCredentials } from '../shared/auth';
import type { HeaderPair } from '../shared/types';

function redactOne(name: string, value: string): string {
  return redactCredentials({ headers: [[name, value]], query: '' }).headers[0][1];
}

describe('redactCredentials', () => {
  it('re-encodes Basic as user-id:[redacted], so the username survives', () => {
    const redacted = redactOne('Authorization', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(redacted).toBe(`Basic ${Buffer.from('Aladdin:[redacted]').toString('base64')}`);
    const decoded = decodeCredentials({ headers: [['Authorization', redacted]], query: '', secure: true }).credentials[0];
    expect(decoded.username).toBe('Aladdin');
  });

  it('keeps the Zendesk email and /token in a redacted API token', () => {
    const redacted = redactOne('Authorization', 'Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2');
    expect(Buffer.from(redacted.slice('Basic '.length), 'base64').toString()).toBe('jdoe@example.com/token:[redacted]');
  });

  it('replaces an API key sent as the Basic user-id with a placeholder password', () => {
    const redacted = redactOne('Authorization', `Basic ${Buffer.from('Fr3shd3skApiK3yAbCdEfGh:X').toString('base64')}`);
    expect(Buffer.from(redacted.slice('Basic '.length), 'base64').toString()).toBe('[redacted]:[redacted]');
    expect(redacted).not.toContain(Buffer.from('Fr3shd3skApiK3yAbCdEfGh').toString('base64').slice(0, 16));
    const stripe = redactOne('Authorization', `Basic ${Buffer.from('sk_test_4eC39HqLyjWDarjtT1zdp7dc:').toString('base64')}`);
    expect(Buffer.from(stripe.slice('Basic '.length), 'base64').toString()).toBe('[redacted]:');
  });

  it('writes "Basic [redacted]" when no user-id could be read', () => {
    expect(redactOne('Authorization', 'Basic bm9jb2xvbmhlcmU=')).toBe('Basic [redacted]');
    expect(redactOne('Authorization', 'Basic !!!notbase64!!!')).toBe('Basic [redacted]');
  });

  it('keeps the scheme as written and a known prefix or JWT header as the hint', () => {
    expect(redactOne('Authorization', 'bearer opaque-token-value')).toBe('bearer [redacted]');
    expect(redactOne('Authorization', `Bearer ghp_${'a1B2c3D4e5F6'.repeat(3)}`)).toBe('Bearer ghp_[redacted]');
    expect(redactOne('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')).toBe('Bearer eyJhbGciOiJIUzI1NiJ9.[redacted]');
  });

  it('keeps Digest and SigV4 parameters but the response and the signature', () => {
    expect(redactOne('Authorization', 'Digest username="Mufasa", realm="r", nonce="n", uri="/", response="8ca523f5e9506fed4657c9700eebdbec"')).toBe(
      'Digest username="Mufasa", realm="r", nonce="n", uri="/", response="[redacted]"',
    );
    expect(redactOne('Authorization', `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'ab'.repeat(32)}`)).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=[redacted]',
    );
  });

  it('replaces API-key headers, secret-looking values and cookie values, keeping cookie names', () => {
    expect(redactOne('X-API-Key', 'abc123')).toBe('[redacted]');
    expect(redactOne('X-Partner', 'Zq8Lw2Nf7Rt4Vx9Bk3Hm6Jp1Sd5Gc0Ya')).toBe('[redacted]');
    expect(redactOne('Cookie', 'theme=dark; sessionid=abc')).toBe('theme=[redacted]; sessionid=[redacted]');
  });

  it('leaves signature headers and ordinary headers alone, in order, with their case and duplicates', () => {
    const headers: HeaderPair[] = [
      ['X-Zendesk-Webhook-Signature', 'EiqWE3SXTPQpPulBV6OSuuGziIishZNc1VwNZYqZrHU='],
      ['stripe-signature', 't=1,v1=abc'],
      ['X-Hub-Signature-256', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'],
      ['webhook-signature', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
      ['Content-Type', 'application/json'],
      ['X-Custom', 'one'],
      ['X-Custom', 'two'],
    ];
    expect(redactCredentials({ headers, query: 'page=1' })).toEqual({ headers, query: 'page=1', redacted: false });
  });

  it('replaces credential query values and keeps the rest of the query as written', () => {
    expect(redactCredentials({ headers: [], query: 'a=%20b&api_key=s3cr3t&token=&c' })).toEqual({
      headers: [],
      query: 'a=%20b&api_key=[redacted]&token=&c',
      redacted: true,
    });
  });

  it('leaves a header with nothing secret unchanged and says nothing was redacted', () => {
    expect(redactCredentials({ headers: [['Authorization', 'Bearer']], query: '' })).toEqual({ headers: [['Authorization', 'Bearer']], query: '', redacted: false });
  });

  it('never throws on input that is not what the types say', () => {
    const junk = [null, undefined, 42, { headers: 'x' }, { headers: [[1, 2], ['a']], query: 7 }] as unknown as Parameters<typeof redactCredentials>[0][];
    for (const input of junk) expect(() => redactCredentials(input)).not.toThrow();
  });
});
