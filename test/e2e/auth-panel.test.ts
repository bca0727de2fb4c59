import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sendCapture, useViewer } from './harness';

/** Zendesk's public signing secret for test deliveries (auth-reference.md §1), used as the literal string. */
const ZENDESK_TEST_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const EMAIL = 'jdoe@example.com';
const API_TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const BASIC = Buffer.from(`${EMAIL}/token:${API_TOKEN}`, 'utf8').toString('base64');

const viewer = useViewer({ bins: [['zendesk', 'Zendesk webhooks']] });
let page: Page;

/** Sends a Zendesk-shaped webhook delivery signed with `secret`; resolves with the stored request id. */
function sendZendeskDelivery(secret: string): Promise<number> {
  const body = '{"name":"test webhook"}';
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const signature = createHmac('sha256', secret).update(timestamp + body).digest('base64');
  return sendCapture(`${viewer.server.url}/b/zendesk`, {
    body,
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${BASIC}`,
      'x-zendesk-account-id': '123456',
      'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY',
      'x-zendesk-webhook-invocation-id': '8350205582',
      'x-zendesk-webhook-signature': signature,
      'x-zendesk-webhook-signature-timestamp': timestamp,
    },
  });
}

async function openRequest(id: number): Promise<void> {
  page = await viewer.newPage();
  await page.goto(`${viewer.server.url}/bins/zendesk/requests/${id}`);
  await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"] [data-testid=auth-panel]`);
}

/** Everything on the page a person or a script could read: rendered text, all text nodes, and attributes. */
function pageTexts(target: Page): Promise<string[]> {
  return target.evaluate(() => [document.body.innerText, document.documentElement.textContent ?? '', document.documentElement.outerHTML]);
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('the Auth panel', () => {
  it('shows a Zendesk test delivery: API token, email, verified signature and its source', async () => {
    const id = await sendZendeskDelivery(ZENDESK_TEST_SECRET);
    await openRequest(id);
    const panel = page.locator('[data-testid=auth-panel]');
    const text = await panel.innerText();
    expect(text).toContain('Zendesk API token');
    expect(text).toContain(EMAIL);
    expect(await page.locator('[data-testid=signature][data-status=verified]').count()).toBe(1);
    expect(await page.textContent('[data-testid=signature-status]')).toBe('verified');
    const source = await page.textContent('[data-testid=source]');
    expect(source).toContain('Zendesk');
    expect(source).toContain('account 123456');
    expect(source).toContain('test delivery');
    expect(await page.textContent('[data-testid=request-auth-label]')).toContain('Zendesk API token');
  });

  it('keeps the API token out of the page until it is revealed, and hides it again', async () => {
    const id = await sendZendeskDelivery(ZENDESK_TEST_SECRET);
    await openRequest(id);
    for (const text of await pageTexts(page)) {
      expect(text).not.toContain(API_TOKEN);
      expect(text).not.toContain(BASIC);
    }

    await page.click('[data-testid=credential] [data-testid=reveal-secret]');
    await expect.poll(() => page.textContent('[data-testid=credential] [data-testid=secret-value]')).toBe(API_TOKEN);
    expect(await page.evaluate(() => document.body.innerText)).toContain(API_TOKEN);
    // Revealing the credential also shows its header as received.
    expect(await page.evaluate(() => document.body.innerText)).toContain(BASIC);

    await page.click('[data-testid=credential] [data-testid=reveal-secret]');
    await expect.poll(() => page.evaluate(() => document.documentElement.textContent ?? '')).not.toContain(API_TOKEN);
  });

  it('verifies a delivery signed with the bin’s own secret once that secret is saved, without a reload', async () => {
    const ownSecret = 'my-webhook-signing-secret-0123456789';
    const id = await sendZendeskDelivery(ownSecret);
    await openRequest(id);
    await expect.poll(() => page.getAttribute('[data-testid=signature]', 'data-status')).not.toBe('verified');

    await page.click('[data-testid=open-settings]');
    await page.selectOption('[data-testid=signing-provider-select]', 'zendesk');
    await page.fill('[data-testid=signing-secret-input]', ownSecret);
    await page.click('[data-testid=save-signing-secret]');

    await page.waitForSelector('[data-testid=signature][data-status=verified]');
    expect(await page.getAttribute('[data-testid=signing-provider][data-provider=zendesk]', 'data-set')).toBe('true');
    for (const text of await pageTexts(page)) expect(text).not.toContain(ownSecret);
  });

  it('reads a JWT bearer token as claims, with its expiry relative to now', async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: 'user-42', iss: 'https://issuer.example', iat: now - 4 * 86400, exp: now - 3 * 86400 })}.c2lnbmF0dXJl`;
    const id = await sendCapture(`${viewer.server.url}/b/zendesk/jwt`, { method: 'GET', headers: { Authorization: `Bearer ${jwt}` } });
    await openRequest(id);
    const claims = await page.innerText('[data-testid=jwt]');
    expect(claims).toContain('user-42');
    expect(claims).toContain('https://issuer.example');
    expect(claims).toContain('expired 3 days ago');
    for (const text of await pageTexts(page)) expect(text).not.toContain(jwt);
  });
});

describe('public keys in the signing secrets panel', () => {
  it('takes a Discord public key like a secret, write-only, with a hint, and verifies an interaction with it', async () => {
    const { generateKeyPairSync, sign } = await import('node:crypto');
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    const body = '{"type":1}';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
    const id = await sendCapture(`${viewer.server.url}/b/zendesk/interactions`, {
      body,
      headers: { 'Content-Type': 'application/json', 'X-Signature-Ed25519': signature, 'X-Signature-Timestamp': timestamp },
    });
    await openRequest(id);
    await expect.poll(() => page.getAttribute('[data-testid=signature]', 'data-status')).toBe('no-secret');
    expect(await page.textContent('[data-testid=signature]')).toContain('no Discord public key');

    await page.click('[data-testid=open-settings]');
    await page.selectOption('[data-testid=signing-provider-select]', 'discord');
    expect(await page.getAttribute('[data-testid=signing-secret-input]', 'placeholder')).toBe('Public key');
    expect(await page.textContent('[data-testid=signing-secret-hint]')).toContain('Developer Portal');
    await page.fill('[data-testid=signing-secret-input]', publicHex);
    await page.click('[data-testid=save-signing-secret]');

    await page.waitForSelector('[data-testid=signature][data-status=verified]');
    expect(await page.innerText('[data-testid=signing-secrets]')).toContain('Saved the Discord public key.');
    expect(await page.getAttribute('[data-testid=signing-provider][data-provider=discord]', 'data-set')).toBe('true');
    expect(await page.inputValue('[data-testid=signing-secret-input]')).toBe('');
    for (const text of await pageTexts(page)) expect(text).not.toContain(publicHex);
  });
});
