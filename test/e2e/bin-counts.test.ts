import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sendCapture, useViewer } from './harness';

const viewer = useViewer();

/** How many captures each test sends: more than one, so that the server's throttling of `bin` messages shows. */
const SENT = 5;

/** The count the bins column shows for `binId`. */
function count(page: Page, binId: string): Promise<string | null> {
  return page.textContent(`[data-testid=bin-item][data-bin-id=${binId}] [data-testid=bin-count]`);
}

/**
 * Calls the API from outside the browser over plain node:http, naming `host` in the Host header (the server
 * listens on 127.0.0.1; `localhost` is another name for it that the viewer does not use). Resolves with the status.
 */
function callApi(method: string, path: string, options: { host?: string; body?: unknown } = {}): Promise<number> {
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  return new Promise((resolvePromise, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: viewer.server.port,
        method,
        path,
        headers: {
          Host: options.host ?? `127.0.0.1:${viewer.server.port}`,
          ...(body === '' ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolvePromise(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Marks a page's document: the mark survives only as long as the document does, so it proves there was no reload. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => Reflect.set(window, '__sameDocument', true));
}

function sameDocument(page: Page): Promise<unknown> {
  return page.evaluate(() => Reflect.get(window, '__sameDocument'));
}

/**
 * Creates `binId` over the API, opens one viewer on its page and another (a browser context of its own) on the bins
 * list, both live, then sends SENT captures with plain HTTP to its capture URL. Resolves with the pages and the
 * stored ids, oldest first, once the bin page lists every capture.
 */
async function followBin(binId: string): Promise<{ page: Page; other: Page; ids: number[] }> {
  expect(await callApi('POST', '/api/bins', { body: { id: binId, name: binId } })).toBe(201);
  const page = await viewer.newPage();
  await page.goto(`${viewer.server.url}/bins/${binId}`);
  await page.waitForSelector('[data-testid=waiting]');
  await page.waitForSelector('[data-testid=live-status][data-status=live]');
  const other = await viewer.newPage();
  await other.goto(viewer.server.url);
  await other.waitForSelector('[data-testid=home]');
  await other.waitForSelector('[data-testid=live-status][data-status=live]');
  await expect.poll(() => count(page, binId)).toBe('0');
  await expect.poll(() => count(other, binId)).toBe('0');
  await markDocument(page);
  await markDocument(other);

  const ids: number[] = [];
  for (let i = 0; i < SENT; i++) ids.push(await sendCapture(`${viewer.server.url}/b/${binId}/${i}`, { body: String(i) }));
  await expect.poll(() => page.locator('[data-testid=request-item]').count()).toBe(SENT);
  return { page, other, ids };
}

describe("a bin's request count", () => {
  it('counts each capture sent to the capture URL, in the viewer on the bin and in another on the bins list', async () => {
    const { page, other } = await followBin('counted');

    await expect.poll(() => count(page, 'counted')).toBe(String(SENT));
    await expect.poll(() => count(other, 'counted')).toBe(String(SENT));
    expect(await sameDocument(page)).toBe(true);
    expect(await sameDocument(other)).toBe(true);
  });

  it('counts one fewer when a request is deleted through the API, without a reload', async () => {
    const { page, other, ids } = await followBin('one-deleted');
    await expect.poll(() => count(page, 'one-deleted')).toBe(String(SENT));

    expect(await callApi('DELETE', `/api/bins/one-deleted/requests/${ids[0]}`)).toBe(204);

    await page.locator(`[data-testid=request-item][data-request-id="${ids[0]}"]`).waitFor({ state: 'detached' });
    await expect.poll(() => count(page, 'one-deleted')).toBe(String(SENT - 1));
    await expect.poll(() => count(other, 'one-deleted')).toBe(String(SENT - 1));
    expect(await sameDocument(page)).toBe(true);
    expect(await sameDocument(other)).toBe(true);
  });

  it('counts none once the bin is cleared through the API, without a reload', async () => {
    const { page, other } = await followBin('cleared');
    await expect.poll(() => count(page, 'cleared')).toBe(String(SENT));

    expect(await callApi('DELETE', '/api/bins/cleared/requests')).toBe(204);

    await page.waitForSelector('[data-testid=waiting]');
    await expect.poll(() => count(page, 'cleared')).toBe('0');
    await expect.poll(() => count(other, 'cleared')).toBe('0');
    expect(await sameDocument(page)).toBe(true);
    expect(await sameDocument(other)).toBe(true);
  });
});

describe('the capture URL of a bin announced live', () => {
  it("is absolute, with the viewer's own origin, whatever host the bin was created or renamed through", async () => {
    const page = await viewer.newPage();
    await page.goto(viewer.server.url);
    await page.waitForSelector('[data-testid=home]');
    await page.waitForSelector('[data-testid=live-status][data-status=live]');
    const origin = await page.evaluate(() => location.origin);
    const expected = `${origin}/b/announced`;
    // Another name for the same server: a capture URL built from the creating request's Host would differ.
    const elsewhere = `localhost:${viewer.server.port}`;

    expect(await callApi('POST', '/api/bins', { host: elsewhere, body: { id: 'announced', name: 'Announced' } })).toBe(201);
    const item = page.locator('[data-testid=bin-item][data-bin-id=announced]');
    await item.waitFor();
    expect(await item.locator('[data-testid=capture-url]').textContent()).toBe(expected);

    await item.locator('[data-testid=bin-link]').click();
    await page.waitForURL(`${viewer.server.url}/bins/announced`);
    await page.waitForSelector('[data-testid=live-status][data-status=live]');
    await expect.poll(() => page.textContent('[data-testid=bin-capture-url]')).toBe(expected);

    // A rename reaches the open bin page as a live `bin` message, which the header then shows.
    expect(await callApi('PATCH', '/api/bins/announced', { host: elsewhere, body: { name: 'Renamed' } })).toBe(200);
    await expect.poll(() => page.textContent('[data-testid=bin-title]')).toBe('Renamed');
    expect(await page.textContent('[data-testid=bin-capture-url]')).toBe(expected);
    expect(await item.locator('[data-testid=capture-url]').textContent()).toBe(expected);
  });
});
