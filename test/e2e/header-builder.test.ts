import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sendCapture, useViewer } from './harness';

const EMAIL = 'jdoe@example.com';
const API_TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';

const viewer = useViewer({ bins: [['builder', 'Builder target']] });
let page: Page;

async function openBuilder(): Promise<void> {
  page = await viewer.newPage();
  await page.goto(viewer.server.url);
  await page.click('[data-testid=nav-builder]');
  await page.waitForSelector('[data-testid=header-builder]');
  await page.selectOption('[data-testid=builder-bin]', 'builder');
}

describe('the header builder', () => {
  it('offers a placeholder email, not a real-looking prefilled one, and refuses an empty token', async () => {
    await openBuilder();
    expect(await page.inputValue('[data-testid=builder-email]')).toBe('');
    expect(await page.getAttribute('[data-testid=builder-email]', 'placeholder')).toBe('you@example.com');
    expect(await page.textContent('[data-testid=builder-refused]')).toContain('API token');
    expect(await page.locator('[data-testid=builder-header]').count()).toBe(0);
    await page.fill('[data-testid=builder-email]', EMAIL);
    await page.fill('[data-testid=builder-secret]', API_TOKEN);
    await page.waitForSelector('[data-testid=builder-header]');
    expect(await page.locator('[data-testid=builder-refused]').count()).toBe(0);
  });

  it('builds the Zendesk API token header, curl line and requests.Session snippet', async () => {
    await openBuilder();
    await page.fill('[data-testid=builder-email]', EMAIL);
    await page.fill('[data-testid=builder-secret]', API_TOKEN);
    // The published vector of auth-reference.md §1.
    expect(await page.textContent('[data-testid=builder-header]')).toBe(
      'Authorization: Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2',
    );
    const curl = await page.textContent('[data-testid=builder-curl]');
    expect(curl).toContain(`'${viewer.server.url}/b/builder'`);
    expect(curl).toContain("-H 'Authorization: Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2'");
    expect(await page.textContent('[data-testid=builder-python]')).toContain(`session.auth = ('${EMAIL}/token', '${API_TOKEN}')`);
  });

  it('encodes Basic credentials as UTF-8', async () => {
    await openBuilder();
    await page.check('[data-testid=builder-mode-password]');
    await page.fill('[data-testid=builder-email]', 'test');
    await page.fill('[data-testid=builder-secret]', '123£');
    // RFC 7617's UTF-8 vector (auth-reference.md §4).
    expect(await page.textContent('[data-testid=builder-header]')).toBe('Authorization: Basic dGVzdDoxMjPCow==');
    expect(await page.textContent('[data-testid=builder-python]')).toContain("session.auth = ('test', '123£'.encode('utf-8'))");
  });

  it('builds a bearer header', async () => {
    await openBuilder();
    await page.check('[data-testid=builder-mode-bearer]');
    await page.fill('[data-testid=builder-secret]', 'abc123');
    expect(await page.textContent('[data-testid=builder-header]')).toBe('Authorization: Bearer abc123');
    expect(await page.textContent('[data-testid=builder-python]')).toContain("session.headers['Authorization'] = 'Bearer abc123'");
  });

  it('clears the secret when the credential form changes, so an API token never lands in the bearer header', async () => {
    await openBuilder();
    await page.fill('[data-testid=builder-secret]', API_TOKEN);
    await page.check('[data-testid=builder-mode-bearer]');
    expect(await page.inputValue('[data-testid=builder-secret]')).toBe('');
    // An empty token is refused: no header is built for it, and nothing can be sent.
    await page.waitForSelector('[data-testid=builder-refused]');
    expect(await page.locator('[data-testid=builder-header]').count()).toBe(0);
    expect(await page.isDisabled('[data-testid=builder-send-test]')).toBe(true);
    await page.fill('[data-testid=builder-secret]', 'abc123');
    await page.check('[data-testid=builder-mode-password]');
    expect(await page.inputValue('[data-testid=builder-secret]')).toBe('');
  });

  it('builds a header that the Auth panel reads back as the same credential', async () => {
    await openBuilder();
    await page.fill('[data-testid=builder-email]', EMAIL);
    await page.fill('[data-testid=builder-secret]', API_TOKEN);
    const header = (await page.textContent('[data-testid=builder-header]')) ?? '';
    const id = await sendCapture(`${viewer.server.url}/b/builder`, { headers: { Authorization: header.replace(/^Authorization: /, '') }, body: '{}' });
    await page.goto(`${viewer.server.url}/bins/builder/requests/${id}`);
    await page.waitForSelector('[data-testid=credential][data-kind=zendesk-api-token]');
    expect(await page.textContent('[data-testid=credential-label]')).toContain(EMAIL);
    await page.click('[data-testid=reveal-secret]');
    await expect.poll(() => page.textContent('[data-testid=secret-value]')).toBe(API_TOKEN);
  });
});
