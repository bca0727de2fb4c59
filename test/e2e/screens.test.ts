/**
 * The viewer on any screen: from 360 px up nothing scrolls sideways (long captured values wrap or scroll inside their
 * own box), below 900 px the list and an open request take turns, below 1100 px the bins column is a drawer, and
 * at 1024 px the detail is the widest column. With HOOKLENS_SHOTS=<folder> it also writes screenshots of a bin page
 * with a request open, 1400×900 and 400×800, light and dark, into that folder (never into the repository).
 */
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { probePage, sendCapture, useViewer } from './harness';

const viewer = useViewer({ bins: [['screens', 'Screens'], ['other-bin', 'Another bin with a rather long name for a narrow window']] });

const LONG = 'x'.repeat(600);
let longId = 0;
let shortId = 0;

beforeAll(async () => {
  const capture = `${viewer.server.url}/b/screens`;
  shortId = await sendCapture(`${capture}/orders?page=2`, { headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
  longId = await sendCapture(`${capture}/a/${'very-long-segment-'.repeat(20)}?${'key=value&'.repeat(40)}`, {
    headers: {
      'Content-Type': 'application/json',
      'X-Long-Header': LONG,
      'X-Words': 'a long header value made of many words '.repeat(15),
      Authorization: `Bearer ${'t'.repeat(400)}`,
    },
    body: JSON.stringify({ line: LONG, nested: { deeper: [LONG, 'short'] } }),
  });
});

/** How wide the document is against the window: nothing may scroll sideways. */
async function widths(page: Page): Promise<{ scroll: number; inner: number }> {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
}

async function open(width: number, height: number, path: string): Promise<Page> {
  const page = await viewer.newPage({ viewport: { width, height } });
  await page.goto(`${viewer.server.url}${path}`);
  return page;
}

describe('a narrow window', () => {
  for (const width of [360, 400]) {
    it(`does not scroll sideways at ${width} px on the home page, a bin, a request with long values and the header builder`, async () => {
      const page = await open(width, 800, '/');
      const probe = probePage(page);
      await page.waitForSelector('[data-testid=home]');
      expect(await widths(page)).toSatisfy(({ scroll, inner }: { scroll: number; inner: number }) => scroll <= inner);

      await page.goto(`${viewer.server.url}/bins/screens`);
      await page.waitForSelector('[data-testid=request-item]');
      expect((await widths(page)).scroll).toBeLessThanOrEqual(width);

      await page.goto(`${viewer.server.url}/bins/screens/requests/${longId}`);
      await page.waitForSelector('[data-testid=detail-column] h2, [data-testid=detail-column] h3');
      await page.getByText('X-Long-Header', { exact: false }).first().waitFor();
      expect((await widths(page)).scroll).toBeLessThanOrEqual(width);

      await page.goto(`${viewer.server.url}/builder`);
      await page.waitForSelector('[data-testid=header-builder]');
      expect((await widths(page)).scroll).toBeLessThanOrEqual(width);
      expect(probe.errors).toEqual([]);
    });
  }

  it('shows an open request in the place of the list, readable, with a way back to the list', async () => {
    const page = await open(400, 800, `/bins/screens/requests/${shortId}`);
    const detail = page.getByTestId('detail-column');
    await detail.getByText('/orders').first().waitFor();
    expect(await page.getByTestId('requests-column').isVisible()).toBe(false);
    const box = await detail.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(380);
    // The request line is on screen, inside the window.
    const line = await detail.getByText('/orders').first().boundingBox();
    expect(line !== null && line.x >= 0 && line.x + line.width <= 400).toBe(true);

    await page.getByTestId('back-to-list').click();
    await page.waitForURL(/\/bins\/screens$/);
    expect(await page.getByTestId('requests-column').isVisible()).toBe(true);
    expect(await detail.isVisible()).toBe(false);
    await page.getByTestId('request-item').first().waitFor();
  });

  it('keeps the bins behind a button, in a drawer that closes when a bin is picked', async () => {
    const page = await open(400, 800, '/bins/screens');
    await page.getByTestId('request-item').first().waitFor();
    const bins = page.getByTestId('bins-column');
    expect(await bins.isVisible()).toBe(false);
    await page.getByTestId('bins-toggle').click();
    await bins.waitFor({ state: 'visible' });
    expect((await widths(page)).scroll).toBeLessThanOrEqual(400);
    await bins.locator('[data-bin-id=other-bin] [data-testid=bin-link]').click();
    await page.waitForURL(/\/bins\/other-bin$/);
    await bins.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('bins-toggle').getAttribute('aria-expanded')).toBe('false');
  });
});

describe('a middling window', () => {
  it('gives the detail more room than the list at 1024 px, the bins in a drawer', async () => {
    const page = await open(1024, 768, `/bins/screens/requests/${shortId}`);
    await page.getByTestId('detail-column').getByText('/orders').first().waitFor();
    const list = await page.getByTestId('requests-column').boundingBox();
    const detail = await page.getByTestId('detail-column').boundingBox();
    expect(list !== null && detail !== null && detail.width > list.width).toBe(true);
    expect(await page.getByTestId('bins-column').isVisible()).toBe(false);
    expect((await widths(page)).scroll).toBeLessThanOrEqual(1024);
  });

  it('shows the three columns side by side at 1400 px', async () => {
    const page = await open(1400, 900, `/bins/screens/requests/${shortId}`);
    await page.getByTestId('detail-column').getByText('/orders').first().waitFor();
    expect(await page.getByTestId('bins-column').isVisible()).toBe(true);
    expect(await page.getByTestId('requests-column').isVisible()).toBe(true);
    expect(await page.getByTestId('bins-toggle').isVisible()).toBe(false);
  });
});

describe('screenshots (into HOOKLENS_SHOTS, or a temporary folder)', () => {
  it('writes the bin page with a request open at 1400×900 and 400×800, light and dark, and dark is not light', async () => {
    const folder = process.env.HOOKLENS_SHOTS ?? (await mkdtemp(join(tmpdir(), 'hooklens-shots-')));
    await mkdir(folder, { recursive: true });
    const shot = async (file: string, width: number, height: number, colorScheme: 'light' | 'dark', path: string, ready: (page: Page) => Promise<void>) => {
      const page = await viewer.newPage({ viewport: { width, height }, colorScheme });
      await page.goto(`${viewer.server.url}${path}`);
      await ready(page);
      await page.screenshot({ path: join(folder, file) });
      await page.close();
      return readFile(join(folder, file));
    };
    const detailShown = (page: Page) => page.getByTestId('detail-column').getByText('Headers', { exact: false }).first().waitFor();
    const listShown = (page: Page) => page.getByTestId('request-item').first().waitFor();
    for (const [width, height] of [[1400, 900], [400, 800]] as const) {
      const pair: Buffer[] = [];
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const [name, id] of [['short', shortId], ['long', longId]] as const) {
          pair.push(await shot(`bin-${name}-${width}-${colorScheme}.png`, width, height, colorScheme, `/bins/screens/requests/${id}`, detailShown));
        }
        await shot(`list-${width}-${colorScheme}.png`, width, height, colorScheme, '/bins/screens', listShown);
      }
      for (const png of pair) expect(png.subarray(1, 4).toString()).toBe('PNG');
      // The same page in the dark scheme is drawn differently.
      expect(pair[0].equals(pair[2])).toBe(false);
    }
  });
});

describe('renaming a bin in place', () => {
  it('saves on Enter (header and sidebar follow), cancels on Esc, and shows the server error for a name over 200', async () => {
    const page = await open(1400, 900, '/bins/other-bin');
    await page.getByTestId('rename-bin').click();
    await page.getByTestId('rename-input').fill('Renamed bin');
    await page.keyboard.press('Enter');
    await page.getByTestId('bin-title').getByText('Renamed bin').waitFor();
    await page.locator('[data-bin-id=other-bin] [data-testid=bin-name]').getByText('Renamed bin').waitFor();
    const stored = (await (await fetch(`${viewer.server.url}/api/bins/other-bin`)).json()) as { name: string };
    expect(stored.name).toBe('Renamed bin');

    await page.getByTestId('rename-bin').click();
    await page.getByTestId('rename-input').fill('Not kept');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('bin-title').textContent()).toBe('Renamed bin');

    await page.getByTestId('rename-bin').click();
    await page.getByTestId('rename-input').fill('n'.repeat(201));
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('rename-error').textContent()).toContain('200');
    await page.getByTestId('rename-input').fill('');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('rename-error').textContent()).toContain('needs a name');
  });
});
