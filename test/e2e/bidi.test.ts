import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { probePage, sendRaw, useViewer } from './harness';

/**
 * A sender's bidi controls and invisible characters are shown, never applied: "invoice\u202Egnp.exe" would read
 * "invoiceexe.png" if the browser obeyed the RIGHT-TO-LEFT OVERRIDE, and a zero width space would not show at all.
 */
const RLO = '\u202e';
const LRI = '\u2066';
const ZWSP = '\u200b';
const BIN_NAME = `in${ZWSP}voice${RLO}gnp.exe`;
const HEADER_VALUE = `pay ${RLO}elbazzif${LRI}x${ZWSP}y`;
const BODY_TEXT = `file: report${RLO}fdp.exe ${LRI}isolated${ZWSP}`;
const USER = `ad${RLO}nim`;
const PASSWORD = `pass${ZWSP}word`;

const viewer = useViewer({ bins: [['bidi', BIN_NAME]] });
let jsonId: number;
let textId: number;

beforeAll(async () => {
  const port = viewer.server.port;
  const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  const body = JSON.stringify({ note: BODY_TEXT });
  jsonId = await sendRaw(
    port,
    [
      `POST /b/bidi/upload?name=${encodeURIComponent(`x${RLO}gpj.exe`)} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Content-Type: application/json',
      `X-Note: ${HEADER_VALUE}`,
      `Authorization: Basic ${basic}`,
    ].join('\r\n'),
    body,
  );
  textId = await sendRaw(port, [`POST /b/bidi/plain HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Content-Type: text/plain; charset=utf-8'].join('\r\n'), BODY_TEXT);
});

/** The innerText, textContent and the marker titles of one part of the page. */
function read(locator: Locator): Promise<{ innerText: string; textContent: string; titles: string[] }> {
  return locator.evaluate((element: HTMLElement) => ({
    innerText: element.innerText,
    textContent: element.textContent ?? '',
    titles: Array.from(element.querySelectorAll('[data-testid=char-marker]'), (marker) => marker.getAttribute('title') ?? ''),
  }));
}

/**
 * The left edges of each character of `word` where it is drawn inside `locator`, in the order the characters are
 * written: increasing when the browser lays them out left to right, as written (no override applied).
 */
function charLefts(locator: Locator, word: string): Promise<number[]> {
  return locator.evaluate((element: HTMLElement, needle: string) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const at = (node.textContent ?? '').indexOf(needle);
      if (at === -1) continue;
      return Array.from(needle, (_, offset) => {
        const range = document.createRange();
        range.setStart(node, at + offset);
        range.setEnd(node, at + offset + 1);
        return range.getBoundingClientRect().left;
      });
    }
    throw new Error(`no text node holds ${needle}`);
  }, word);
}

function increasing(values: number[]): boolean {
  return values.every((value, index) => index === 0 || value > values[index - 1]);
}

async function openRequest(page: Page, id: number): Promise<void> {
  await page.goto(`${viewer.server.url}/bins/bidi/requests/${id}`);
  await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"]`);
}

describe('bidi controls and invisible characters', () => {
  it('show as markers in the bin list and the bin title, which read as written, not as the spoof', async () => {
    const page = await viewer.newPage();
    const probe = probePage(page);
    await page.goto(`${viewer.server.url}/bins/bidi`);
    const name = page.locator('[data-testid=bin-item][data-bin-id=bidi] [data-testid=bin-name]');
    await name.waitFor();

    const listed = await read(name);
    expect(listed.innerText).toBe('in⟨U+200B⟩voice⟨U+202E⟩gnp.exe');
    expect(listed.textContent).not.toContain(RLO);
    expect(listed.textContent).not.toContain(ZWSP);
    expect(listed.titles).toEqual(['ZERO WIDTH SPACE (U+200B), shown instead of applied', 'RIGHT-TO-LEFT OVERRIDE (U+202E), shown instead of applied']);
    expect(await name.getAttribute('title')).toBe('in⟨U+200B⟩voice⟨U+202E⟩gnp.exe');
    // The tab title is plain text, so it carries the markers' text instead of the characters.
    await expect.poll(() => page.title()).toBe('in⟨U+200B⟩voice⟨U+202E⟩gnp.exe · hooklens');
    // Drawn in the order written: "gnp.exe" left to right after "voice", never "exe.png".
    expect(increasing(await charLefts(name, 'gnp.exe'))).toBe(true);
    const voice = await charLefts(name, 'voice');
    const [g] = await charLefts(name, 'gnp');
    expect(g).toBeGreaterThan(voice[voice.length - 1]);
    const marker = name.locator('[data-testid=char-marker][data-code-points="U+202E"]');
    expect(await marker.getAttribute('aria-label')).toBe('RIGHT-TO-LEFT OVERRIDE (U+202E), shown instead of applied');
    expect(await marker.isVisible()).toBe(true);

    const title = await read(page.locator('[data-testid=bin-title]'));
    expect(title.innerText).toBe('in⟨U+200B⟩voice⟨U+202E⟩gnp.exe');
    expect(increasing(await charLefts(page.locator('[data-testid=bin-title]'), 'gnp.exe'))).toBe(true);
    expect(probe.errors).toEqual([]);
  });

  it('show as markers in a header value, a query parameter, the credential card and the body views', async () => {
    const page = await viewer.newPage();
    const probe = probePage(page);
    await openRequest(page, jsonId);

    const header = page.locator('[data-testid=header-row]', { has: page.locator('[data-testid=header-name]', { hasText: 'X-Note' }) }).locator('[data-testid=header-value]');
    const headerText = await read(header);
    expect(headerText.innerText).toBe('pay ⟨U+202E⟩elbazzif⟨U+2066⟩x⟨U+200B⟩y');
    expect(headerText.titles).toEqual([
      'RIGHT-TO-LEFT OVERRIDE (U+202E), shown instead of applied',
      'LEFT-TO-RIGHT ISOLATE (U+2066), shown instead of applied',
      'ZERO WIDTH SPACE (U+200B), shown instead of applied',
    ]);
    expect(increasing(await charLefts(header, 'elbazzif'))).toBe(true);

    expect((await read(page.locator('[data-testid=query-table]'))).innerText).toContain('x⟨U+202E⟩gpj.exe');
    const credential = await read(page.locator('[data-testid=credential]').first());
    expect(credential.innerText).toContain('ad⟨U+202E⟩nim');

    const body = page.locator('[data-testid=body-content]');
    expect(await body.getAttribute('data-mode')).toBe('pretty');
    const pretty = await read(body);
    expect(pretty.innerText).toContain('"file: report⟨U+202E⟩fdp.exe ⟨U+2066⟩isolated⟨U+200B⟩"');
    expect(pretty.textContent).not.toContain(RLO);
    expect(pretty.titles).toHaveLength(3);
    await page.click('[data-testid=body-tab-text]');
    await page.waitForSelector('[data-testid=body-content][data-mode=text]');
    expect((await read(body)).innerText).toContain('report⟨U+202E⟩fdp.exe ⟨U+2066⟩isolated⟨U+200B⟩');
    expect(increasing(await charLefts(body, 'fdp.exe'))).toBe(true);

    await openRequest(page, textId);
    expect((await read(page.locator('[data-testid=body-content]'))).innerText).toBe(BODY_TEXT.replace(RLO, '⟨U+202E⟩').replace(LRI, '⟨U+2066⟩').replace(ZWSP, '⟨U+200B⟩'));
    expect(probe.errors).toEqual([]);
  });

  it('show as markers in the request list and a revealed secret, while the copy button copies the secret as it was sent', async () => {
    const page = await viewer.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`${viewer.server.url}/bins/bidi`);
    const item = page.locator(`[data-testid=request-item][data-request-id="${jsonId}"]`);
    await item.waitFor();
    expect((await read(item.locator('[data-testid=request-auth-label]'))).innerText).toContain('ad⟨U+202E⟩nim');

    await openRequest(page, jsonId);
    const card = page.locator('[data-testid=credential]').first();
    await card.locator('[data-testid=reveal-secret]').click();
    await expect.poll(async () => (await read(card.locator('[data-testid=secret-value]'))).innerText).toBe('pass⟨U+200B⟩word');
    await card.locator('[data-testid=copy-secret]').click();
    await expect.poll(() => card.locator('[data-testid=copy-secret]').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(PASSWORD);
  });
});
