/**
 * The bin's search box against the real server (contract.md "Search"): a word, a qualifier, a header and a phrase
 * show only the matching rows and their count; the query lives in the URL and survives a reload; an invalid query
 * shows the server's message; the searched words are marked in the detail; a hostile query stays text; ✕ clears it.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendCapture, useViewer } from './harness';

const viewer = useViewer({ bins: [['finds', 'Finds']] });
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
let ids: Record<string, number> = {};

beforeAll(async () => {
  const send = (path: string, init: Parameters<typeof sendCapture>[1]) => sendCapture(`${viewer.server.url}/b/finds${path}`, init);
  ids = {
    invoice: await send('/orders', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'invoice paid by Marmalade Ltd' }),
    refund: await send('/orders', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'refund for the marmalade jar' }),
    put: await send('/items/7', { method: 'PUT', headers: { 'x-foo': 'bar' }, body: 'update' }),
    phrase: await send('/notes', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'the quick brown fox' }),
    reversed: await send('/notes', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'brown quick' }),
  };
});

async function search(page: Page, query: string): Promise<void> {
  await page.getByTestId('search-input').fill(query);
  await page.getByTestId('search-input').press('Enter');
}

/** The ids the list shows, top to bottom. */
async function shownIds(page: Page): Promise<number[]> {
  return page.locator('[data-testid=request-item]').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-request-id'))));
}

/** Waits until the list shows exactly `expected` (newest first) and the count says so. */
async function expectMatches(page: Page, expected: number[]): Promise<void> {
  // A capture is searchable within 2 s of its acknowledgement: the first search may need a second look.
  await expect.poll(async () => {
    const shown = await shownIds(page);
    if (shown.join() !== expected.join()) await page.reload();
    return shown;
  }, { timeout: 10_000, interval: 500 }).toEqual(expected);
  expect(await page.getByTestId('search-count').innerText()).toBe(`${expected.length} ${expected.length === 1 ? 'match' : 'matches'}`);
}

describe('the bin search box', () => {
  it('shows only the rows that match a word, a method, a header or a phrase, with their count, the query in the URL', async () => {
    const page = await viewer.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${viewer.server.url}/bins/finds`);
    await page.getByTestId('request-item').first().waitFor();

    await search(page, 'marmalade');
    await page.waitForURL(/\/bins\/finds\?q=marmalade$/);
    await expectMatches(page, [ids.refund, ids.invoice]);

    await search(page, 'method:PUT');
    await page.waitForURL(/\?q=method%3APUT$/);
    await expectMatches(page, [ids.put]);

    await search(page, 'header:x-foo');
    await expectMatches(page, [ids.put]);

    await search(page, '"quick brown"');
    await expectMatches(page, [ids.phrase]);

    // A reload keeps the search: the URL holds it, the box shows it.
    await page.reload();
    await expectMatches(page, [ids.phrase]);
    expect(await page.getByTestId('search-input').inputValue()).toBe('"quick brown"');

    // ✕ clears it: every request again.
    await page.getByTestId('search-clear').click();
    await page.waitForURL(/\/bins\/finds$/);
    await expect.poll(() => shownIds(page)).toHaveLength(5);
    expect(await page.getByTestId('search-input').inputValue()).toBe('');
  });

  it('keeps live arrivals out of the search, says they arrived, and a refresh shows the ones that match', async () => {
    const page = await viewer.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${viewer.server.url}/bins/finds?q=method%3APUT`);
    await expectMatches(page, [ids.put]);
    const late = await sendCapture(`${viewer.server.url}/b/finds/items/8`, { method: 'PUT', body: 'late' });
    await page.getByTestId('search-new').waitFor();
    expect(await shownIds(page)).toEqual([ids.put]);
    // The refresh asks the server again (the late capture was acknowledged, so it is searchable: it is stored); the
    // button goes as the answer comes, and with it the note.
    await page.getByTestId('search-refresh').click();
    await expect.poll(() => shownIds(page), { timeout: 10_000 }).toEqual([late, ids.put]);
    await page.getByTestId('search-new').waitFor({ state: 'detached' });
    expect(await page.getByTestId('search-count').innerText()).toBe('2 matches');
  });

  it("shows the server's message for an invalid query under the box", async () => {
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/finds`);
    await page.getByTestId('request-item').first().waitFor();
    await search(page, '"open');
    const error = page.getByTestId('search-error');
    await error.waitFor();
    const message = await error.innerText();
    const answer = await fetch(`${viewer.server.url}/api/bins/finds/requests?q=${encodeURIComponent('"open')}`);
    expect(answer.status).toBe(400);
    expect(message).toBe(((await answer.json()) as { error: string }).error);
    expect(await page.locator('[data-testid=request-item]').count()).toBe(0);
  });

  it('marks the searched words in the headers and the body of a deep-linked request, and keeps the search', async () => {
    const page = await viewer.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${viewer.server.url}/bins/finds/requests/${ids.invoice}?q=${encodeURIComponent('marmalade text')}`);
    await expectMatches(page, [ids.refund, ids.invoice]);
    const detail = page.getByTestId('request-detail');
    await detail.waitFor();
    await page.getByTestId('body-tab-text').click();
    const marks = await detail.locator('mark[data-testid=search-mark]').allInnerTexts();
    // "text" starts no word of the body, but is the header value text/plain's first word; Marmalade matches any case.
    expect(marks).toEqual(expect.arrayContaining(['text', 'Marmalade']));
    expect(await page.getByTestId('body-content').locator('mark').allInnerTexts()).toEqual(['Marmalade']);
    // Moving to the newer match keeps the search in the URL.
    await page.keyboard.press('k');
    await page.waitForURL(new RegExp(`/bins/finds/requests/${ids.refund}\\?q=marmalade\\+text$`));
  });

  it('keeps a hostile query as text: in the box, the URL and the error, never markup', async () => {
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/finds?q=${encodeURIComponent(HOSTILE)}`);
    await page.getByTestId('search-input').waitFor();
    expect(await page.getByTestId('search-input').inputValue()).toBe(HOSTILE);
    // Whatever the server says of it (no match, or a message naming it), no element came of it.
    await page.locator('[data-testid=search-empty], [data-testid=search-error]').first().waitFor();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
