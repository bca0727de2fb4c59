import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const TOKEN = '12345';
const URL_SIGNED = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const FORM = new URLSearchParams({
  CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212',
}).toString();
const VECTOR = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

function request(extra: HeaderPair[], over: Partial<VerifyInput> = {}): VerifyInput {
  return {
    method: 'POST', url: '/myapp.php?foo=1&bar=2',
    headers: [['Host', 'mycompany.com'], ['Content-Type', 'application/x-www-form-urlencoded'], ...extra],
    body: Buffer.from(FORM), bodyTruncated: false, secrets: { twilio: TOKEN }, now: Date.now(), publicUrl: URL_SIGNED, ...over,
  };
}

describe('Twilio signatures', () => {
  it('verifies the published vector over the public URL and the sorted POST parameters', () => {
    const [check] = verifySignatures(request([['X-Twilio-Signature', VECTOR]]));
    expect(check).toMatchObject({ provider: 'twilio', header: 'X-Twilio-Signature', status: 'verified' });
    expect(check.message).toContain(`HMAC-SHA1 of the public URL ${URL_SIGNED} + the 5 POST parameters`);
  });

  it('rebuilds the URL from the Host header when the public URL is unknown', () => {
    const [check] = verifySignatures(request([['X-Twilio-Signature', VECTOR]], { publicUrl: null }));
    expect(check.status).toBe('verified');
    expect(check.message).toContain('the URL https://mycompany.com/myapp.php?foo=1&bar=2 (rebuilt from the Host header)');
  });

  it('also tries the URL with the default port written out', () => {
    const input = request([['X-Twilio-Signature', VECTOR]], { publicUrl: 'https://mycompany.com:443/myapp.php?foo=1&bar=2' });
    expect(verifySignatures(input)[0].status).toBe('verified');
  });

  it('says that Twilio signs the public URL when another URL was used', () => {
    const [check] = verifySignatures(request([['X-Twilio-Signature', VECTOR]], { publicUrl: 'https://tunnel.example/myapp.php?foo=1&bar=2' }));
    expect(check.status).toBe('mismatch');
    expect(check.message).toContain('Twilio signs the public URL');
  });

  it('says the public URL is unknown when the rebuilt URL does not match', () => {
    const [check] = verifySignatures(request([['X-Twilio-Signature', VECTOR]], { publicUrl: null, url: '/other' }));
    expect(check.status).toBe('mismatch');
    expect(check.message).toContain('does not know');
  });

  it('checks bodySHA256 for a JSON body signed through the URL', () => {
    const body = '{"event":"call"}';
    const url = `https://mycompany.com/hook?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const signature = createHmac('sha1', TOKEN).update(url).digest('base64');
    const input = request([['X-Twilio-Signature', signature]], { publicUrl: url, body: Buffer.from(body) });
    input.headers[1] = ['Content-Type', 'application/json'];
    expect(verifySignatures(input)[0].status).toBe('verified');
    const tampered = { ...input, body: Buffer.from('{"event":"cal1"}') };
    const [check] = verifySignatures(tampered);
    expect(check.status).toBe('mismatch');
    expect(check.message).toContain('bodySHA256');
  });

  it('answers no-secret without an auth token, and malformed for garbage', () => {
    expect(verifySignatures(request([['X-Twilio-Signature', VECTOR]], { secrets: {} }))[0].status).toBe('no-secret');
    expect(verifySignatures(request([['X-Twilio-Signature', 'zzz']]))[0].status).toBe('malformed');
  });

  it('recognises Twilio as the source', () => {
    expect(recognizeSource([['X-Twilio-Signature', VECTOR], ['I-Twilio-Idempotency-Token', 'abc']], [])).toEqual({
      provider: 'twilio',
      details: { idempotencyToken: 'abc' },
    });
  });
});
