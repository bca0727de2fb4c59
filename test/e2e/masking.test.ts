import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sendCapture, sendRaw, useViewer } from './harness';

/** Query credentials the decoder knows by name, each with a value unique enough to search for. */
const NAMED: [string, string][] = [
  ['refresh_token', 'Rt9refreshValueQ1w2e3r4'],
  ['id_token', 'It9idTokenValueQ1w2e3r4'],
  ['jwt', 'Jw9jwtParamValueQ1w2e3r4'],
  ['bearer', 'Be9bearerValueQ1w2e3r4'],
  ['private_token', 'Pt9privateValueQ1w2e3r4'],
  ['passwd', 'Pw9passwdValueQ1w2e3r4'],
  ['sessionid', 'Si9sessionIdValueQ1w2e3r4'],
  ['session_token', 'St9sessionTokenQ1w2e3r4'],
  ['X-Amz-Security-Token', 'Az9amzSecurityQ1w2e3r4'],
];
/** Values the decoder knows by shape, under names that say nothing. */
const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5F6'.repeat(3)}`;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYXNraW5nIn0.c2lnbmF0dXJlLW9mLWEtand0';

const FIRST = 'first-opaque-token-A1b2C3d4E5f6';
const SECOND = 'second-opaque-token-Z9y8X7w6V5u4';

const viewer = useViewer({ bins: [['masking', 'Masking']] });

/** Everything in one part of the page a person or a script could read: rendered text, text nodes, attributes. */
function texts(target: Page, selector: string): Promise<string[]> {
  return target.locator(selector).evaluate((element: HTMLElement) => [element.innerText, element.textContent ?? '', element.outerHTML]);
}

describe('the request list', () => {
  it('masks every query value the decoder calls a credential, by name or by shape, before any reveal', async () => {
    for (const [name, value] of NAMED) await sendCapture(`${viewer.server.url}/b/masking/named?page=2&${name}=${value}`, { method: 'GET' });
    await sendCapture(`${viewer.server.url}/b/masking/shaped?t=${GITHUB_TOKEN}&x=${JWT}&q=kept`, { method: 'GET' });

    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/masking`);
    await page.locator('[data-testid=request-item]').nth(NAMED.length).waitFor();
    const list = await texts(page, '[data-testid=request-list]');
    for (const text of list) {
      for (const [, value] of NAMED) expect(text).not.toContain(value);
      expect(text).not.toContain(GITHUB_TOKEN);
      expect(text).not.toContain(JWT);
    }
    // The names, and the parameters that are not credentials, stay readable.
    for (const [name] of NAMED) expect(list[0]).toContain(`${name}=`);
    expect(list[0]).toContain('page=2');
    expect(list[0]).toContain('q=kept');
    for (const text of await texts(page, 'body')) expect(text).not.toContain(GITHUB_TOKEN);
  });
});

describe('duplicate Authorization headers', () => {
  it('reveal one row at a time, from the headers table and from each credential card', async () => {
    const id = await sendRaw(
      viewer.server.port,
      ['GET /b/masking/duplicates HTTP/1.1', `Host: 127.0.0.1:${viewer.server.port}`, `Authorization: Bearer ${FIRST}`, `authorization: Bearer ${SECOND}`].join('\r\n'),
    );
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/masking/requests/${id}`);
    await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"] [data-testid=headers-table]`);
    const rows = page.locator('[data-testid=header-row]');
    const row = async (name: string) => {
      const count = await rows.count();
      for (let i = 0; i < count; i++) if ((await rows.nth(i).locator('[data-testid=header-name]').textContent()) === name) return rows.nth(i);
      throw new Error(`no header row ${name}`);
    };
    const first = await row('Authorization');
    const second = await row('authorization');
    const body = () => page.evaluate(() => document.body.innerText);
    expect(await body()).not.toContain(FIRST);
    expect(await body()).not.toContain(SECOND);

    await second.locator('[data-testid=header-reveal]').click();
    await expect.poll(() => second.locator('[data-testid=header-value]').innerText()).toContain(SECOND);
    expect(await first.locator('[data-testid=header-value]').innerText()).not.toContain(FIRST);
    expect(await body()).not.toContain(FIRST);
    await second.locator('[data-testid=header-reveal]').click();
    await expect.poll(body).not.toContain(SECOND);

    await page.locator('[data-testid=credential]').nth(0).locator('[data-testid=reveal-secret]').click();
    await expect.poll(() => page.locator('[data-testid=credential]').nth(0).locator('[data-testid=secret-value]').textContent()).toBe(FIRST);
    expect(await first.locator('[data-testid=header-value]').innerText()).toContain(FIRST);
    expect(await body()).not.toContain(SECOND);
  });
});
