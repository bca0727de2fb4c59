import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createBinOverApi, sendCapture, seedRequests, useViewer } from './harness';

const BIG = 30_000;
/** What the list may hold in the page at any time, whatever the bin's size: the rows in view and a few around. */
const MAX_ROWS = 200;
/** Every element of the page, bins column and header included, with a bin page open (about 700 in practice). */
const MAX_ELEMENTS = 2_000;
/** The row height of the list (features/requests/list/RequestRow.tsx). */
const ROW = 32;

const viewer = useViewer({ maxRequests: 100_000 });
/** The big bin's ids, oldest first; `/orders/{n}` is ids[n]. */
let ids: number[] = [];
/** A request of another bin, stored before the big bin's: lower than every id there. */
let otherId = 0;

beforeAll(async () => {
  await createBinOverApi(viewer.server, 'other', 'Other');
  otherId = await sendCapture(`${viewer.server.url}/b/other/elsewhere`, { body: '' });
  ids = await seedRequests(viewer.server, 'big', BIG);
}, 120_000);

async function openBig(path = '/bins/big'): Promise<Page> {
  const page = await viewer.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${viewer.server.url}${path}`);
  await page.waitForSelector('[data-testid=request-item]');
  return page;
}

/** The list's scroller and rows as they are now: the row at each offset, counts, and where the scroller stands. */
function snapshot(page: Page) {
  return page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('[data-testid=request-scroller]');
    const list = document.querySelector<HTMLElement>('[data-testid=request-list]');
    if (!scroller || !list) throw new Error('no request list');
    const listTop = list.getBoundingClientRect().top;
    const box = scroller.getBoundingClientRect();
    const items = Array.from(list.querySelectorAll<HTMLElement>('[data-testid=request-item]'));
    return {
      rows: items.map((item) => {
        const rect = item.getBoundingClientRect();
        return {
          id: Number(item.dataset.requestId),
          offset: Math.round(rect.top - listTop),
          visible: rect.top >= box.top && rect.bottom <= box.bottom + 1, // a sub-pixel layout shift above the list is not a hidden row
          path: item.querySelector('[data-testid=request-path]')?.textContent ?? '',
        };
      }),
      elements: document.querySelectorAll('*').length,
      scrollTop: scroller.scrollTop,
      atEnd: scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1,
      loaded: Number(list.dataset.loaded),
      hasMore: list.dataset.hasMore === 'true',
      loading: list.dataset.loading === 'true',
    };
  });
}

/** Scrolls the list by `pixels` (or to its end), then waits for the rows of the new position to be drawn. */
async function scrollList(page: Page, pixels: number | 'end'): Promise<void> {
  await page.evaluate((by) => {
    const scroller = document.querySelector<HTMLElement>('[data-testid=request-scroller]');
    if (!scroller) throw new Error('no request list');
    scroller.scrollTop = by === 'end' ? scroller.scrollHeight : scroller.scrollTop + by;
  }, pixels);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** The request at the top edge of the list's scroller, as a person reading it sees it. */
function topRowId(page: Page): Promise<number> {
  return page.evaluate(() => {
    const box = document.querySelector('[data-testid=request-scroller]')?.getBoundingClientRect();
    if (!box) throw new Error('no request list');
    const row = document.elementFromPoint(box.left + 40, box.top + 2)?.closest<HTMLElement>('[data-testid=request-item]');
    return Number(row?.dataset.requestId);
  });
}

/** Zendesk's public signing secret for test deliveries, which hooklens always tries. */
const ZENDESK_TEST_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

/** Sends a Zendesk-shaped delivery to `binId`, signed with `secret`; resolves with the stored id. */
function sendZendesk(binId: string, secret: string): Promise<number> {
  const timestamp = new Date().toISOString();
  const body = '{"type":"ticket.created"}';
  return sendCapture(`${viewer.server.url}/b/${binId}`, {
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-Zendesk-Webhook-Signature': createHmac('sha256', secret).update(timestamp + body).digest('base64'),
      'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
    },
  });
}

/** Pretends the tab is hidden (or shown again), as switching tabs does. */
function setHidden(page: Page, hidden: boolean): Promise<void> {
  return page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

describe('the request list of a 30,000-request bin', () => {
  it('shows the total and at least 20 rows at 1400×900, keeps the page small while scrolling 5,000 rows deep, and reaches the oldest by scrolling', async () => {
    const page = await openBig();
    await expect.poll(async () => (await page.textContent('[data-testid=request-total]'))?.replace(/\D/g, '')).toBe(String(BIG));
    const first = await snapshot(page);
    expect(first.rows.filter((row) => row.visible).length).toBeGreaterThanOrEqual(20);
    expect(first.rows[0]).toMatchObject({ id: ids[BIG - 1], offset: 0, path: `/orders/${BIG - 1}?page=${(BIG - 1) % 7}` });

    let deepest = 0;
    while (deepest < 5_000) {
      await scrollList(page, 2_000);
      const now = await snapshot(page);
      expect(now.rows.length).toBeLessThan(MAX_ROWS);
      expect(now.elements).toBeLessThan(MAX_ELEMENTS);
      deepest = Math.floor(now.scrollTop / ROW);
      // Each row drawn is the request that belongs at its place: the n-th newest at n rows down.
      for (const row of now.rows) expect(row.id).toBe(ids[BIG - 1 - row.offset / ROW]);
    }

    // To the end, again and again: each time the list has loaded the next older page by itself.
    for (let jumps = 0; jumps < 200; jumps++) {
      const now = await snapshot(page);
      expect(now.rows.length).toBeLessThan(MAX_ROWS);
      if (now.atEnd && !now.hasMore && !now.loading) break;
      await scrollList(page, 'end');
      await page.waitForFunction(() => document.querySelector('[data-testid=request-list]')?.getAttribute('data-loading') === 'false');
    }
    const end = await snapshot(page);
    expect(end.loaded).toBe(BIG);
    expect(end.hasMore).toBe(false);
    expect(end.elements).toBeLessThan(MAX_ELEMENTS);
    const last = end.rows.reduce((a, b) => (b.offset > a.offset ? b : a));
    expect(last).toMatchObject({ id: ids[0], offset: (BIG - 1) * ROW, path: '/orders/0?page=0', visible: true });
  });

  it('opens a linked request 20,000 rows down: loads the pages down to it, scrolls to it and highlights it', async () => {
    const target = ids[BIG - 1 - 20_000];
    const page = await openBig(`/bins/big/requests/${target}`);
    const row = page.locator(`[data-testid=request-item][data-request-id="${target}"]`);
    await row.waitFor({ timeout: 60_000 });
    await page.waitForSelector(`[data-testid=request-detail][data-request-id="${target}"]`);
    await expect.poll(async () => (await snapshot(page)).rows.find((candidate) => candidate.id === target)?.visible).toBe(true);
    expect(await row.getAttribute('aria-current')).toBe('true');
    expect(await row.getAttribute('class')).toContain('selected');
    expect(await page.locator('[data-testid=request-item][aria-current]').count()).toBe(1);
    expect(await page.locator('[data-testid=request-seeking]').count()).toBe(0);
  });

  it('highlights a linked request near the top, which the first page holds', async () => {
    const target = ids[BIG - 1 - 20];
    const page = await openBig(`/bins/big/requests/${target}`);
    const row = page.locator(`[data-testid=request-item][data-request-id="${target}"][aria-current=true]`);
    await row.waitFor();
    expect((await snapshot(page)).rows.find((candidate) => candidate.id === target)?.visible).toBe(true);
    expect(await row.locator('[data-testid=request-path]').textContent()).toBe(`/orders/${BIG - 1 - 20}?page=${(BIG - 1 - 20) % 7}`);
  });

  it('says in plain words that a linked bin or request is not there, without looking for it through the bin', async () => {
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/no-such-bin`);
    expect(await page.textContent('[data-testid=bin-gone]')).toContain('There is no bin with the id no-such-bin on this server.');

    for (const missing of [otherId, 999_999_999]) {
      const big = await openBig(`/bins/big/requests/${missing}`);
      expect(await big.textContent('[data-testid=request-gone]')).toBe(`No request ${missing} in this bin (deleted, or never captured here).`);
      expect(await big.locator('[data-testid=request-item][aria-current]').count()).toBe(0);
      expect(await big.locator('[data-testid=request-seeking]').count()).toBe(0);
      // The first page and the one after it, loaded ahead: not the 60 pages down to an id lower than any here.
      expect((await snapshot(big)).loaded).toBeLessThanOrEqual(600);
    }
  });
});

describe('a row of the list', () => {
  it("shows the signature check the API reports for the request, and none for a request without one", async () => {
    await createBinOverApi(viewer.server, 'signed', 'Signed');
    const verified = await sendZendesk('signed', ZENDESK_TEST_SECRET);
    // Without a secret on the bin, another secret's signature can only be "no secret".
    const unverified = await sendZendesk('signed', 'not-the-secret');
    const unsigned = await sendCapture(`${viewer.server.url}/b/signed/plain`, { body: '{}' });
    const answer = (await (await fetch(`${viewer.server.url}/api/bins/signed/requests`)).json()) as { requests: { id: number; signature?: string | null }[] };
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/signed`);
    await page.locator('[data-testid=request-item]').nth(2).waitFor();
    for (const id of [verified, unverified, unsigned]) {
      // A server from before RequestSummary.signature sends none: then no row shows one.
      const reported = answer.requests.find((request) => request.id === id)?.signature ?? null;
      const badge = page.locator(`[data-testid=request-item][data-request-id="${id}"] [data-testid=request-signature]`);
      if (reported === null) expect(await badge.count()).toBe(0);
      else expect(await badge.getAttribute('data-status')).toBe(reported);
    }
    if ('signature' in (answer.requests[0] ?? {})) {
      expect(answer.requests.map((request) => request.signature)).toEqual([null, 'no-secret', 'verified']);
      expect(await page.textContent(`[data-request-id="${verified}"] [data-testid=request-signature]`)).toBe('sig verified');
    }
  });
});

describe('requests arriving in the list', () => {
  it('are marked as new, leave the rows someone reads in place, and are counted in the tab title while it is hidden', async () => {
    const page = await openBig();
    await page.waitForSelector('[data-testid=live-status][data-status=live]');
    expect(await page.title()).toBe('big · hooklens');
    expect(await page.locator('[data-testid=request-item][data-arrived]').count()).toBe(0);

    const arrived = await sendCapture(`${viewer.server.url}/b/big/arrival`, { body: '{}' });
    const row = page.locator(`[data-testid=request-item][data-request-id="${arrived}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-arrived')).toBe('true');
    expect(await row.getAttribute('class')).toContain('arrived');
    expect((await snapshot(page)).rows[0]).toMatchObject({ id: arrived, offset: 0 });
    expect(await page.locator(`[data-testid=request-item][data-request-id="${ids[BIG - 1]}"]`).getAttribute('data-arrived')).toBeNull();
    expect(await page.title()).toBe('big · hooklens');

    await setHidden(page, true);
    for (let i = 0; i < 2; i++) await sendCapture(`${viewer.server.url}/b/big/while-away/${i}`, { body: '{}' });
    await expect.poll(() => page.title()).toBe('(2) big · hooklens');
    await setHidden(page, false);
    await expect.poll(() => page.title()).toBe('big · hooklens');

    // Someone reading 300 rows down keeps reading the same rows while more arrive on top.
    await scrollList(page, 300 * ROW);
    const reading = await topRowId(page);
    const before = (await snapshot(page)).loaded;
    await sendCapture(`${viewer.server.url}/b/big/while-reading`, { body: '{}' });
    await expect.poll(async () => (await snapshot(page)).loaded).toBe(before + 1);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await topRowId(page)).toBe(reading);
  });
});
