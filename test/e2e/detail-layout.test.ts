import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sendCapture, useViewer } from './harness';

/** Zendesk's public signing secret for test deliveries, used as the literal string. */
const ZENDESK_TEST_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const EMAIL = 'jdoe@example.com';
const API_TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const BASIC = Buffer.from(`${EMAIL}/token:${API_TOKEN}`, 'utf8').toString('base64');

const viewer = useViewer({ bins: [['layout', 'Layout']] });

/** A Zendesk-style delivery: Basic with an API token, the account and webhook headers, and a signature. */
function sendZendeskDelivery(secret = ZENDESK_TEST_SECRET): Promise<number> {
  const body = JSON.stringify({ type: 'zen:event-type:ticket.created', detail: { id: '42', subject: 'Printer on fire' } });
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const signature = createHmac('sha256', secret).update(timestamp + body).digest('base64');
  return sendCapture(`${viewer.server.url}/b/layout/zendesk`, {
    body,
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${BASIC}`,
      'User-Agent': 'Zendesk Webhook',
      'x-zendesk-account-id': '123456',
      'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY',
      'x-zendesk-webhook-invocation-id': '8350205582',
      'x-zendesk-webhook-signature': signature,
      'x-zendesk-webhook-signature-timestamp': timestamp,
    },
  });
}

async function openRequest(page: Page, id: number): Promise<void> {
  await page.goto(`${viewer.server.url}/bins/layout/requests/${id}`);
  await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"] [data-testid=headers-table]`);
}

describe('the request detail layout', () => {
  it('starts the headers within the first screen at 1400×900, with the credential and signature summarised above them', async () => {
    const id = await sendZendeskDelivery();
    const page = await viewer.newPage({ viewport: { width: 1400, height: 900 } });
    await openRequest(page, id);
    const table = await page.locator('[data-testid=headers-table]').boundingBox();
    if (!table) throw new Error('the headers table is not laid out');
    expect(table.y).toBeGreaterThanOrEqual(0);
    expect(table.y).toBeLessThan(900 - 100);

    const summary = page.locator('[data-testid=auth-summary]');
    const summaryBox = await summary.boundingBox();
    if (!summaryBox) throw new Error('the auth summary is not laid out');
    expect(summaryBox.y).toBeLessThan(table.y);
    const text = await summary.innerText();
    expect(text).toContain('Basic');
    expect(text).toContain(`Zendesk API token for ${EMAIL}`);
    expect(text).toMatch(/verified \(zendesk\)/i);
    expect(await page.innerText('[data-testid=request-outcome]')).toMatch(/verified \(zendesk\)/i);
    // The summary names the credential; the secret stays off the page.
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    expect(html).not.toContain(API_TOKEN);
    expect(html).not.toContain(BASIC);
  });

  it('hides and shows the full Auth panel from the summary, and remembers the choice', async () => {
    const id = await sendZendeskDelivery();
    const page = await viewer.newPage({ viewport: { width: 1400, height: 900 } });
    await openRequest(page, id);
    await page.waitForSelector('[data-testid=auth-panel]');
    const headersBox = await page.locator('[data-testid=headers-panel]').boundingBox();
    const authBox = await page.locator('[data-testid=auth-panel]').boundingBox();
    if (!headersBox || !authBox) throw new Error('not laid out');
    expect(authBox.y).toBeGreaterThan(headersBox.y);

    await page.click('[data-testid=auth-expand]');
    await page.waitForSelector('[data-testid=auth-panel]', { state: 'detached' });
    expect(await page.getAttribute('[data-testid=auth-expand]', 'aria-expanded')).toBe('false');
    await page.reload();
    await page.waitForSelector('[data-testid=headers-table]');
    expect(await page.locator('[data-testid=auth-panel]').count()).toBe(0);

    await page.click('[data-testid=auth-expand]');
    await page.waitForSelector('[data-testid=auth-panel] [data-testid=credential]');
    expect(await page.innerText('[data-testid=auth-panel]')).toContain(EMAIL);
  });

  it('shows signature messages short, with the digests in a details row', async () => {
    // Signed with another secret: the mismatch message names the computed and the received digests.
    const id = await sendZendeskDelivery('not-the-test-secret');
    const page = await viewer.newPage({ viewport: { width: 1400, height: 900 } });
    await openRequest(page, id);
    const signature = page.locator('[data-testid=signature]');
    await signature.waitFor();
    const message = await signature.locator('[data-testid=signature-message]').innerText();
    const digests = signature.locator('[data-testid=signature-digests]');
    expect(await digests.locator('p').isVisible()).toBe(false);
    await digests.locator('summary').click();
    const full = await digests.locator('p').innerText();
    expect(message).toContain('…');
    expect(full.length).toBeGreaterThan(message.length);
    const received = await page.locator('[data-testid=header-row]', { has: page.locator('[data-testid=header-name]', { hasText: /^x-zendesk-webhook-signature$/ }) }).locator('[data-testid=header-value] > span').innerText();
    expect(full).toContain(received);
    expect(message).not.toContain(received);
  });

  it('copies each header value exactly as received, a credential header too while it is masked', async () => {
    const id = await sendZendeskDelivery();
    const page = await viewer.newPage({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    await openRequest(page, id);
    const row = (name: string) => page.locator('[data-testid=header-row]', { has: page.locator('[data-testid=header-name]', { hasText: name }) });

    await row('x-zendesk-webhook-id').locator('[data-testid=header-copy]').click();
    await expect.poll(() => row('x-zendesk-webhook-id').locator('[data-testid=header-copy]').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('01F1KRFQ6BG29CNWFR60NK5FNY');

    const authorization = row('Authorization');
    expect(await authorization.locator('[data-testid=header-value]').innerText()).not.toContain(BASIC);
    await authorization.locator('[data-testid=header-copy]').click();
    await expect.poll(() => authorization.locator('[data-testid=header-copy]').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`Basic ${BASIC}`);
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(BASIC);
  });
});
