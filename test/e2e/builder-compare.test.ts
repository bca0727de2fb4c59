import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sendCapture, useViewer } from './harness';

/**
 * The header builder's "Send test request" → "Compare with…" and "Paste an expected token": a bin holds Zendesk's
 * own capture (an API token); the builder sends the same email with another token, the comparison says the secrets
 * differ without showing either, and a pasted token is checked against the capture by fingerprint only.
 */
const EMAIL = 'agent@example.com';
const ZENDESK_TOKEN = 'zendesk-side-token-7Qm2Xw9LpR4tVb8N';
const BUILT_TOKEN = 'builder-side-token-3Hk6Js1DfG5yUc0E';
const basic = (token: string) => Buffer.from(`${EMAIL}/token:${token}`).toString('base64');

const viewer = useViewer({ bins: [['zd', 'Zendesk target']] });

async function zendeskCapture(): Promise<number> {
  return sendCapture(`${viewer.server.url}/b/zd`, {
    headers: {
      Authorization: `Basic ${basic(ZENDESK_TOKEN)}`,
      'Content-Type': 'application/json',
      'User-Agent': 'Zendesk Webhook',
      'X-Zendesk-Account-Id': '123456',
      'X-Zendesk-Webhook-Id': '01F1KRFQ6BG29CNWFR60NK5FNY',
    },
    body: '{"name":"test webhook"}',
  });
}

async function openBuilder(): Promise<Page> {
  const page = await viewer.newPage();
  await page.goto(`${viewer.server.url}/builder`);
  await page.waitForSelector('[data-testid=header-builder]');
  await page.selectOption('[data-testid=builder-bin]', 'zd');
  return page;
}

async function checkExpected(page: Page, token: string): Promise<{ verdict: string | null; text: string }> {
  await page.fill('[data-testid=builder-expected]', token);
  await page.click('[data-testid=builder-expected-check]');
  const result = page.locator('[data-testid=builder-expected-result]');
  await result.waitFor();
  return { verdict: await result.getAttribute('data-verdict'), text: (await result.textContent()) ?? '' };
}

describe('the header builder: send a test request and compare it', () => {
  it('sends the built header into the bin, compares it with Zendesk\'s capture and checks a pasted token by fingerprint', async () => {
    const zendeskId = await zendeskCapture();
    const page = await openBuilder();
    await page.fill('[data-testid=builder-email]', EMAIL);
    await page.fill('[data-testid=builder-secret]', BUILT_TOKEN);
    await page.click('[data-testid=builder-send-test]');
    await page.waitForSelector('[data-testid=builder-sent]');
    const sentId = Number((await page.textContent('[data-testid=builder-sent-link]'))?.replace(/\D/g, ''));
    expect(sentId).toBeGreaterThan(zendeskId);

    // The picked capture: Zendesk's own.
    await expect.poll(() => page.locator('[data-testid=builder-compare-pick] option').count()).toBeGreaterThan(0);
    await page.selectOption('[data-testid=builder-compare-pick]', String(zendeskId));

    // Paste an expected token: the Zendesk capture's own matches, another does not, an empty one is refused.
    const same = await checkExpected(page, ZENDESK_TOKEN);
    expect(same.verdict).toBe('matches');
    expect(same.text).toContain('matches');
    const other = await checkExpected(page, BUILT_TOKEN);
    expect(other.verdict).toBe('does-not-match');
    expect(other.text).toContain('does not match');
    for (const text of [same.text, other.text]) {
      expect(text).not.toContain(ZENDESK_TOKEN);
      expect(text).not.toContain(BUILT_TOKEN);
    }
    expect(await page.getAttribute('[data-testid=builder-expected]', 'type')).toBe('password');
    const empty = await checkExpected(page, '');
    expect(empty.verdict).toBe('refused');

    // Compare with…: the sent request (A) and Zendesk's capture (B), side by side.
    await page.click('[data-testid=builder-compare]');
    await page.waitForURL(`${viewer.server.url}/compare/zd/${sentId}/zd/${zendeskId}`);
    const verdict = page.locator('[data-testid=compare-credential-verdict]').first();
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain('different secret');
    const html = await page.content();
    for (const secret of [ZENDESK_TOKEN, BUILT_TOKEN, basic(ZENDESK_TOKEN), basic(BUILT_TOKEN)]) expect(html).not.toContain(secret);
  });

  it('stores the test request as sent, from the server: the built header, and Zendesk\'s signature for the body and secret', async () => {
    const page = await openBuilder();
    await page.fill('[data-testid=builder-email]', EMAIL);
    await page.fill('[data-testid=builder-secret]', BUILT_TOKEN);
    await page.fill('[data-testid=builder-signing-secret]', 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==');
    await page.click('[data-testid=builder-send-test]');
    await page.waitForSelector('[data-testid=builder-sent]');
    const sentId = Number((await page.textContent('[data-testid=builder-sent-link]'))?.replace(/\D/g, ''));
    const stored = await (await fetch(`${viewer.server.url}/api/bins/zd/requests/${sentId}`)).json() as {
      remoteAddress: string; headers: [string, string][]; analysis: { signatures: { provider: string; status: string }[] };
    };
    expect(stored.remoteAddress).toBe('hooklens (send-test)');
    expect(stored.headers.map(([name]) => name)).toEqual(['Authorization', 'Content-Type', 'X-Zendesk-Webhook-Signature', 'X-Zendesk-Webhook-Signature-Timestamp']);
    expect(stored.headers[0][1]).toBe(`Basic ${basic(BUILT_TOKEN)}`);
    // Zendesk's public test secret: the server checks the HMAC the browser computed, and it verifies.
    expect(stored.analysis.signatures.find((check) => check.provider === 'zendesk')?.status).toBe('verified');
  });

  it('refuses an empty token: no header, nothing to send', async () => {
    const page = await openBuilder();
    await page.fill('[data-testid=builder-email]', EMAIL);
    await page.waitForSelector('[data-testid=builder-refused]');
    expect(await page.isDisabled('[data-testid=builder-send-test]')).toBe(true);
    expect(await page.locator('[data-testid=builder-header]').count()).toBe(0);
  });
});
