import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../../shared/types';
import { useViewer } from './harness';

/** Trailer fields after a chunked body: stored as received, shown after the headers, a credential among them masked. */
const SECRET = 'trailer-token-5f1c9e27ab';
const viewer = useViewer({ bins: [['chunked', 'Chunked']] });
let id: number;

/** A chunked POST with two trailer fields, on a raw socket; resolves with the stored id. */
function sendChunked(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const match = /"id":(\d+)/.exec(answer);
      if (answer.startsWith('HTTP/1.1 200') && match) resolve(Number(match[1]));
      else reject(new Error(`capture answered: ${answer}`));
    });
    socket.end([
      'POST /b/chunked/upload HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Transfer-Encoding: chunked', 'Trailer: X-Checksum, Authorization',
      'Connection: close', '', '5', 'hello', '6', ' world', '0', 'X-Checksum: sha1=2aae6c35', `Authorization: Bearer ${SECRET}`, '', '',
    ].join('\r\n'));
  });
}

beforeAll(async () => {
  id = await sendChunked(viewer.server.port);
});

describe('chunked trailers', () => {
  it('are stored as received and returned by the API, after a body read whole', async () => {
    const request = await (await fetch(`${viewer.server.url}/api/bins/chunked/requests/${id}`)).json() as CapturedRequest;
    expect(request.body.text).toBe('hello world');
    expect(request.trailers).toEqual([['X-Checksum', 'sha1=2aae6c35'], ['Authorization', `Bearer ${SECRET}`]]);
    const plain = await (await fetch(`${viewer.server.url}/api/bins/chunked/requests`)).json() as { requests: { id: number }[] };
    expect(plain.requests.map((r) => r.id)).toContain(id);
  });

  it('are shown after the headers, the credential masked until its row is revealed', async () => {
    const page = await viewer.newPage();
    await page.goto(`${viewer.server.url}/bins/chunked/requests/${id}`);
    const trailers = page.locator('[data-testid=trailers]');
    await trailers.waitFor();
    expect(await trailers.locator('h3').innerText()).toBe('Trailers (2)');
    const rows = trailers.locator('[data-testid=header-row]');
    expect(await rows.nth(0).innerText()).toContain('sha1=2aae6c35');
    expect(await trailers.innerText()).not.toContain(SECRET);
    await rows.nth(1).locator('[data-testid=header-reveal]').click();
    expect(await rows.nth(1).innerText()).toContain(SECRET);
  });
});
