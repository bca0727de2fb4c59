import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sendCapture, sendRaw, useViewer } from './harness';

const LONG_NAME = 'Zendesk production webhooks for the customer support team (EU)';

const viewer = useViewer({
  bins: [
    ['counted', 'Counted'],
    ['elsewhere', 'Elsewhere'],
    ['long-name', LONG_NAME],
  ],
});

function count(page: Page, binId: string): Promise<string | null> {
  return page.textContent(`[data-testid=bin-item][data-bin-id=${binId}] [data-testid=bin-count]`);
}

describe('the bins list, live', () => {
  it('counts a capture on the home page without a reload, and keeps the capture URL it shows', async () => {
    const page = await viewer.newPage();
    await page.goto(viewer.server.url);
    await page.waitForSelector('[data-testid=home]');
    await page.waitForSelector('[data-testid=live-status][data-status=live]');
    await expect.poll(() => count(page, 'counted')).toBe('0');
    const shownUrl = await page.textContent('[data-bin-id=counted] [data-testid=capture-url]');
    expect(shownUrl).toBe(`${viewer.server.url}/b/counted`);
    // Survives only as long as the document does: proves the count changed without a reload.
    await page.evaluate(() => Reflect.set(window, '__sameDocument', true));

    // Sent under another host name, as through a tunnel: the broadcast's capture URL may be built from it.
    await sendRaw(viewer.server.port, ['POST /b/counted/from-a-tunnel HTTP/1.1', 'Host: tunnel.example.test'].join('\r\n'), '{}');

    await expect.poll(() => count(page, 'counted')).toBe('1');
    expect(await page.textContent('[data-bin-id=counted] [data-testid=capture-url]')).toBe(shownUrl);
    expect(await page.evaluate(() => Reflect.get(window, '__sameDocument'))).toBe(true);
  });

  it('counts each capture once while the bin page follows the bin too', async () => {
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/counted`);
    await page.waitForSelector('[data-testid=request-item]');
    await page.waitForSelector('[data-testid=live-status][data-status=live]');
    await expect.poll(() => count(page, 'counted')).toBe('1');
    await expect.poll(() => count(page, 'elsewhere')).toBe('0');

    for (let i = 0; i < 3; i++) await sendCapture(`${viewer.server.url}/b/counted/${i}`, { body: String(i) });
    await expect.poll(() => page.locator('[data-testid=request-item]').count()).toBe(4);
    // Everything the server sent about the three captures reaches the viewer before what it sends about this one.
    await sendCapture(`${viewer.server.url}/b/elsewhere/marker`, { body: '' });
    await expect.poll(() => count(page, 'elsewhere')).toBe('1');
    expect(await count(page, 'counted')).toBe('4');
  });

  it('cuts a long bin name short beside its count, with the whole name as its title', async () => {
    const page = await viewer.newPage();
    await page.goto(viewer.server.url);
    const item = page.locator('[data-testid=bin-item][data-bin-id=long-name]');
    const name = item.locator('[data-testid=bin-name]');
    await name.waitFor();
    expect(await name.getAttribute('title')).toBe(LONG_NAME);
    expect(await name.textContent()).toBe(LONG_NAME);
    const [nameBox, countBox] = await Promise.all([name.boundingBox(), item.locator('[data-testid=bin-count]').boundingBox()]);
    if (!nameBox || !countBox) throw new Error('the bin name or count is not laid out');
    expect(nameBox.x + nameBox.width).toBeLessThanOrEqual(countBox.x);
    expect(nameBox.height).toBeLessThanOrEqual(countBox.height + 1);
    expect(await name.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
  });
});
