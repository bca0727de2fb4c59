import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useViewer } from './harness';

const TOKEN = 'e2e-access-token-5f1c0a9d2b7e4c3a';

const viewer = useViewer({ token: TOKEN });
let page: Page;

async function openViewer(): Promise<void> {
  page = await viewer.newPage();
  await page.goto(viewer.server.url);
}

async function signIn(token: string): Promise<void> {
  await page.fill('[data-testid=sign-in-token]', token);
  await page.click('[data-testid=sign-in-submit]');
}

describe('signing in to a server with a token', () => {
  it('shows the sign-in page, refuses a wrong token, and shows the bins for the right one', async () => {
    await openViewer();
    await page.waitForSelector('[data-testid=sign-in]');
    expect(await page.locator('[data-testid=bins-column]').count()).toBe(0);

    await signIn('not-the-token');
    await page.waitForSelector('[data-testid=sign-in-error]');
    expect((await page.textContent('[data-testid=sign-in-error]'))?.length).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=bins-column]').count()).toBe(0);

    await signIn(TOKEN);
    // The server creates a first bin when its database has none.
    await page.waitForSelector('[data-testid=bin-item]');
    await page.waitForSelector('[data-testid=live-status][data-status=live]');
    expect(await page.locator('[data-testid=sign-out]').count()).toBe(1);
    for (const text of await page.evaluate(() => [document.body.innerText, document.documentElement.outerHTML])) {
      expect(text).not.toContain(TOKEN);
    }
  });

  it('keeps the session across a reload, and signing out returns to the sign-in page for good', async () => {
    await openViewer();
    await page.waitForSelector('[data-testid=sign-in]');
    await signIn(TOKEN);
    await page.waitForSelector('[data-testid=bin-item]');

    await page.reload();
    await page.waitForSelector('[data-testid=bin-item]');

    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('[data-testid=sign-in]');
    await page.reload();
    await page.waitForSelector('[data-testid=sign-in]');
    expect(await page.locator('[data-testid=bins-column]').count()).toBe(0);
  });

  it('opens a linked bin page straight after signing in', async () => {
    const bins = (await (await fetch(`${viewer.server.url}/api/bins`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as { bins: { id: string }[] };
    const binId = bins.bins[0].id;
    page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/${binId}`);
    await page.waitForSelector('[data-testid=sign-in]');
    await signIn(TOKEN);
    await page.waitForSelector('[data-testid=requests-column]');
    expect(new URL(page.url()).pathname).toBe(`/bins/${binId}`);
  });
});
