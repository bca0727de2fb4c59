import { beforeAll, describe, expect, it } from 'vitest';
import { sendRaw, useViewer } from './harness';

/** Credentials in the path, the user-info and after a ";" in the query are masked in the viewer until revealed. */
const PATH_TOKEN = 'ghp_ViewerPathTok3nQ7w8E9r0T1y2U3i4O5p6';
const QUERY_TOKEN = 'semiViewerTokA1b2C3d4';
const PASSWORD = 'viewerUserInfoPw9x8';
const viewer = useViewer({ bins: [['target', 'Target']] });
let id: number;

beforeAll(async () => {
  const port = viewer.server.port;
  id = await sendRaw(port, [`POST http://admin:${PASSWORD}@127.0.0.1:${port}/b/target/hooks/${PATH_TOKEN}?a=1;token=${QUERY_TOKEN} HTTP/1.1`, `Host: 127.0.0.1:${port}`].join('\r\n'), '{}');
});

describe('credentials in the request-target', () => {
  it('are masked in the request line until revealed, and in the list row', async () => {
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/target/requests/${id}`);
    const line = page.locator('[data-testid=request-line]');
    await line.waitFor();
    const masked = await line.innerText();
    for (const secret of [PATH_TOKEN.slice(4), QUERY_TOKEN, PASSWORD]) expect(masked).not.toContain(secret);
    expect(masked).toContain('/hooks/ghp_');
    expect(masked).toContain(';token=');
    const row = page.locator(`[data-testid=request-item][data-request-id="${id}"] [data-testid=request-path]`);
    expect(await row.innerText()).not.toContain(PATH_TOKEN.slice(4));

    await line.locator('[data-testid=target-reveal]').click();
    const revealed = await line.innerText();
    expect(revealed).toContain(PATH_TOKEN);
    expect(revealed).toContain(PASSWORD);
  });
});
