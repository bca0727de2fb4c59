import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures, ZENDESK_TEST_SECRET } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const TS = '2021-03-25T05:09:27Z';
const TEST_BODY = '{"name":"test webhook"}';

function zendeskRequest(signature: string, body: string, over: Partial<VerifyInput> = {}, ts: string | null = TS): VerifyInput {
  const headers: HeaderPair[] = [
    ['x-zendesk-account-id', '123456'],
    ['x-zendesk-webhook-id', '01F1KRFQ6BG29CNWFR60NK5FNY'],
    ['x-zendesk-webhook-invocation-id', '8350205582'],
    ['x-zendesk-webhook-signature', signature],
  ];
  if (ts !== null) headers.push(['x-zendesk-webhook-signature-timestamp', ts]);
  return {
    method: 'POST', url: '/b/bin/hook', headers, body: Buffer.from(body), bodyTruncated: false,
    secrets: {}, now: Date.parse(TS) + 2000, publicUrl: null, ...over,
  };
}

function sign(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('base64');
}

describe('Zendesk signatures', () => {
  it('verifies the test-secret vector with the public test secret when the bin has no secret', () => {
    const [check] = verifySignatures(zendeskRequest('ZSRg6vOX1oNH4MGA/3eaV8olds/BPX3336Rmq+1qkbo=', TEST_BODY));
    expect(check).toMatchObject({ provider: 'zendesk', header: 'x-zendesk-webhook-signature', status: 'verified', secretSource: 'zendesk-test-secret' });
    expect(check.message).toContain('HMAC-SHA256 of timestamp + body (23 bytes)');
    expect(check.message).toContain('test delivery');
  });

  it('verifies the empty-body test-secret vector', () => {
    const [check] = verifySignatures(zendeskRequest('wCdBvXaHttn0wRVIYctzZ9O6O0bnqWakJMEKZ9VoRWw=', ''));
    expect(check).toMatchObject({ status: 'verified', secretSource: 'zendesk-test-secret' });
    expect(check.message).toContain('empty body');
  });

  it('still recognises a test delivery when the bin holds another secret', () => {
    const input = zendeskRequest('ZSRg6vOX1oNH4MGA/3eaV8olds/BPX3336Rmq+1qkbo=', TEST_BODY, { secrets: { zendesk: 'real-secret-of-the-webhook' } });
    expect(verifySignatures(input)[0]).toMatchObject({ status: 'verified', secretSource: 'zendesk-test-secret' });
  });

  it("verifies with the bin's secret over timestamp + body, keyed with the secret as text", () => {
    const secret = 'HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=';
    const body = '{"ticket":{"id":42}}';
    const [check] = verifySignatures(zendeskRequest(sign(secret, TS + body), body, { secrets: { zendesk: secret } }));
    expect(check).toMatchObject({ status: 'verified', secretSource: 'bin' });
    expect(check.message).toBe("HMAC-SHA256 of timestamp + body (20 bytes) with the bin's secret, base64, matches x-zendesk-webhook-signature.");
  });

  it('reports a mismatch for the legacy-order trap example and says the legacy order would have matched', () => {
    const input = zendeskRequest('tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=', '{"say": "hello"}', {
      secrets: { zendesk: 'HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=' },
    }, '2021-07-25T10:00:00Z');
    const [check] = verifySignatures(input);
    expect(check).toMatchObject({ status: 'mismatch', secretSource: 'bin' });
    expect(check.message).toContain('legacy order');
    expect(check.message).toContain('would have matched');
  });

  it('says the legacy order does not match either when neither order matches', () => {
    const input = zendeskRequest(sign('some-other-secret', TS + TEST_BODY), TEST_BODY, { secrets: { zendesk: 'the-bin-secret-value' } });
    const [check] = verifySignatures(input);
    expect(check.status).toBe('mismatch');
    expect(check.message).toContain('The legacy order, body + timestamp, does not match either.');
  });

  it('answers no-secret, saying the test secret did not match, when only the test secret was tried', () => {
    const [check] = verifySignatures(zendeskRequest(sign('a-real-zendesk-secret', TS + TEST_BODY), TEST_BODY));
    expect(check.status).toBe('no-secret');
    expect(check.secretSource).toBeUndefined();
    expect(check.message).toContain('test secret does not match');
    expect(check.message).toContain("Zendesk signs test deliveries from the webhook builder (Test webhook) with its public test secret, and a saved webhook's deliveries with that webhook's own signing secret");
  });

  it('names the secret it tried by fingerprint, never by value, and says which secret Zendesk uses for what', () => {
    const secret = 'the-bins-own-zendesk-secret';
    const [check] = verifySignatures(zendeskRequest(sign('another-webhooks-secret', TS + TEST_BODY), TEST_BODY, { secrets: { zendesk: secret } }));
    expect(check.status).toBe('mismatch');
    expect(check.message).toContain(`the bin's secret (SHA-256 fingerprint ${createHash('sha256').update(secret).digest('hex').slice(0, 16)})`);
    expect(check.message).not.toContain(secret);
    expect(check.message).toContain('test deliveries from the webhook builder (Test webhook) with its public test secret');
    expect(check.message).toContain('(this came from webhook 01F1KRFQ6BG29CNWFR60NK5FNY)');
  });

  it('answers malformed when the timestamp header is missing', () => {
    const [check] = verifySignatures(zendeskRequest('ZSRg6vOX1oNH4MGA/3eaV8olds/BPX3336Rmq+1qkbo=', TEST_BODY, {}, null));
    expect(check.status).toBe('malformed');
    expect(check.message).toContain('x-zendesk-webhook-signature-timestamp');
  });

  it('answers malformed when the signature is not base64 of 32 bytes', () => {
    const [check] = verifySignatures(zendeskRequest('not a signature!', TEST_BODY));
    expect(check.status).toBe('malformed');
    expect(check.message).toContain('expected base64 of an HMAC-SHA256');
  });

  it('asks for a larger --max-body, not a secret, when a test delivery\'s body was truncated', () => {
    const whole = '{"name":"test webhook","padding":"' + 'x'.repeat(2000) + '"}';
    const input = zendeskRequest(sign(ZENDESK_TEST_SECRET, TS + whole), whole.slice(0, 1024), { bodyTruncated: true });
    const [check] = verifySignatures(input);
    expect(check.status).toBe('mismatch');
    expect(check.message).toMatch(/^Cannot be checked: the body was truncated at capture/);
    expect(check.message).toMatch(/--max-body/);
    expect(check.message).not.toMatch(/secret is needed/);
  });

  it('says the check is inconclusive instead of claiming a mismatch when the body was truncated', () => {
    const secret = 'the-bin-secret-value';
    const whole = 'x'.repeat(100);
    const input = zendeskRequest(sign(secret, TS + whole), whole.slice(0, 10), { secrets: { zendesk: secret }, bodyTruncated: true });
    const [check] = verifySignatures(input);
    expect(check.message).toMatch(/^Cannot be checked: the body was truncated at capture \(only the first 10 bytes were stored\)/);
  });

  it('finds the headers whatever their case', () => {
    const input = zendeskRequest('', TEST_BODY);
    input.headers = [
      ['X-Zendesk-Webhook-Signature', 'ZSRg6vOX1oNH4MGA/3eaV8olds/BPX3336Rmq+1qkbo='],
      ['X-Zendesk-Webhook-Signature-Timestamp', TS],
    ];
    expect(verifySignatures(input)[0]).toMatchObject({ header: 'X-Zendesk-Webhook-Signature', status: 'verified' });
  });

  it('never puts the secret in a message', () => {
    const secret = 'HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=';
    for (const signature of [sign(secret, TS + TEST_BODY), sign('other', TS + TEST_BODY), 'tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=']) {
      const [check] = verifySignatures(zendeskRequest(signature, TEST_BODY, { secrets: { zendesk: secret } }));
      expect(check.message).not.toContain(secret);
      expect(check.message).not.toContain('dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==');
    }
  });
});

describe('Zendesk source', () => {
  it('takes the account, webhook and invocation ids and marks a test-secret match as a test delivery', () => {
    const input = zendeskRequest('ZSRg6vOX1oNH4MGA/3eaV8olds/BPX3336Rmq+1qkbo=', TEST_BODY);
    expect(recognizeSource(input.headers, verifySignatures(input))).toEqual({
      provider: 'zendesk',
      accountId: '123456',
      webhookId: '01F1KRFQ6BG29CNWFR60NK5FNY',
      invocationId: '8350205582',
      testDelivery: true,
    });
  });

  it('does not mark a delivery verified with the bin secret as a test delivery', () => {
    const secret = 'the-bin-secret-value';
    const input = zendeskRequest(sign(secret, TS + TEST_BODY), TEST_BODY, { secrets: { zendesk: secret } });
    const source = recognizeSource(input.headers, verifySignatures(input));
    expect(source).toMatchObject({ provider: 'zendesk', accountId: '123456' });
    expect(source?.testDelivery).toBeUndefined();
  });

  it('recognises Zendesk from its headers alone, without ids it lacks', () => {
    expect(recognizeSource([['User-Agent', 'Zendesk Webhook']], [])).toEqual({ provider: 'zendesk' });
  });
});
