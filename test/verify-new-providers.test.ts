import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const NOW = 1_800_000_000_000;
const TS = String(NOW / 1000);

function request(headers: HeaderPair[], body: string | Buffer, secrets: Record<string, string>, over: Partial<VerifyInput> = {}): VerifyInput {
  return { method: 'POST', url: '/b/bin/hook', headers, body: Buffer.from(body), bodyTruncated: false, secrets, now: NOW, publicUrl: null, ...over };
}
const check = (...args: Parameters<typeof request>) => verifySignatures(request(...args))[0];
const hmac = (key: string | Buffer, message: string, encoding: 'hex' | 'base64' = 'hex') => createHmac('sha256', key).update(message).digest(encoding);
const fingerprintOf = (secret: string) => `SHA-256 fingerprint ${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;

describe('SendGrid (ECDSA P-256), with the vector of @sendgrid/eventwebhook and SendGrid docs', () => {
  const PUBLIC_KEY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==';
  const SIGNATURE = 'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=';
  const TIMESTAMP = '1600112502';
  const PAYLOAD = `${JSON.stringify([{
    email: 'hello@world.com', event: 'dropped', reason: 'Bounced Address', sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
    sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
    'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>', timestamp: 1600112492,
  }])}\r\n`;
  const headers = (signature = SIGNATURE): HeaderPair[] => [['X-Twilio-Email-Event-Webhook-Signature', signature], ['X-Twilio-Email-Event-Webhook-Timestamp', TIMESTAMP]];

  it('verifies the published vector with the verification key as SendGrid shows it, and as PEM', () => {
    expect(check(headers(), PAYLOAD, { sendgrid: PUBLIC_KEY })).toMatchObject({ provider: 'sendgrid', status: 'verified', secretSource: 'bin' });
    const pem = `-----BEGIN PUBLIC KEY-----\n${PUBLIC_KEY}\n-----END PUBLIC KEY-----\n`;
    expect(check(headers(), PAYLOAD, { sendgrid: pem }).status).toBe('verified');
  });

  it('reports a mismatch without the trailing CRLF, naming the key by fingerprint', () => {
    const result = check(headers(), PAYLOAD.trimEnd(), { sendgrid: PUBLIC_KEY });
    expect(result.status).toBe('mismatch');
    expect(result.message).toContain(`the bin's SendGrid public key (${fingerprintOf(PUBLIC_KEY)})`);
  });

  it('asks for the public key when the bin has none, and says when the key is not one', () => {
    expect(check(headers(), PAYLOAD, {})).toMatchObject({ status: 'no-secret' });
    expect(check(headers(), PAYLOAD, {}).message).toContain('no SendGrid public key');
    expect(check(headers(), PAYLOAD, { sendgrid: 'not a key' }).message).toContain('is not a P-256 public key');
  });

  it('answers malformed for a signature that is not base64', () => {
    expect(check(headers('%%%'), PAYLOAD, { sendgrid: PUBLIC_KEY }).status).toBe('malformed');
  });
});

describe('Discord (Ed25519)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const body = '{"type":1}';
  const signature = sign(null, Buffer.from(TS + body), privateKey).toString('hex');
  const headers = (sig = signature): HeaderPair[] => [['X-Signature-Ed25519', sig], ['X-Signature-Timestamp', TS]];

  it('verifies with the application public key, in either hex case', () => {
    expect(check(headers(), body, { discord: publicHex })).toMatchObject({ provider: 'discord', status: 'verified' });
    expect(check(headers(signature.toUpperCase()), body, { discord: publicHex.toUpperCase() }).status).toBe('verified');
  });

  it('reports a mismatch for another body or another key', () => {
    expect(check(headers(), '{"type":2}', { discord: publicHex }).status).toBe('mismatch');
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    expect(check(headers(), body, { discord: other }).status).toBe('mismatch');
  });

  it('asks for the public key, and recognises Discord', () => {
    expect(check(headers(), body, {}).message).toContain('no Discord public key');
    expect(check(headers(), body, { discord: 'abc' }).message).toContain('is not 64 hex characters');
    expect(recognizeSource(headers(), [])?.provider).toBe('discord');
  });
});

describe('Standard Webhooks v1a (Ed25519)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const whpk = `whpk_${publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64')}`;
  const body = '{"test": 2432232314}';
  const v1a = `v1a,${sign(null, Buffer.from(`msg_1.${TS}.${body}`), privateKey).toString('base64')}`;
  const headers = (signature: string): HeaderPair[] => [['webhook-id', 'msg_1'], ['webhook-timestamp', TS], ['webhook-signature', signature]];

  it('verifies a v1a signature with the public key (whpk_)', () => {
    expect(check(headers(v1a), body, { 'standard-webhooks-public-key': whpk })).toMatchObject({ provider: 'standard-webhooks', status: 'verified' });
  });

  it('verifies with either key when the header carries v1 and v1a, and says what it could not check', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const v1 = `v1,${hmac(Buffer.from(secret.slice(6), 'base64'), `msg_1.${TS}.${body}`, 'base64')}`;
    const onlyKey = check(headers(`${v1} ${v1a}`), body, { 'standard-webhooks-public-key': whpk });
    expect(onlyKey.status).toBe('verified');
    expect(onlyKey.message).toContain('Not checked:');
    expect(check(headers(`${v1} ${v1a}`), body, { 'standard-webhooks': secret }).status).toBe('verified');
  });

  it('is stale outside 300 s, and a mismatch with a changed body', () => {
    expect(check(headers(v1a), body, { 'standard-webhooks-public-key': whpk }, { now: NOW + 301_000 }).status).toBe('stale');
    expect(check(headers(v1a), `${body} `, { 'standard-webhooks-public-key': whpk }).status).toBe('mismatch');
  });
});

describe('HubSpot v1 and v2, with the vectors of HubSpot docs and @hubspot/api-client', () => {
  const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';

  it('verifies v1: SHA-256 of the secret + body', () => {
    const body = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    const headers: HeaderPair[] = [['X-HubSpot-Signature', '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de'], ['X-HubSpot-Signature-Version', 'v1']];
    const result = check(headers, body, { hubspot: SECRET });
    expect(result).toMatchObject({ provider: 'hubspot', status: 'verified' });
    expect(result.message).toContain("SHA-256 of the bin's secret + body");
    expect(check(headers, `${body} `, { hubspot: SECRET }).status).toBe('mismatch');
  });

  it('verifies v2: SHA-256 of the secret + method + URL + body, with the URL from --public-url or the Host header', () => {
    const headers: HeaderPair[] = [['X-HubSpot-Signature', '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900'], ['X-HubSpot-Signature-Version', 'v2']];
    const body = '{"example_field":"example_value"}';
    expect(check(headers, body, { hubspot: SECRET }, { publicUrl: 'https://www.example.com/webhook_uri' }).status).toBe('verified');
    const viaHost: HeaderPair[] = [...headers, ['Host', 'www.example.com']];
    expect(check(viaHost, body, { hubspot: SECRET }, { url: '/webhook_uri' }).status).toBe('verified');
    const get: HeaderPair[] = [['X-HubSpot-Signature', 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e'], ['X-HubSpot-Signature-Version', 'v2']];
    expect(check(get, '', { hubspot: SECRET }, { method: 'GET', publicUrl: 'https://www.example.com/webhook_uri' }).status).toBe('verified');
  });
});

describe('Paddle, Calendly, Zoom, Typeform, Bitbucket', () => {
  const body = '{"event_type":"transaction.completed"}';

  it('Paddle: ts=;h1= over ts + ":" + body, stale after 5 s', () => {
    const headers: HeaderPair[] = [['Paddle-Signature', `ts=${TS};h1=${hmac('pdl_ntfset_01', `${TS}:${body}`)}`]];
    expect(check(headers, body, { paddle: 'pdl_ntfset_01' })).toMatchObject({ provider: 'paddle', status: 'verified' });
    expect(check(headers, body, { paddle: 'pdl_ntfset_01' }, { now: NOW + 5_001 }).status).toBe('stale');
    expect(check(headers, body, { paddle: 'pdl_ntfset_02' }).message).toContain(fingerprintOf('pdl_ntfset_02'));
  });

  it('Calendly: t=,v1= over t + "." + body, stale after three minutes', () => {
    const headers: HeaderPair[] = [['Calendly-Webhook-Signature', `t=${TS},v1=${hmac('calendly-key', `${TS}.${body}`)}`]];
    expect(check(headers, body, { calendly: 'calendly-key' })).toMatchObject({ provider: 'calendly', status: 'verified' });
    expect(check(headers, body, { calendly: 'calendly-key' }, { now: NOW + 180_001 }).status).toBe('stale');
  });

  it('Zoom: v0= over "v0:" + timestamp + ":" + body', () => {
    const headers: HeaderPair[] = [['x-zm-signature', `v0=${hmac('zoom-token', `v0:${TS}:${body}`)}`], ['x-zm-request-timestamp', TS]];
    expect(check(headers, body, { zoom: 'zoom-token' })).toMatchObject({ provider: 'zoom', status: 'verified' });
    expect(check(headers, body, { zoom: 'other' }).status).toBe('mismatch');
    expect(check(headers.slice(0, 1), body, { zoom: 'zoom-token' }).status).toBe('malformed');
  });

  it('Typeform: sha256= + base64 of the body HMAC', () => {
    const headers: HeaderPair[] = [['Typeform-Signature', `sha256=${hmac('tf-secret', body, 'base64')}`]];
    expect(check(headers, body, { typeform: 'tf-secret' })).toMatchObject({ provider: 'typeform', status: 'verified' });
    expect(check(headers, `${body}\n`, { typeform: 'tf-secret' }).status).toBe('mismatch');
  });

  it('Bitbucket: X-Hub-Signature sha256= is told from Jira by its neighbouring headers', () => {
    const signature: HeaderPair = ['X-Hub-Signature', `sha256=${hmac('bb-secret', body)}`];
    const bitbucket = check([signature, ['X-Event-Key', 'repo:push']], body, { bitbucket: 'bb-secret', jira: 'bb-secret' });
    expect(bitbucket).toMatchObject({ provider: 'bitbucket', status: 'verified' });
    expect(check([signature, ['X-Atlassian-Webhook-Identifier', '1']], body, { bitbucket: 'bb-secret', jira: 'bb-secret' }).provider).toBe('jira');
    expect(check([signature], body, { bitbucket: 'bb-secret' })).toMatchObject({ provider: 'bitbucket', status: 'verified' });
  });
});

describe('Mailgun (signed in the body)', () => {
  const key = 'key-mailgun-signing';
  const fields = { timestamp: TS, token: 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0', signature: hmac(key, `${TS}a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0`) };

  it('verifies a JSON webhook and a form-encoded route post', () => {
    const json = JSON.stringify({ signature: fields, 'event-data': { event: 'delivered' } });
    expect(check([['Content-Type', 'application/json']], json, { mailgun: key })).toMatchObject({ provider: 'mailgun', header: 'signature (in the body)', status: 'verified' });
    const form = new URLSearchParams({ ...fields, recipient: 'a@example.com' }).toString();
    expect(check([['Content-Type', 'application/x-www-form-urlencoded']], form, { mailgun: key }).status).toBe('verified');
  });

  it('reports a mismatch for a changed token, and ignores bodies without the three fields', () => {
    const json = JSON.stringify({ signature: { ...fields, token: 'x' } });
    expect(check([['Content-Type', 'application/json']], json, { mailgun: key }).status).toBe('mismatch');
    expect(verifySignatures(request([], JSON.stringify({ signature: 'abc' }), { mailgun: key }))).toEqual([]);
  });
});

describe('Secrets sent in clear: GitLab and Postmark', () => {
  it('GitLab: X-Gitlab-Token equal to the secret verifies; otherwise neither value is shown', () => {
    const token = 'glpat-s3cr3t-token-value';
    expect(check([['X-Gitlab-Token', token]], '{}', { gitlab: token })).toMatchObject({ provider: 'gitlab', status: 'verified' });
    const wrong = check([['X-Gitlab-Token', 'a-wrong-token-value']], '{}', { gitlab: token });
    expect(wrong.status).toBe('mismatch');
    expect(wrong.message).not.toContain(token);
    expect(wrong.message).not.toContain('a-wrong-token-value');
    expect(wrong.message).toContain(fingerprintOf('a-wrong-token-value'));
    expect(check([['X-Gitlab-Token', token]], '{}', {}).status).toBe('no-secret');
  });

  it("Postmark: the Basic credentials compared with the bin's user-id:password", () => {
    const basic = (s: string): HeaderPair => ['Authorization', `Basic ${Buffer.from(s).toString('base64')}`];
    const ua: HeaderPair = ['User-Agent', 'Postmark'];
    expect(check([ua, basic('hook:pa55word')], '{}', { postmark: 'hook:pa55word' })).toMatchObject({ provider: 'postmark', status: 'verified' });
    expect(check([ua, basic('hook:wrong')], '{}', { postmark: 'hook:pa55word' }).status).toBe('mismatch');
    expect(check([ua], '{}', { postmark: 'hook:pa55word' }).status).toBe('mismatch');
    expect(verifySignatures(request([ua], '{}', {}))).toEqual([]);
    expect(verifySignatures(request([basic('hook:pa55word')], '{}', { postmark: 'hook:pa55word' }))).toEqual([]);
  });
});

describe('Telling the user why', () => {
  it('names the secret tried by its fingerprint in every HMAC mismatch, never its value', () => {
    const secret = 'whsec_0123456789abcdefghij';
    const result = check([['Stripe-Signature', `t=${TS},v1=${'0'.repeat(64)}`]], '{}', { stripe: secret });
    expect(result.status).toBe('mismatch');
    expect(result.message).toContain(`with the bin's secret (${fingerprintOf(secret)})`);
    expect(result.message).not.toContain(secret);
  });
});
