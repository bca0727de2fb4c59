/**
 * Export from the viewer (contract.md "Export"): Copy as cURL puts the server's command on the clipboard, Copy as
 * Python requests a snippet with the request's method, URL, headers and body, Copy raw HTTP the raw message; the
 * bin's Download HAR link, and the picked rows' one with `?ids=`.
 */
import { describe, expect, it } from 'vitest';
import { sendCapture, useViewer } from './harness';

const viewer = useViewer({ bins: [['exports', 'Exports']] });

describe('export buttons', () => {
  it('copies the server’s cURL command, a Python requests snippet and the raw request', async () => {
    const id = await sendCapture(`${viewer.server.url}/b/exports/hooks/order?x=1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-foo': 'bar' },
      body: '{"n":1}',
    });
    const page = await viewer.newPage({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`${viewer.server.url}/bins/exports/requests/${id}`);
    await page.getByTestId('request-detail').waitFor();
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

    await page.getByTestId('copy-curl').click();
    await expect.poll(() => page.getByTestId('copy-curl').textContent()).toBe('Copied');
    const curl = await (await fetch(`${viewer.server.url}/api/bins/exports/requests/${id}/curl`)).text();
    expect(curl).toContain('curl');
    expect(await clipboard()).toBe(curl);

    await page.getByTestId('copy-python').click();
    await expect.poll(() => page.getByTestId('copy-python').textContent()).toBe('Copied');
    const python = await clipboard();
    expect(python).toContain('import requests');
    expect(python).toContain('"PUT"');
    expect(python).toContain('/b/exports/hooks/order?x=1"');
    expect(python).toContain('("x-foo", "bar")');
    expect(python).toContain('data=b"{\\"n\\":1}"');

    await page.getByTestId('copy-raw').click();
    await expect.poll(() => page.getByTestId('copy-raw').textContent()).toBe('Copied');
    const raw = await (await fetch(`${viewer.server.url}/api/bins/exports/requests/${id}/raw`)).text();
    expect(await clipboard()).toBe(raw);
  });

  it('links Download HAR to the bin’s HAR, and the picked rows’ to ?ids=', async () => {
    const first = await sendCapture(`${viewer.server.url}/b/exports/one`, { body: 'a' });
    const second = await sendCapture(`${viewer.server.url}/b/exports/two`, { body: 'b' });
    const page = await viewer.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${viewer.server.url}/bins/exports`);
    await page.getByTestId('request-item').first().waitFor();
    expect(await page.getByTestId('har-link').getAttribute('href')).toBe('/api/bins/exports/har');

    for (const id of [first, second]) {
      await page.locator(`[data-testid=request-item][data-request-id="${id}"] [data-testid=compare-toggle]`).click();
    }
    expect(await page.getByTestId('har-picked').getAttribute('href')).toBe(`/api/bins/exports/har?ids=${first},${second}`);
    const har = await fetch(new URL(`/api/bins/exports/har?ids=${first},${second}`, viewer.server.url));
    expect(har.status).toBe(200);
    expect(((await har.json()) as { log: { entries: unknown[] } }).log.entries).toHaveLength(2);
  });
});
