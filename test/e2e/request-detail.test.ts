import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createBinOverApi, sendCapture, useViewer } from './harness';

const viewer = useViewer({ maxBody: '1kb', bins: [['detail', 'Detail']] });

async function openRequest(id: number): Promise<Page> {
  const page = await viewer.newPage();
  await page.goto(`${viewer.server.url}/bins/detail/requests/${id}`);
  await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"]`);
  return page;
}

/** The request's meta table as [name, value] rows. */
function metaRows(page: Page): Promise<[string, string][]> {
  return page.$$eval('[data-testid=request-meta] tr', (rows) => rows.map((row): [string, string] => [row.querySelector('th')?.textContent ?? '', row.querySelector('td')?.textContent ?? '']));
}

describe('the request detail, body', () => {
  it('says why a body labelled JSON has no pretty view, and still shows its text', async () => {
    const id = await sendCapture(`${viewer.server.url}/b/detail/bad-json`, { body: '{"order": 42,}', headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    const page = await openRequest(id);
    const note = await page.textContent('[data-testid=body-not-json]');
    expect(note).toMatch(/^not valid JSON: \S/);
    expect(await page.locator('[data-testid=body-tab-pretty]').count()).toBe(0);
    expect(await page.textContent('[data-testid=body-content][data-mode=text]')).toBe('{"order": 42,}');
  });

  it('says nothing about JSON for valid JSON, nor for a body not labelled JSON', async () => {
    const valid = await sendCapture(`${viewer.server.url}/b/detail/good-json`, { body: '{"a":1}', headers: { 'Content-Type': 'application/vnd.api+json' } });
    let page = await openRequest(valid);
    await page.waitForSelector('[data-testid=body-content][data-mode=pretty]');
    expect(await page.locator('[data-testid=body-not-json]').count()).toBe(0);

    const text = await sendCapture(`${viewer.server.url}/b/detail/plain`, { body: '{not json', headers: { 'Content-Type': 'text/plain' } });
    page = await openRequest(text);
    await page.waitForSelector('[data-testid=body-content][data-mode=text]');
    expect(await page.locator('[data-testid=body-not-json]').count()).toBe(0);
  });

  it('decodes a body that is not UTF-8 with the charset its Content-Type names, and keeps the hex view', async () => {
    const latin1 = await sendCapture(`${viewer.server.url}/b/detail/latin1`, {
      body: Uint8Array.from(Buffer.from('Grüße, café', 'latin1')),
      headers: { 'Content-Type': 'text/plain; charset="ISO-8859-1"' },
    });
    let page = await openRequest(latin1);
    expect(await page.locator('[data-testid=body-tab-text]').count()).toBe(0);
    expect(await page.textContent('[data-testid=body-tab-decoded]')).toContain('decoded as ISO-8859-1');
    expect(await page.textContent('[data-testid=body-content][data-mode=decoded]')).toBe('Grüße, café');
    await page.click('[data-testid=body-tab-hex]');
    expect(await page.textContent('[data-testid=body-content][data-mode=hex]')).toContain('47 72 fc df 65');

    // 日本 in Shift_JIS: 93 fa 96 7b, not valid UTF-8.
    const sjis = await sendCapture(`${viewer.server.url}/b/detail/sjis`, { body: Uint8Array.from([0x93, 0xfa, 0x96, 0x7b]), headers: { 'Content-Type': 'text/plain;charset=shift_jis' } });
    page = await openRequest(sjis);
    expect(await page.textContent('[data-testid=body-tab-decoded]')).toContain('decoded as shift_jis');
    expect(await page.textContent('[data-testid=body-content][data-mode=decoded]')).toBe('日本');
  });

  it('offers only hex for a body that is not UTF-8 and names no charset the browser knows', async () => {
    const id = await sendCapture(`${viewer.server.url}/b/detail/unknown-charset`, { body: Uint8Array.from([0xff, 0xfe, 0x00, 0x80]), headers: { 'Content-Type': 'text/plain; charset=x-made-up' } });
    const page = await openRequest(id);
    await page.waitForSelector('[data-testid=body-content][data-mode=hex]');
    expect(await page.locator('[data-testid=body-tab-decoded]').count()).toBe(0);
  });

  it('says the body hash of a truncated body is of the stored bytes only', async () => {
    const answer = await fetch(`${viewer.server.url}/b/detail/too-large`, { method: 'POST', body: 'x'.repeat(3000) });
    expect(answer.status).toBe(413);
    const { id } = (await answer.json()) as { id: number };
    const page = await openRequest(id);
    const names = (await metaRows(page)).map(([name]) => name);
    expect(names).toContain('Body SHA-256 (of the 1024 stored bytes)');

    const whole = await sendCapture(`${viewer.server.url}/b/detail/small`, { body: 'small' });
    const wholePage = await openRequest(whole);
    expect((await metaRows(wholePage)).map(([name]) => name)).toContain('Body SHA-256');
  });
});

describe('the request detail, wording', () => {
  it('says a request id was never captured in this bin rather than that it was deleted', async () => {
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/detail/requests/987654`);
    expect(await page.textContent('[data-testid=request-gone]')).toBe('No request 987654 in this bin (deleted, or never captured here).');
  });

  it('shows the decoder’s detail names with a capital letter', async () => {
    const basic = Buffer.from('jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv', 'utf8').toString('base64');
    const id = await sendCapture(`${viewer.server.url}/b/detail/zendesk`, { body: '{}', headers: { 'Content-Type': 'application/json', Authorization: `Basic ${basic}` } });
    const page = await openRequest(id);
    const names = await page.$$eval('[data-testid=credential] th', (cells) => cells.map((cell) => cell.textContent));
    expect(names).toContain('Access');
    expect(names).not.toContain('access');
  });
});

describe('the request detail, layout', () => {
  it('shows a JWT secret with a few dots and its length, and Reveal and Copy the same size', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const jwt = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: '1234567890', scope: 'read:tickets write:tickets read:users write:users' })}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`;
    const id = await sendCapture(`${viewer.server.url}/b/detail/jwt`, { body: '{}', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}` } });
    const page = await openRequest(id);
    const secret = page.locator('[data-testid=credential][data-kind=jwt] [data-testid=secret]');
    expect(await secret.locator('[data-testid=secret-value]').textContent()).toBe(`${jwt.slice(0, 4)}••••••••…${jwt.slice(-4)}`);
    expect(await secret.textContent()).toContain(`(${jwt.length} characters)`);
    const [reveal, copy] = await Promise.all([secret.locator('[data-testid=reveal-secret]').boundingBox(), secret.locator('[data-testid=copy-secret]').boundingBox()]);
    if (!reveal || !copy) throw new Error('Reveal or Copy is not laid out');
    expect(reveal.height).toBe(copy.height);
    expect(reveal.y).toBe(copy.y);
    await secret.locator('[data-testid=reveal-secret]').click();
    await expect.poll(() => secret.locator('[data-testid=secret-value]').textContent()).toBe(jwt);
  });

  it('breaks the capture URL in the bin header before the bin id, never inside it, and copies it whole', async () => {
    const id = 'k3Jd9sLq0PzX7vBn2MwYt5RcHa8Ue4Gi';
    await createBinOverApi(viewer.server, id, 'Long id');
    const page = await viewer.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${viewer.server.url}/bins/${id}`);
    const url = page.locator('[data-testid=bin-capture-url]');
    await url.waitFor();
    expect(await url.textContent()).toBe(`${viewer.server.url}/b/${id}`);
    const idLines = await url.evaluate((element, binId) => {
      const range = document.createRange();
      const text = Array.from(element.querySelectorAll('span')).find((span) => span.textContent === binId)?.firstChild;
      if (!text) return -1;
      range.selectNodeContents(text);
      return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
    }, id);
    expect(idLines).toBe(1);
  });
});

