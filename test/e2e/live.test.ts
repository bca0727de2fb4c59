import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createBinOverApi, readList, sendCapture, sendRaw, useViewer } from './harness';

const viewer = useViewer();

/** The header table's rows as [name, value], read from the DOM exactly as shown. */
function headerRows(target: Page): Promise<[string, string][]> {
  return target.$$eval('[data-testid=header-row]', (rows) =>
    rows.map((row): [string, string] => [
      row.querySelector('[data-testid=header-name]')?.textContent ?? '',
      row.querySelector('[data-testid=header-value] > span')?.textContent ?? '',
    ]),
  );
}

/** Creates a bin in the viewer's form and waits for its (empty) page. */
async function createBinInViewer(target: Page, id: string, name: string): Promise<void> {
  await target.goto(viewer.server.url);
  await target.fill('[data-testid=new-bin-name]', name);
  await target.fill('[data-testid=new-bin-id]', id);
  await target.click('[data-testid=new-bin-submit]');
  await target.waitForURL(`${viewer.server.url}/bins/${id}`);
  await target.waitForSelector('[data-testid=waiting]');
  await target.waitForSelector('[data-testid=live-status][data-status=live]');
}

describe('the bin page, live', () => {
  it('shows a captured request without a reload, with its headers exactly as sent', async () => {
    const page = await viewer.newPage();
    await createBinInViewer(page, 'live-bin', 'Live bin');
    await expect.poll(() => page.locator('[data-testid=bin-item][data-bin-id=live-bin]').count()).toBe(1);
    // Survives only as long as the document does: proves the request arrived without a reload.
    await page.evaluate(() => Reflect.set(window, '__sameDocument', true));

    const id = await sendRaw(
      viewer.server.port,
      [
        'POST /b/live-bin/orders/42?expand=items HTTP/1.1',
        `Host: 127.0.0.1:${viewer.server.port}`,
        'X-MiXeD-Case: Yes',
        'X-Repeated: first',
        'Content-Type: application/json',
        'X-Repeated: second',
      ].join('\r\n'),
      '{"order":42}',
    );

    const row = page.locator(`[data-testid=request-item][data-request-id="${id}"]`);
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('/orders/42?expand=items');
    expect(await page.evaluate(() => Reflect.get(window, '__sameDocument'))).toBe(true);
    await expect.poll(() => page.textContent('[data-bin-id=live-bin] [data-testid=bin-count]')).toBe('1');

    await row.locator('[data-testid=request-link]').click();
    await page.waitForURL(`${viewer.server.url}/bins/live-bin/requests/${id}`);
    await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"]`);
    expect(await page.textContent('[data-testid=request-line]')).toContain('/b/live-bin/orders/42?expand=items');

    const rows = await headerRows(page);
    expect(rows).toContainEqual(['X-MiXeD-Case', 'Yes']);
    const repeated = rows.filter(([name]) => name === 'X-Repeated');
    expect(repeated).toEqual([
      ['X-Repeated', 'first'],
      ['X-Repeated', 'second'],
    ]);
    const names = rows.map(([name]) => name);
    expect(names.indexOf('X-MiXeD-Case')).toBeLessThan(names.indexOf('Content-Type'));
    expect(names.indexOf('Content-Type')).toBeLessThan(names.lastIndexOf('X-Repeated'));
    expect(await page.textContent('[data-testid=body-content]')).toContain('"order": 42');
  });

  it('opens a request from its own URL', async () => {
    const id = await sendCapture(`${viewer.server.url}/b/live-bin/linked`, { body: 'plain text body', headers: { 'Content-Type': 'text/plain' } });
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/live-bin/requests/${id}`);
    await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"]`);
    expect(await page.textContent('[data-testid=body-content]')).toBe('plain text body');
  });

  it('reconnects after the server restarts and shows a request sent while it was away', async () => {
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/live-bin`);
    await page.waitForSelector('[data-testid=request-item]');
    await page.waitForSelector('[data-testid=live-status][data-status=live]');

    await viewer.server.stop();
    await page.waitForSelector('[data-testid=live-status][data-status=reconnecting]');
    expect(await page.textContent('[data-testid=live-status]')).toContain('reconnecting');

    await viewer.server.start();
    // Sent the moment the server listens, before the viewer's backoff lets it reconnect: only the resume with
    // `after` = the last id seen can bring it.
    const id = await sendCapture(`${viewer.server.url}/b/live-bin/during-the-gap`, { body: '{}', headers: { 'Content-Type': 'application/json' } });

    await page.waitForSelector('[data-testid=live-status][data-status=live]');
    const row = page.locator(`[data-testid=request-item][data-request-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('/during-the-gap');

    const afterReconnect = await sendCapture(`${viewer.server.url}/b/live-bin/after-reconnect`, { body: '' });
    await page.locator(`[data-testid=request-item][data-request-id="${afterReconnect}"]`).waitFor();
    const ids = await page.$$eval('[data-testid=request-item]', (items) => items.map((item) => Number(item.getAttribute('data-request-id'))));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('loads older pages as the list scrolls down: every request once, newest first', async () => {
    await createBinOverApi(viewer.server, 'paged', 'Paged');
    const sent = 230;
    for (let i = 0; i < sent; i++) await sendCapture(`${viewer.server.url}/b/paged/${i}`, { body: String(i) });
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/paged`);
    await page.waitForSelector('[data-testid=request-item]');
    await expect.poll(() => page.textContent('[data-testid=request-total]')).toBe(`${sent} requests`);

    const rows = await readList(page);
    expect(rows.map((row) => row.path)).toEqual(Array.from({ length: sent }, (_, i) => `/${sent - 1 - i}`));
    const ids = rows.map((row) => row.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(sent);
    expect(await page.getAttribute('[data-testid=request-list]', 'data-loaded')).toBe(String(sent));
    expect(await page.locator('[data-testid=load-older]').count()).toBe(0);
  });

  it('removes a deleted request and empties a cleared bin live', async () => {
    const first = await sendCapture(`${viewer.server.url}/b/live-bin/to-delete`, { body: 'x' });
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/live-bin`);
    await page.locator(`[data-testid=request-item][data-request-id="${first}"]`).waitFor();

    const response = await fetch(`${viewer.server.url}/api/bins/live-bin/requests/${first}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    await page.locator(`[data-testid=request-item][data-request-id="${first}"]`).waitFor({ state: 'detached' });

    await page.click('[data-testid=clear-bin]');
    await page.click('[data-testid=clear-bin-confirm]');
    await page.waitForSelector('[data-testid=waiting]');
    expect(await page.locator('[data-testid=request-item]').count()).toBe(0);
  });
});
