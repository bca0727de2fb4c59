/**
 * Driving the viewer by keyboard: j/k and ↓/↑ open the next and previous request (the URL follows, the row comes
 * into view), `/` goes to the search box and Esc leaves it, j/k move among the matches, keys typed in a box stay text, `?` shows the shortcuts
 * and Esc closes them.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendCapture, useViewer } from './harness';

const viewer = useViewer({ bins: [['keys', 'Keys']] });
/** Newest first, as the list shows them. */
let ids: number[] = [];

beforeAll(async () => {
  const sent: number[] = [];
  for (let index = 0; index < 60; index++) sent.push(await sendCapture(`${viewer.server.url}/b/keys/event-${index}`, { body: `{"n":${index}}` }));
  ids = sent.reverse();
});

async function openBin(): Promise<Page> {
  const page = await viewer.newPage({ viewport: { width: 1400, height: 700 } });
  await page.goto(`${viewer.server.url}/bins/keys`);
  await page.getByTestId('request-item').first().waitFor();
  return page;
}

const requestUrl = (id: number) => new RegExp(`/bins/keys/requests/${id}$`);

/** Whether the row of `id` is in the list's scroller's visible part. */
async function rowInView(page: Page, id: number): Promise<boolean> {
  return page.evaluate((requestId) => {
    const row = document.querySelector(`[data-testid=request-item][data-request-id="${requestId}"]`);
    const scroller = document.querySelector('[data-testid=request-scroller]');
    if (row === null || scroller === null) return false;
    const rowBox = row.getBoundingClientRect();
    const box = scroller.getBoundingClientRect();
    return rowBox.top >= box.top - 1 && rowBox.bottom <= box.bottom + 1;
  }, id);
}

describe('keyboard navigation', () => {
  it('opens the newest request on j, then the next and previous ones with j/k and the arrow keys', async () => {
    const page = await openBin();
    await page.keyboard.press('j');
    await page.waitForURL(requestUrl(ids[0]));
    await page.keyboard.press('j');
    await page.waitForURL(requestUrl(ids[1]));
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(requestUrl(ids[2]));
    await page.keyboard.press('k');
    await page.waitForURL(requestUrl(ids[1]));
    await page.keyboard.press('ArrowUp');
    await page.waitForURL(requestUrl(ids[0]));
    // The newest stays the newest.
    await page.keyboard.press('k');
    expect(page.url()).toMatch(requestUrl(ids[0]));
    await page.getByTestId('detail-column').getByText('/event-59').first().waitFor();
    expect(await page.locator('[data-testid=request-item].selected').getAttribute('data-request-id')).toBe(String(ids[0]));
  });

  it('brings the row it opens into view, far down the list', async () => {
    const page = await openBin();
    for (let step = 0; step < 45; step++) await page.keyboard.press('j');
    await page.waitForURL(requestUrl(ids[44]));
    await page.locator(`[data-testid=request-item][data-request-id="${ids[44]}"].selected`).waitFor();
    expect(await rowInView(page, ids[44])).toBe(true);
  });

  it('focuses the search box on /, searches on Enter, leaves the box on Esc, and moves among the matches', async () => {
    const page = await openBin();
    await page.keyboard.press('/');
    const search = page.getByTestId('search-input');
    expect(await search.evaluate((element) => element === document.activeElement)).toBe(true);
    // Typed into the box: j is text, not a move.
    await page.keyboard.type('event-1j');
    expect(await search.inputValue()).toBe('event-1j');
    expect(page.url()).toMatch(/\/bins\/keys$/);
    await search.fill('path:/event-1*');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/bins\/keys\?q=path%3A%2Fevent-1\*$/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=request-item]').length === 11);
    await page.keyboard.press('Escape');
    expect(await search.evaluate((element) => element === document.activeElement)).toBe(false);
    // event-19 is the newest of event-1 and event-10…19; the search stays in the URL.
    const withSearch = (id: number) => new RegExp(`/bins/keys/requests/${id}\\?q=path%3A%2Fevent-1\\*$`);
    await page.keyboard.press('j');
    await page.waitForURL(withSearch(ids[59 - 19]));
    await page.keyboard.press('j');
    await page.waitForURL(withSearch(ids[59 - 18]));
  });

  it('shows the shortcuts on ? and closes them on Esc', async () => {
    const page = await openBin();
    await page.keyboard.press('?');
    const dialog = page.getByTestId('shortcuts-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.textContent()).toContain('Next (older) request');
    // Keys are the dialog's while it is open.
    await page.keyboard.press('j');
    expect(page.url()).toMatch(/\/bins\/keys$/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('j');
    await page.waitForURL(requestUrl(ids[0]));
  });
});
