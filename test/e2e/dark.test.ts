/**
 * Light or dark: the viewer follows the system's preference (Chromium's colorScheme emulation), and the theme
 * toggle overrides it (system → light → dark → system) and is remembered across a reload.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useViewer } from './harness';

const viewer = useViewer({ bins: [['themed', 'Themed']] });

/** The page's background colour as [r, g, b]. */
async function background(page: Page): Promise<number[]> {
  const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  return (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}

const isDark = (rgb: number[]) => rgb.length === 3 && Math.max(...rgb) < 60;
const isLight = (rgb: number[]) => rgb.length === 3 && Math.min(...rgb) > 200;

async function open(colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await viewer.newPage({ colorScheme });
  await page.goto(`${viewer.server.url}/bins/themed`);
  await page.getByTestId('bin-title').waitFor();
  return page;
}

describe('the colour scheme', () => {
  it('is dark when the system prefers dark, light when it prefers light', async () => {
    expect(await background(await open('dark'))).toSatisfy(isDark);
    expect(await background(await open('light'))).toSatisfy(isLight);
  });

  it('follows a change of the system preference while the page is open', async () => {
    const page = await open('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background(page)).toSatisfy(isDark);
  });

  it('can be set with the toggle, which overrides the system and is remembered across a reload', async () => {
    const page = await open('dark');
    const toggle = page.getByTestId('theme-toggle');
    expect(await toggle.getAttribute('data-theme-choice')).toBe('system');
    await toggle.click();
    expect(await toggle.getAttribute('data-theme-choice')).toBe('light');
    expect(await background(page)).toSatisfy(isLight);

    await page.reload();
    await page.getByTestId('bin-title').waitFor();
    expect(await page.getByTestId('theme-toggle').getAttribute('data-theme-choice')).toBe('light');
    expect(await background(page)).toSatisfy(isLight);

    await page.getByTestId('theme-toggle').click();
    expect(await background(page)).toSatisfy(isDark);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background(page)).toSatisfy(isDark);

    // Back to the system's: the stored choice is gone and the system's preference shows again.
    await page.getByTestId('theme-toggle').click();
    expect(await page.getByTestId('theme-toggle').getAttribute('data-theme-choice')).toBe('system');
    expect(await background(page)).toSatisfy(isLight);
    await page.reload();
    await page.getByTestId('bin-title').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('hooklens.theme'))).toBeNull();
    expect(await background(page)).toSatisfy(isLight);
  });
});
