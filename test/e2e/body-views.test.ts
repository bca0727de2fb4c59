import { request } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { probePage, useViewer } from './harness';
import type { PageProbe } from './harness';

const viewer = useViewer({ bins: [['bodies', 'Bodies']] });

const HOSTILE_NAME = '<img src=x onerror=alert(1)>.txt';
const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAYAAAC56t6BAAAAEklEQVR4nGP4z8DwHwyBNIQBAJ7TCfeQ3WGIAAAAAElFTkSuQmCC', 'base64');

/** Sends a capture with Node's http (bytes exactly as given); resolves with the stored request id. */
function send(path: string, headers: Record<string, string>, body: Buffer | string): Promise<number> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const outgoing = request(`${viewer.server.url}/b/bodies${path}`, { method: 'POST', headers: { ...headers, 'Content-Length': String(bytes.length) } }, (answer) => {
      let text = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => (text += chunk));
      answer.on('end', () => (answer.statusCode === 200 ? resolve((JSON.parse(text) as { id: number }).id) : reject(new Error(`capture answered ${answer.statusCode}: ${text}`))));
    });
    outgoing.on('error', reject);
    outgoing.end(bytes);
  });
}

let page: Page;
let probe: PageProbe;

async function openRequest(id: number, options: Parameters<typeof viewer.newPage>[0] = {}): Promise<void> {
  page = await viewer.newPage(options);
  probe = probePage(page);
  await page.goto(`${viewer.server.url}/bins/bodies/requests/${id}`);
  await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"] [data-testid=body-content]`);
}

/** Nothing captured ran: no flag, no dialog, no page error, no element the sender wrote. */
async function expectNothingRan(): Promise<void> {
  expect(await page.evaluate(() => Reflect.get(window, '__pwned'))).toBeUndefined();
  expect(probe.dialogs).toEqual([]);
  expect(probe.errors).toEqual([]);
  expect(await page.locator('[data-testid=request-detail] svg, [data-testid=request-detail] iframe, script:not([src]), img:not([data-testid=image])').count()).toBe(0);
}

describe('body views', () => {
  it('shows a form as a table of decoded fields, in order', async () => {
    const id = await send('/form', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'name=Ada+Lovelace&note=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E&name=again');
    await openRequest(id);
    await page.waitForSelector('[data-testid=body-content][data-mode=form]');
    const rows = await page.$$eval('[data-testid=form-row]', (items) => items.map((row) => [row.querySelector('th')?.textContent, row.querySelector('td')?.textContent]));
    expect(rows).toEqual([
      ['name', 'Ada Lovelace'],
      ['note', '<script>window.__pwned=1</script>'],
      ['name', 'again'],
    ]);
    await expectNothingRan();
  });

  it('lists multipart parts with names, filenames and sizes, each downloadable byte for byte, the hostile filename as text', async () => {
    const file = Buffer.from([0x00, 0xff, 0x10, 0x0d, 0x0a, 0x2d, 0x2d, 0x41, 0x42]);
    const boundary = '----hooklensBoundary42';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nQuarterly report\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="${HOSTILE_NAME}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const id = await send('/multipart', { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body);
    await openRequest(id, { acceptDownloads: true });
    await page.waitForSelector('[data-testid=body-content][data-mode=parts]');
    const parts = page.locator('[data-testid=part]');
    expect(await parts.count()).toBe(2);
    expect(await parts.nth(0).locator('[data-testid=part-name]').textContent()).toBe('title');
    expect(await parts.nth(0).locator('[data-testid=part-size]').getAttribute('data-bytes')).toBe('16');
    expect(await parts.nth(0).locator('[data-testid=part-text]').textContent()).toBe('Quarterly report');
    expect(await parts.nth(1).locator('[data-testid=part-name]').textContent()).toBe('upload');
    expect(await parts.nth(1).locator('[data-testid=part-filename]').textContent()).toBe(` ${HOSTILE_NAME}`);
    expect(await parts.nth(1).locator('[data-testid=part-size]').getAttribute('data-bytes')).toBe(String(file.length));

    const [download] = await Promise.all([page.waitForEvent('download'), parts.nth(1).locator('[data-testid=part-download]').click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(file)).toBe(true);
    expect(await page.locator('[data-testid=part-download]').nth(1).getAttribute('href')).toMatch(/^blob:/);
    await expectNothingRan();
  });

  it('pretty-prints XML as text, a hostile text node included', async () => {
    const xml = '<?xml version="1.0"?><order id="7"><item sku="A&amp;B">&lt;img src=x onerror=window.__pwned=1&gt;</item><note><![CDATA[<script>window.__pwned=1</script>]]></note></order>';
    const id = await send('/xml', { 'Content-Type': 'application/xml' }, xml);
    await openRequest(id);
    await page.waitForSelector('[data-testid=body-content][data-mode=xml]');
    const text = await page.textContent('[data-testid=body-content]');
    expect(text).toBe(
      [
        '<?xml version="1.0"?>',
        '<order id="7">',
        '  <item sku="A&amp;B">&lt;img src=x onerror=window.__pwned=1&gt;</item>',
        '  <note>',
        '    <![CDATA[<script>window.__pwned=1</script>]]>',
        '  </note>',
        '</order>',
      ].join('\n'),
    );
    await expectNothingRan();
  });

  it('decodes a br body (through the server: browsers do not decode brotli) beside the size received', async () => {
    const json = JSON.stringify({ event: 'order.paid', note: '<img src=x onerror="window.__pwned=1">' });
    const compressed = brotliCompressSync(json);
    const id = await send('/br', { 'Content-Type': 'application/json', 'Content-Encoding': 'br' }, compressed);
    await openRequest(id);
    await page.waitForSelector('[data-testid=body-content][data-mode=decompressed] [data-testid=decompressed-content]');
    const sizes = page.locator('[data-testid=decompressed-sizes]');
    expect(await sizes.getAttribute('data-raw-bytes')).toBe(String(compressed.length));
    expect(await sizes.getAttribute('data-decoded-bytes')).toBe(String(Buffer.byteLength(json)));
    expect(await page.textContent('[data-testid=decompressed-content]')).toContain('"event": "order.paid"');
    await expectNothingRan();
  });

  it('decodes a gzip body beside the size received, and a deflate one', async () => {
    const json = JSON.stringify({ event: 'order.paid', items: Array.from({ length: 20 }, (_, i) => ({ sku: `SKU-${i}` })) });
    const gzipped = gzipSync(json);
    const id = await send('/gzip', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, gzipped);
    await openRequest(id);
    await page.waitForSelector('[data-testid=body-content][data-mode=decompressed] [data-testid=decompressed-content]');
    const sizes = page.locator('[data-testid=decompressed-sizes]');
    expect(await sizes.getAttribute('data-raw-bytes')).toBe(String(gzipped.length));
    expect(await sizes.getAttribute('data-decoded-bytes')).toBe(String(Buffer.byteLength(json)));
    expect(await sizes.textContent()).toContain('received');
    const decoded = await page.textContent('[data-testid=decompressed-content]');
    expect(decoded).toContain('"event": "order.paid"');
    expect(decoded).toContain('"sku": "SKU-19"');
    await page.click('[data-testid=body-tab-hex]');
    expect(await page.textContent('[data-testid=body-content][data-mode=hex]')).toContain('1f 8b');

    const deflated = await send('/deflate', { 'Content-Type': 'text/plain', 'Content-Encoding': 'deflate' }, deflateSync('hello, deflate'));
    await openRequest(deflated);
    await page.waitForSelector('[data-testid=decompressed-content]');
    expect(await page.textContent('[data-testid=decompressed-content]')).toBe('hello, deflate');
  });

  it('previews a PNG from a blob: URL of the body bytes, drawn at its size', async () => {
    const id = await send('/png', { 'Content-Type': 'image/png' }, PNG_1x1);
    await openRequest(id);
    await page.waitForSelector('[data-testid=body-content][data-mode=image]');
    const image = page.locator('[data-testid=image]');
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBe(2);
    expect(await image.evaluate((element: HTMLImageElement) => element.naturalHeight)).toBe(3);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    await expectNothingRan();
  });

  it('shows an SVG as text, never as an image, and nothing in it runs', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><script>window.__pwned=1;alert(1)</script><circle r="4"/></svg>';
    const id = await send('/svg', { 'Content-Type': 'image/svg+xml' }, svg);
    await openRequest(id);
    expect(await page.locator('[data-testid=body-tab-image]').count()).toBe(0);
    await page.waitForSelector('[data-testid=body-content][data-mode=xml]');
    expect(await page.textContent('[data-testid=body-content]')).toContain('<script>window.__pwned=1;alert(1)</script>');
    await page.click('[data-testid=body-tab-text]');
    expect(await page.textContent('[data-testid=body-content][data-mode=text]')).toBe(svg);
    await expectNothingRan();
  });

  it('shows a large JSON document as a collapsible tree, with the pretty text one click away', async () => {
    // A number past 2^53 in each user: the tree shows it as written, not rounded as JSON.parse would.
    const users80 = Array.from({ length: 80 }, (_, i) => `{"id":${i},"name":"user ${i}","big":12345678901234567890}`);
    const text = `{"users":[${users80.join(',')}],"total":80}`;
    const id = await send('/large', { 'Content-Type': 'application/json' }, text);
    await openRequest(id);
    await page.waitForSelector('[data-testid=body-content][data-mode=tree] [data-testid=json-tree]');
    const users = page.locator('[data-testid=json-branch]').filter({ has: page.locator(':scope > summary', { hasText: '"users": [80 items]' }) });
    expect(await users.count()).toBe(1);
    expect(await users.evaluate((element: HTMLDetailsElement) => element.open)).toBe(false);
    expect(await page.locator('[data-testid=json-leaf]').count()).toBe(1); // "total" only
    await users.locator(':scope > summary').click();
    await expect.poll(() => users.locator(':scope > .json-children > [data-testid=json-branch]').count()).toBe(80);
    const first = users.locator(':scope > .json-children > [data-testid=json-branch]').first();
    await first.locator(':scope > summary').click();
    await expect.poll(() => first.innerText()).toContain('"name": "user 0"');
    expect(await first.innerText()).toContain('"big": 12345678901234567890');
    await users.locator(':scope > summary').click();
    await expect.poll(() => users.locator('[data-testid=json-leaf]').count()).toBe(0);
    await page.click('[data-testid=body-tab-pretty]');
    expect(await page.textContent('[data-testid=body-content][data-mode=pretty]')).toContain('"total": 80');
  });

  it('keeps a small JSON document as pretty text', async () => {
    const id = await send('/small', { 'Content-Type': 'application/json' }, '{"a":1}');
    await openRequest(id);
    await page.waitForSelector('[data-testid=body-content][data-mode=pretty]');
    expect(await page.locator('[data-testid=body-tab-tree]').count()).toBe(0);
  });
});
