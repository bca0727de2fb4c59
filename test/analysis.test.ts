import { createHmac } from 'node:crypto';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { CapturedRequest, SignatureCheck } from '../shared/types';
import { makeTestApp, type TestApp } from './helpers/app';

type App = TestApp['app'];

const ZENDESK_TEST_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const ZENDESK_TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';

/** Sends `body` with `headers` through the real capture endpoint and reads the request back with its analysis. */
async function roundTrip(app: App, binId: string, headers: Record<string, string>, body: string | Buffer): Promise<CapturedRequest> {
  const sent = await request(app).post(`/b/${binId}/webhook`).set(headers).send(body).expect(200);
  return readBack(app, binId, sent.body.id);
}

async function readBack(app: App, binId: string, id: number): Promise<CapturedRequest> {
  return (await request(app).get(`/api/bins/${binId}/requests/${id}`).expect(200)).body as CapturedRequest;
}

function only(checks: SignatureCheck[], provider: string): SignatureCheck {
  const found = checks.filter((c) => c.provider === provider);
  expect(found).toHaveLength(1);
  return found[0];
}

function zendeskHeaders(body: string, timestamp: string, secret = ZENDESK_TEST_SECRET): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'x-zendesk-account-id': '123456',
    'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY',
    'x-zendesk-webhook-invocation-id': '8350205582',
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': createHmac('sha256', secret).update(timestamp + body).digest('base64'),
    Authorization: 'Basic ' + Buffer.from(`jdoe@example.com/token:${ZENDESK_TOKEN}`).toString('base64'),
  };
}

describe('a Zendesk test delivery through capture', () => {
  it('is labelled a Zendesk API token for the email, with the token masked, and verified with the test secret', async () => {
    const { app } = await makeTestApp({ bins: ['zd'] });
    const body = '{"name":"test webhook"}';
    const captured = await roundTrip(app, 'zd', zendeskHeaders(body, '2021-03-25T05:09:27Z'), body);
    expect(captured.authLabel).toContain('Zendesk API token');
    const [credential] = captured.analysis.credentials;
    expect(credential).toMatchObject({ kind: 'zendesk-api-token', username: 'jdoe@example.com', scheme: 'Basic' });
    expect(credential.secret?.length).toBe(ZENDESK_TOKEN.length);
    expect(JSON.stringify(captured.analysis)).not.toContain(ZENDESK_TOKEN);
    expect(only(captured.analysis.signatures, 'zendesk')).toMatchObject({ status: 'verified', secretSource: 'zendesk-test-secret' });
    expect(captured.analysis.source).toMatchObject({
      provider: 'zendesk', accountId: '123456', webhookId: '01F1KRFQ6BG29CNWFR60NK5FNY', invocationId: '8350205582', testDelivery: true,
    });
    const list = await request(app).get('/api/bins/zd/requests').expect(200);
    expect(list.body.requests[0].authLabel).toBe(captured.authLabel);
  });

  it('verifies a saved webhook with the bin secret set after the request was captured', async () => {
    const { app } = await makeTestApp({ bins: ['zd'] });
    const secret = 'HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=';
    const body = '{"ticket":{"id":35436}}';
    const before = await roundTrip(app, 'zd', zendeskHeaders(body, '2026-11-30T10:00:00Z', secret), body);
    expect(only(before.analysis.signatures, 'zendesk').status).toBe('no-secret');
    await request(app).patch('/api/bins/zd').send({ signingSecrets: { zendesk: secret } }).expect(200);
    const after = await readBack(app, 'zd', before.id);
    expect(only(after.analysis.signatures, 'zendesk')).toMatchObject({ status: 'verified', secretSource: 'bin' });
    expect(after.analysis.source?.testDelivery).toBeFalsy();
  });
});

describe('GitHub, signed by @octokit/webhooks-methods, through capture', () => {
  const secret = 'It\'s a Secret to Everybody';
  const body = '{"action":"opened","number":1}';

  it('verifies, and a flipped body byte is a mismatch', async () => {
    const { app } = await makeTestApp({ bins: ['gh'] });
    await request(app).patch('/api/bins/gh').send({ signingSecrets: { github: secret } }).expect(200);
    const headers = {
      'Content-Type': 'application/json', 'X-GitHub-Event': 'pull_request', 'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'X-Hub-Signature-256': await githubSign(secret, body),
    };
    const good = await roundTrip(app, 'gh', headers, body);
    expect(only(good.analysis.signatures, 'github').status).toBe('verified');
    expect(good.analysis.source).toMatchObject({ provider: 'github' });
    const flipped = await roundTrip(app, 'gh', headers, body.replace('opened', 'openee'));
    expect(only(flipped.analysis.signatures, 'github').status).toBe('mismatch');
  });
});

describe('Stripe, signed by stripe.webhooks.generateTestHeaderString, through capture', () => {
  const secret = 'whsec_test_secret_for_hooklens';
  const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'charge.succeeded' });
  const stripe = new Stripe('sk_test_unused');

  it('verifies a fresh delivery, flags an hour-old one stale and a changed body a mismatch', async () => {
    const { app } = await makeTestApp({ bins: ['st'] });
    await request(app).patch('/api/bins/st').send({ signingSecrets: { stripe: secret } }).expect(200);
    const now = Math.floor(Date.now() / 1000);
    const header = (timestamp: number) => ({
      'Content-Type': 'application/json',
      'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
    });
    expect(only((await roundTrip(app, 'st', header(now), payload)).analysis.signatures, 'stripe').status).toBe('verified');
    expect(only((await roundTrip(app, 'st', header(now - 3600), payload)).analysis.signatures, 'stripe').status).toBe('stale');
    const changed = Buffer.from(payload);
    changed[5] ^= 1;
    expect(only((await roundTrip(app, 'st', header(now), changed)).analysis.signatures, 'stripe').status).toBe('mismatch');
  });
});

describe('Standard Webhooks, signed by standardwebhooks, through capture', () => {
  it('verifies, and reports no-secret until the bin has one', async () => {
    const { app } = await makeTestApp({ bins: ['sw'] });
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const payload = '{"type":"user.created"}';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const timestamp = new Date();
    const headers = {
      'Content-Type': 'application/json', 'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, timestamp, payload),
    };
    const captured = await roundTrip(app, 'sw', headers, payload);
    expect(only(captured.analysis.signatures, 'standard-webhooks').status).toBe('no-secret');
    await request(app).patch('/api/bins/sw').send({ signingSecrets: { 'standard-webhooks': secret } }).expect(200);
    expect(only((await readBack(app, 'sw', captured.id)).analysis.signatures, 'standard-webhooks').status).toBe('verified');
  });
});

describe('Twilio, which signs the public URL, through capture', () => {
  const authToken = '12345';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
  const body = new URLSearchParams(params).toString();
  const sign = (url: string) => createHmac('sha1', authToken)
    .update(url + Object.keys(params).sort().map((k) => k + params[k as keyof typeof params]).join('')).digest('base64');

  it('verifies a delivery through a tunnel from its captured Host and X-Forwarded-Proto, whatever host the viewer uses', async () => {
    const { app } = await makeTestApp({ bins: ['tw'] });
    await request(app).patch('/api/bins/tw').send({ signingSecrets: { twilio: authToken } }).expect(200);
    const sent = await request(app).post('/b/tw/voice?foo=1').set('Host', 'abc.ngrok.app').set('X-Forwarded-Proto', 'https')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('X-Twilio-Signature', sign('https://abc.ngrok.app/b/tw/voice?foo=1')).send(body).expect(200);
    const captured = await readBack(app, 'tw', sent.body.id);
    expect(only(captured.analysis.signatures, 'twilio').status).toBe('verified');
  });

  it('verifies against --public-url when it is set', async () => {
    const token = 'test-token-0123456789';
    const { app } = await makeTestApp({ bins: ['tw'], config: { publicUrl: 'https://hooks.example.com', token } });
    const auth = { Authorization: `Bearer ${token}` };
    await request(app).patch('/api/bins/tw').set(auth).send({ signingSecrets: { twilio: authToken } }).expect(200);
    const sent = await request(app).post('/b/tw/sms').set('Content-Type', 'application/x-www-form-urlencoded')
      .set('X-Twilio-Signature', sign('https://hooks.example.com/b/tw/sms')).send(body).expect(200);
    const res = await request(app).get(`/api/bins/tw/requests/${sent.body.id}`).set(auth).expect(200);
    expect(only((res.body as CapturedRequest).analysis.signatures, 'twilio').status).toBe('verified');
  });
});
