import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { probePage, sendCapture, sendRaw, useViewer } from './harness';
import type { PageProbe } from './harness';

/**
 * Captured data is the attacker's: every payload here would set window.__pwned, open a dialog or load "x" if the
 * viewer ever treated it as markup, a URL or code.
 */
const SCRIPT = '<script>window.__pwned=1;alert("script")</script>';
const IMG = '<img src=x onerror="window.__pwned=1;alert(\'img\')">';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1;alert(\'svg\')"><script>window.__pwned=1;alert("svg script")</script></svg>';
const LINK = '<a href="javascript:window.__pwned=1;alert(\'link\')">click me</a>';
const JS_URL = 'javascript:window.__pwned=1;alert(document.domain)';
const IFRAME = '<iframe srcdoc="<script>parent.__pwned=1;parent.alert(1)</script>"></iframe>';
const BREAKOUT = '"><body onload="window.__pwned=1">';
const ALL = [SCRIPT, IMG, SVG, LINK, JS_URL, IFRAME, BREAKOUT].join('\n');

const viewer = useViewer({ bins: [['hostile', IMG + SCRIPT]] });
const ids: number[] = [];

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function captureCorpus(): Promise<void> {
  const capture = `${viewer.server.url}/b/hostile`;
  const port = viewer.server.port;
  // Markup in the path, the query, header names (only what HTTP's token characters allow) and header values.
  ids.push(
    await sendRaw(
      port,
      [
        `POST /b/hostile/<script>window.__pwned=1</script>/"><img/src=x/onerror=window.__pwned=1>?q=<img/src=x/onerror=window.__pwned=1>&next=${JS_URL}&api_key=<script>window.__pwned=1</script> HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Content-Type: text/html; charset=utf-8',
        `X-Payload: ${SCRIPT}`,
        `X-Img: ${IMG}`,
        `X-&#60script&#62: ${SVG}`,
        `X-'onmouseover'|alert: ${JS_URL}`,
        `X-Breakout: ${BREAKOUT}`,
      ].join('\r\n'),
      `<!doctype html><html><body onload="window.__pwned=1">${ALL}</body></html>`,
    ),
  );
  ids.push(await sendCapture(`${capture}/svg`, { headers: { 'Content-Type': 'image/svg+xml' }, body: SVG }));
  ids.push(
    await sendCapture(`${capture}/json`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ [SCRIPT]: IMG, link: LINK, nested: [SVG, { url: JS_URL, frame: IFRAME }] }),
    }),
  );
  // Not UTF-8 (0xff), so only the hex view shows it.
  ids.push(
    await sendCapture(`${capture}/binary`, {
      headers: { 'Content-Type': 'text/html' },
      body: new Uint8Array([0x00, 0xff, 0xfe, ...Buffer.from(SCRIPT + IMG)]),
    }),
  );
  ids.push(
    await sendCapture(`${capture}/basic`, {
      headers: { Authorization: `Basic ${Buffer.from(`${IMG}:${SCRIPT}`).toString('base64')}`, 'X-API-Key': SVG },
      body: '',
    }),
  );
  const now = Math.floor(Date.now() / 1000);
  const jwt = [
    base64url({ alg: 'none', typ: SCRIPT, kid: IMG }),
    base64url({ sub: IMG, iss: JS_URL, name: SVG, [LINK]: IFRAME, exp: now + 3600, iat: now }),
    '',
  ].join('.');
  ids.push(await sendCapture(`${capture}/jwt?token=${encodeURIComponent(SCRIPT)}`, { method: 'GET', headers: { Authorization: `Bearer ${jwt}` } }));

  // The body views: multipart names and filenames, a form, XML text and attributes, a gzip body that decodes to
  // markup, "images" that are markup (one PNG by name, one SVG), and a JSON document large enough for the tree.
  const boundary = 'x"><img src=x onerror=window.__pwned=1>';
  const multipart = [
    `--${boundary}\r\nContent-Disposition: form-data; name="${IMG.replace(/"/g, "'")}"\r\n\r\n${SCRIPT}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="<img src=x onerror=alert(1)>.txt"\r\nContent-Type: text/html\r\n\r\n${ALL}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="svg"; filename="${SVG.replace(/"/g, "'")}.svg"\r\nContent-Type: image/svg+xml\r\n\r\n${SVG}\r\n`,
    `--${boundary}--\r\n`,
  ].join('');
  ids.push(await sendCapture(`${capture}/multipart`, { headers: { 'Content-Type': `multipart/form-data; boundary="${boundary.replace(/"/g, '\\"')}"` }, body: multipart }));
  ids.push(await sendCapture(`${capture}/form`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams([[IMG, SCRIPT], [LINK, JS_URL]]).toString() }));
  ids.push(
    await sendCapture(`${capture}/xml`, {
      headers: { 'Content-Type': 'application/xml' },
      body: `<?xml version="1.0"?><!DOCTYPE x><x xmlns:h="http://www.w3.org/1999/xhtml" a="${BREAKOUT.replace(/"/g, '&quot;').replace(/</g, '&lt;')}"><h:script>window.__pwned=1;alert('xhtml')</h:script><h:img src="x" onerror="window.__pwned=1"/>${IMG.replace(/</g, '&lt;')}<![CDATA[${SCRIPT}]]><!--${SCRIPT}--></x>`,
    }),
  );
  ids.push(await sendCapture(`${capture}/gzip`, { headers: { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' }, body: new Uint8Array(gzipSync(`<!doctype html>${ALL}`)) }));
  ids.push(await sendCapture(`${capture}/png`, { headers: { 'Content-Type': 'image/png' }, body: SVG }));
  ids.push(await sendCapture(`${capture}/svg-xml`, { headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' }, body: `<?xml version="1.0"?>${SVG}` }));
  const large = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`${IMG}${i}`, { [SCRIPT]: [LINK, JS_URL, i] }]));
  ids.push(await sendCapture(`${capture}/large-json`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(large) }));
}

beforeAll(captureCorpus);

let page: Page;
let probe: PageProbe;
let requested: string[];

async function openPage(): Promise<void> {
  page = await viewer.newPage({ acceptDownloads: true });
  probe = probePage(page);
  requested = [];
  page.on('request', (request) => requested.push(request.url()));
}

/** Nothing ran: no flag set, no dialog, no error, no console output, and no request for the payloads' "x". */
async function expectNothingRan(target: Page = page): Promise<void> {
  expect(await target.evaluate(() => Reflect.get(window, '__pwned'))).toBeUndefined();
  expect(probe.dialogs).toEqual([]);
  expect(probe.errors).toEqual([]);
  expect(probe.console).toEqual([]);
  expect(requested.filter((url) => new URL(url).pathname.split('/').pop() === 'x')).toEqual([]);
  // The one image allowed is the body preview, drawn from the body's bytes (blob: or data:), never a sender's URL.
  expect(await target.locator('img:not([data-testid=image]), svg, iframe, script:not([src])').count()).toBe(0);
  for (const src of await target.locator('img[data-testid=image]').evaluateAll((images) => images.map((image) => image.getAttribute('src') ?? ''))) {
    expect(src).toMatch(/^(blob:|data:image\/(png|jpeg|gif|webp);base64,)/);
  }
}

async function clickAll(selector: string): Promise<void> {
  const buttons = page.locator(selector);
  const count = await buttons.count();
  for (let i = 0; i < count; i++) await buttons.nth(i).click();
}

/** Opens every closed <details> in the body view, level by level (a tree branch renders its children once open). */
async function openAllDetails(): Promise<void> {
  for (let level = 0; level < 10; level++) {
    const opened = await page.evaluate(() => {
      const closed = Array.from(document.querySelectorAll<HTMLDetailsElement>('[data-testid=body-content] details:not([open])'));
      for (const details of closed) details.open = true;
      return closed.length;
    });
    if (opened === 0) return;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
}

describe('hostile captures', () => {
  it('show as text in the bins list and the request list', async () => {
    await openPage();
    await page.goto(`${viewer.server.url}/bins/hostile`);
    await page.locator('[data-testid=request-item]').nth(ids.length - 1).waitFor();
    expect(await page.textContent('[data-testid=bin-title]')).toBe(IMG + SCRIPT);
    expect(await page.textContent('[data-testid=bin-list]')).toContain(IMG + SCRIPT);
    expect(await page.textContent(`[data-request-id="${ids[0]}"] [data-testid=request-path]`)).toContain('/<script>window.__pwned=1</script>/');
    expect(await page.getAttribute(`[data-request-id="${ids[0]}"] [data-testid=request-path]`, 'title')).toContain('/<script>window.__pwned=1</script>/');
    await expectNothingRan();
  });

  it('show as text in the tab title, with the count of arrivals while the tab is hidden', async () => {
    await openPage();
    await page.goto(`${viewer.server.url}/bins/hostile`);
    await page.locator('[data-testid=request-item]').nth(ids.length - 1).waitFor();
    await page.waitForSelector('[data-testid=live-status][data-status=live]');
    expect(await page.title()).toBe(`${IMG + SCRIPT} · hooklens`);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await sendCapture(`${viewer.server.url}/b/hostile/${encodeURIComponent(SCRIPT)}`, { body: IMG });
    await expect.poll(() => page.title()).toBe(`(1) ${IMG + SCRIPT} · hooklens`);
    expect(await page.evaluate(() => document.head.querySelectorAll('title').length)).toBe(1);
    expect(await page.evaluate(() => document.head.querySelector('title')?.children.length)).toBe(0);
    await expectNothingRan();
  });

  it('show as text in every detail view: request line, headers revealed, query, each body view and the Auth panel revealed', async () => {
    await openPage();
    for (const id of ids) {
      await page.goto(`${viewer.server.url}/bins/hostile/requests/${id}`);
      await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"]`);
      await clickAll('[data-testid=reveal-secret]');
      await clickAll('[data-testid=header-reveal]');
      const tabs = await page.locator('[data-testid^=body-tab-]').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-testid')?.slice('body-tab-'.length) ?? ''));
      for (const tab of tabs) {
        await page.click(`[data-testid=body-tab-${tab}]`);
        await page.waitForSelector(`[data-testid=body-content][data-mode=${tab}]`);
        await openAllDetails();
        if (tab === 'decompressed') await page.waitForSelector('[data-testid=decompressed-content], [data-testid=decompressed-error]');
        if (tab === 'image') await page.waitForSelector('[data-testid=image-failed]');
      }
      await expectNothingRan();
    }
    await page.goto(`${viewer.server.url}/bins/hostile/requests/${ids[0]}`);
    await page.waitForSelector('[data-testid=headers-table]');
    expect(await page.textContent('[data-testid=headers-table]')).toContain("X-'onmouseover'|alert");
    expect(await page.textContent('[data-testid=request-line]')).toContain('<img/src=x/onerror=window.__pwned=1>');
    await page.click('[data-testid=body-tab-text]');
    expect(await page.textContent('[data-testid=body-content]')).toContain(SVG);

    await page.goto(`${viewer.server.url}/bins/hostile/requests/${ids[5]}`);
    await page.waitForSelector('[data-testid=jwt]');
    expect(await page.textContent('[data-testid=jwt-claims]')).toContain(IMG);
    await expectNothingRan();
  });

  it('show as text in the body views: multipart names and filenames, XML, a decoded gzip body, an image that is not one', async () => {
    await openPage();
    const open = async (index: number, mode: string) => {
      await page.goto(`${viewer.server.url}/bins/hostile/requests/${ids[index]}`);
      await page.waitForSelector(`[data-testid=body-content][data-mode=${mode}]`);
    };
    await open(6, 'parts');
    expect(await page.locator('[data-testid=part-name]').first().textContent()).toBe(IMG.replace(/"/g, "'"));
    expect(await page.locator('[data-testid=part-filename]').nth(0).textContent()).toBe(' <img src=x onerror=alert(1)>.txt');
    expect(await page.locator('[data-testid=part-download]').nth(1).getAttribute('href')).toMatch(/^blob:/);
    await open(7, 'form');
    expect(await page.locator('[data-testid=form-name]').first().textContent()).toBe(IMG);
    await open(8, 'xml');
    const xml = await page.textContent('[data-testid=body-content]');
    expect(xml).toContain("<h:script>window.__pwned=1;alert('xhtml')</h:script>");
    expect(xml).toContain(`<![CDATA[${SCRIPT}]]>`);
    await open(9, 'decompressed');
    await page.waitForSelector('[data-testid=decompressed-content]');
    expect(await page.textContent('[data-testid=decompressed-content]')).toContain(IFRAME);
    await open(10, 'image');
    await page.waitForSelector('[data-testid=image-failed]');
    await page.click('[data-testid=body-tab-text]');
    expect(await page.textContent('[data-testid=body-content][data-mode=text]')).toBe(SVG);
    await open(11, 'xml');
    expect(await page.locator('[data-testid=body-tab-image]').count()).toBe(0);
    await open(12, 'tree');
    await openAllDetails();
    expect(await page.textContent('[data-testid=json-tree]')).toContain(JSON.stringify(SCRIPT));
    await expectNothingRan();
  });

  it('show as text in the header builder, where the bin name is an option', async () => {
    await openPage();
    await page.goto(`${viewer.server.url}/builder`);
    await page.waitForSelector('[data-testid=header-builder]');
    await page.fill('[data-testid=builder-email]', IMG);
    await page.fill('[data-testid=builder-secret]', SCRIPT);
    expect(await page.textContent('[data-testid=builder-python]')).toContain(SCRIPT);
    expect(await page.textContent('[data-testid=builder-bin]')).toContain(IMG + SCRIPT);
    await expectNothingRan();
  });

  it('cannot run when the raw request and the body download are opened directly', async () => {
    await openPage();
    for (const id of ids) {
      const response = await page.goto(`${viewer.server.url}/api/bins/hostile/requests/${id}/raw`);
      expect(response?.headers()['content-security-policy']).toBe('sandbox');
      expect(response?.headers()['x-content-type-options']).toBe('nosniff');
      await expectNothingRan();
    }
    await page.goto(`${viewer.server.url}/bins/hostile/requests/${ids[0]}`);
    await page.waitForSelector('[data-testid=body-link]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=body-link]')]);
    expect(download.suggestedFilename()).toMatch(/\.bin$/);
    await download.cancel();
    await expectNothingRan();
  });
});
