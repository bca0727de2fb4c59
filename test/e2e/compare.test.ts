import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { probePage, sendRaw, useViewer } from './harness';

/**
 * The compare view (`/compare/{binA}/{idA}/{binB}/{idB}`): two captures that differ in one header value, one header
 * each side only, two headers swapped, the Bearer token and one JSON field; opened by its address and from the list.
 */
const TOKEN_A = 'compare-token-AAAA-1111-q8w7e6r5t4';
const TOKEN_B = 'compare-token-BBBB-2222-z1x2c3v4b5';
const HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=1</script>';

const viewer = useViewer({ bins: [['compare', 'Compare']] });

function capture(lines: string[], body: string): Promise<number> {
  const port = viewer.server.port;
  return sendRaw(port, ['POST /b/compare/tickets HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', ...lines].join('\r\n'), body);
}

async function captureBoth(): Promise<[number, number]> {
  const a = await capture(
    ['X-Changed: one', 'X-Removed: gone', 'X-First: 1', 'X-Second: 2', `Authorization: Bearer ${TOKEN_A}`, `X-Hostile: ${HOSTILE}`],
    '{"ticket":{"id":7,"status":"open","tags":["a"]}}',
  );
  const b = await capture(
    ['X-Changed: two', 'X-Second: 2', 'X-First: 1', 'X-Added: new', `Authorization: Bearer ${TOKEN_B}`, `X-Hostile: ${HOSTILE}`],
    '{"ticket":{"id":7,"status":"solved","tags":["a"]}}',
  );
  return [a, b];
}

/** The change each header row of the compare view states, by the header's name as shown. */
async function headerChanges(page: Page): Promise<Record<string, string>> {
  await page.waitForSelector('[data-testid=compare-headers]');
  return page.locator('[data-testid=compare-header]').evaluateAll((rows) =>
    Object.fromEntries(
      rows.map((row) => [row.querySelector('[data-testid=compare-header-name]')?.textContent ?? '', row.querySelector('[data-testid=compare-header-change]')?.textContent ?? '']),
    ),
  );
}

async function expectNoTokens(page: Page): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText);
  const html = await page.content();
  for (const token of [TOKEN_A, TOKEN_B]) {
    expect(text).not.toContain(token);
    expect(html).not.toContain(token);
  }
}

describe('/compare/{binA}/{idA}/{binB}/{idB}', () => {
  it('shows a changed, an added, a removed and a moved header, the changed JSON path and a different token without either token', async () => {
    const [a, b] = await captureBoth();
    const page = await viewer.newPage();
    const probe = probePage(page);
    await page.goto(`${viewer.server.url}/compare/compare/${a}/compare/${b}`);

    const changes = await headerChanges(page);
    expect(changes['X-Changed']).toBe('changed');
    expect(changes['X-Added']).toBe('added');
    expect(changes['X-Removed']).toBe('removed');
    expect(Object.values(changes)).toContain('moved');
    expect(changes['Content-Type']).toBe('same');
    expect(changes['Authorization']).toBe('changed');

    const json = page.locator('[data-testid=compare-json-change]');
    await expect.poll(() => json.allInnerTexts()).toEqual([expect.stringContaining('$.ticket.status')]);
    expect(await json.first().innerText()).toContain('"open" → "solved"');

    const verdict = await page.locator('[data-testid=compare-credential-verdict]').innerText();
    expect(verdict).toMatch(/different secret \(fingerprints [0-9a-f]{8}… vs [0-9a-f]{8}…\)/);
    await expectNoTokens(page);

    // The hostile header value is text, in both columns.
    const hostileRow = page.locator('[data-testid=compare-header]', { has: page.locator('[data-testid=compare-header-name]', { hasText: 'X-Hostile' }) });
    expect(await hostileRow.locator('[data-testid=compare-header-a]').innerText()).toBe(HOSTILE);
    expect(await page.locator('[data-testid=compare-view] img, [data-testid=compare-view] script').count()).toBe(0);
    expect(await page.evaluate(() => Reflect.get(window, '__pwned'))).toBeUndefined();
    expect(probe.dialogs).toEqual([]);
    expect(probe.errors).toEqual([]);
  });

  it('opens from two rows picked in the list, and from one row with the previous request from its sender', async () => {
    const [a, b] = await captureBoth();
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/compare`);
    const toggle = (id: number) => page.locator(`[data-testid=request-item][data-request-id="${id}"] [data-testid=compare-toggle]`);
    await toggle(a).check();
    await toggle(b).check();
    await page.locator('[data-testid=compare-open]').click();
    await page.waitForURL(`${viewer.server.url}/compare/compare/${a}/compare/${b}`);
    expect((await headerChanges(page))['X-Added']).toBe('added');
    await expectNoTokens(page);

    // The address is all it takes: reloaded, it shows the same.
    await page.reload();
    expect((await headerChanges(page))['X-Removed']).toBe('removed');

    await page.goto(`${viewer.server.url}/bins/compare`);
    await toggle(b).check();
    await page.locator('[data-testid=compare-previous]').click();
    await page.waitForURL(`${viewer.server.url}/compare/compare/${a}/compare/${b}`);
    expect((await headerChanges(page))['X-Changed']).toBe('changed');
  });

  it('says in plain words that a deleted request no longer exists', async () => {
    const [a, b] = await captureBoth();
    const response = await fetch(`${viewer.server.url}/api/bins/compare/requests/${b}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/compare/compare/${a}/compare/${b}`);
    const gone = page.locator('[data-testid=compare-gone]');
    await gone.waitFor();
    expect(await gone.innerText()).toMatch(new RegExp(`request ${b} no longer exists`, 'i'));
    expect(await page.locator('[data-testid=compare-headers]').count()).toBe(0);
  });
  it('compares text bodies by lines, and a Basic credential with a Bearer one without revealing either', async () => {
    const port = viewer.server.port;
    const send = (auth: string, body: string) =>
      sendRaw(port, ['POST /b/compare/notes HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: text/plain', `Authorization: ${auth}`].join('\r\n'), body);
    const a = await send(`Basic ${Buffer.from(`jdoe:${TOKEN_A}`).toString('base64')}`, 'first\nsecond\nthird\n');
    const b = await send(`Bearer ${TOKEN_B}`, 'first\nsecond, edited\nthird\n');
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/compare/compare/${a}/compare/${b}`);
    const lines = page.locator('[data-testid=compare-lines] > div');
    await lines.first().waitFor();
    const changed = await lines.evaluateAll((divs) => divs.map((div) => `${div.getAttribute('data-change')} ${div.textContent?.slice(2)}`));
    expect(changed).toEqual(['same first', 'removed second', 'added second, edited', 'same third']);
    expect(await page.locator('[data-testid=compare-credential-verdict]').innerText()).toMatch(/^Basic vs Bearer · .*different secret/);
    await expectNoTokens(page);
  });
});
