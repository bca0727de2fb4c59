import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { probePage, sendCapture, useViewer } from './harness';

// Replay refuses loopback targets unless --replay-allow lists them; the server inherits this file's environment.
process.env.HOOKLENS_REPLAY_ALLOW = '127.0.0.1';

const viewer = useViewer({
  bins: [
    ['answers', 'Answers'],
    ['refused', 'Refused'],
    ['reset', 'Reset'],
    ['relay', 'Relay'],
    ['replay', 'Replay'],
    ['handshake', 'Handshake'],
  ],
});

/** A hostile answer body: it sets window.__pwned if the viewer ever treats it as markup. */
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Sends a request with node:http (not the browser, not fetch) and resolves with the whole answer. */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const outgoing = request(url, { method: init.method ?? 'POST', headers: init.headers }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

/** PATCHes a bin over the API; resolves with the answer's status. */
async function patchBin(binId: string, patch: object): Promise<number> {
  const response = await fetch(`${viewer.server.url}/api/bins/${binId}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(patch) });
  await response.body?.cancel();
  return response.status;
}

async function getBin(binId: string): Promise<{ response: unknown; relayUrl?: string }> {
  return (await (await fetch(`${viewer.server.url}/api/bins/${binId}`)).json()) as { response: unknown; relayUrl?: string };
}

async function openBin(binId: string, requestId?: number): Promise<Page> {
  const page = await viewer.newPage();
  await page.goto(`${viewer.server.url}/bins/${binId}${requestId === undefined ? '' : `/requests/${requestId}`}`);
  await page.waitForSelector('[data-testid=bin-capture-url]');
  return page;
}

async function openResponsePanel(page: Page): Promise<void> {
  await page.click('[data-testid=open-response]');
  await page.waitForSelector('[data-testid=response-panel]');
}

function row(page: Page, id: number, testId: string) {
  return page.locator(`[data-testid=request-item][data-request-id="${id}"] [data-testid=${testId}]`);
}

describe('the response panel', () => {
  it('sets a preset in one click: the next capture is answered 401 with WWW-Authenticate, and its row says so', async () => {
    const page = await openBin('answers');
    await openResponsePanel(page);
    expect(await page.textContent('[data-testid=response-current]')).toContain('Default: 200 {"ok":true,"id":…}');
    await page.click('[data-testid=response-preset-401-basic]');
    await page.waitForSelector('[data-testid=response-current-status][data-status="401"]');
    expect(await page.textContent('[data-testid=response-current-message]')).toContain('WWW-Authenticate: Basic realm="hooklens"');
    expect(await page.textContent('[data-testid=open-response]')).toBe('Response: 401');

    const answer = await send(`${viewer.server.url}/b/answers/hook`, { headers: { 'Content-Type': 'application/json' }, body: '{"event":"ticket.created"}' });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Basic realm="hooklens"');
    const id = (JSON.parse(answer.body) as { id: number }).id;
    await expect.poll(() => row(page, id, 'request-status').textContent()).toBe('→ 401');
    expect(await row(page, id, 'request-status').getAttribute('class')).toContain('answer-4xx');

    await page.click(`[data-testid=request-item][data-request-id="${id}"] [data-testid=request-link]`);
    await page.waitForSelector(`[data-testid=request-detail][data-request-id="${id}"]`);
    expect(await page.textContent('[data-testid=request-answered]')).toBe('Answered 401');
  });

  it("shows the server's 400 for a header name it refuses, and changes nothing", async () => {
    const page = await openBin('refused');
    await openResponsePanel(page);
    await page.fill('[data-testid=response-status]', '418');
    await page.fill('[data-testid=response-headers]', 'Bad Header: x');
    await page.fill('[data-testid=response-body]', 'teapot');
    await page.click('[data-testid=response-save]');
    const error = await page.waitForSelector('[data-testid=response-error]');
    expect(await error.textContent()).toContain('"response.headers[0]": "Bad Header" is not a header name');
    expect(await page.getAttribute('[data-testid=response-current]', 'data-default')).toBe('true');
    // The form keeps what was typed, to be corrected.
    expect(await page.inputValue('[data-testid=response-headers]')).toBe('Bad Header: x');
    expect((await getBin('refused')).response).toBeNull();
    const answer = await send(`${viewer.server.url}/b/refused`);
    expect(answer.status).toBe(200);
  });

  it('saves a free-form response, then Reset to default answers 200 again', async () => {
    const page = await openBin('reset');
    await openResponsePanel(page);
    await page.fill('[data-testid=response-status]', '202');
    await page.fill('[data-testid=response-headers]', 'X-Queue: jobs\nX-Request: {id}');
    await page.fill('[data-testid=response-body]', 'queued {id}');
    await page.click('[data-testid=response-save]');
    await page.waitForSelector('[data-testid=response-current-status][data-status="202"]');
    const custom = await send(`${viewer.server.url}/b/reset`);
    expect(custom.status).toBe(202);
    expect(custom.headers['x-queue']).toBe('jobs');
    expect(custom.body).toBe(`queued ${String(custom.headers['x-request'])}`);

    await page.click('[data-testid=response-reset]');
    await page.waitForSelector('[data-testid=response-current][data-default=true]');
    expect(await page.textContent('[data-testid=open-response]')).toBe('Response: default');
    const reset = await send(`${viewer.server.url}/b/reset`);
    expect(reset.status).toBe(200);
    expect(JSON.parse(reset.body)).toMatchObject({ ok: true });
  });
});

describe('the relay URL', () => {
  it('is shown with how to use it, and "New relay URL" replaces it after a confirmation', async () => {
    const page = await openBin('relay');
    const before = (await getBin('relay')).relayUrl;
    expect(before).toMatch(/\/relay\/\S+$/);
    await expect.poll(() => page.textContent('[data-testid=bin-relay-url]')).toBe(before);
    const help = await page.textContent('[data-testid=relay-help]');
    expect(help).toContain(`npx smee-client --url ${before} --target http://localhost:3000/…`);
    expect(help).toContain(`npx hooklens forward ${before} --to http://localhost:3000`);

    await page.click('[data-testid=rotate-relay]');
    await page.click('[data-testid=rotate-relay-confirm]');
    await expect.poll(() => page.textContent('[data-testid=bin-relay-url]')).not.toBe(before);
    const after = (await getBin('relay')).relayUrl;
    expect(after).not.toBe(before);
    expect(await page.textContent('[data-testid=bin-relay-url]')).toBe(after);
    expect(await page.textContent('[data-testid=relay-help]')).toContain(`npx hooklens forward ${after} --to`);
  });
});

describe('replay', () => {
  let target: Server;
  let targetUrl: string;
  const received: { method?: string; url?: string; body: string }[] = [];

  beforeAll(async () => {
    target = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(201, { 'Content-Type': 'text/html', 'X-Target': 'local' });
        res.end(HOSTILE);
      });
    });
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/base`;
  });

  afterAll(async () => {
    target.close();
    await once(target, 'close');
  });

  it("sends the capture to a local target and shows its answer, an HTML body as text; the target is offered again", async () => {
    const id = await sendCapture(`${viewer.server.url}/b/replay/hook?x=1`, { headers: { 'Content-Type': 'application/json' }, body: '{"n":1}' });
    const page = await openBin('replay', id);
    const probe = probePage(page);
    await page.fill('[data-testid=replay-url]', targetUrl);
    await page.click('[data-testid=replay-send]');
    await page.waitForSelector('[data-testid=replay-answer]');
    expect(await page.textContent('[data-testid=replay-status]')).toBe('→ 201');
    expect(await page.textContent('[data-testid=replay-headers]')).toContain('local');
    expect(await page.textContent('[data-testid=replay-body]')).toBe(HOSTILE);
    expect(await page.locator('[data-testid=replay] img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(probe.errors).toEqual([]);
    expect(received.at(-1)).toEqual({ method: 'POST', url: '/base/hook?x=1', body: '{"n":1}' });

    // localStorage lives in the browser context: a reload finds the target there.
    await page.reload();
    await page.waitForSelector('[data-testid=replay-url]');
    expect(await page.inputValue('[data-testid=replay-url]')).toBe(targetUrl);
    expect(await page.$$eval('[data-testid=replay] datalist option', (options) => options.map((option) => (option as HTMLOptionElement).value))).toEqual([targetUrl]);
  });

  it("shows the server's message for a refused target and for one that cannot be reached", async () => {
    const id = await sendCapture(`${viewer.server.url}/b/replay/again`, { body: 'x' });
    const page = await openBin('replay', id);
    await page.fill('[data-testid=replay-url]', 'http://10.1.2.3/hook');
    await page.click('[data-testid=replay-send]');
    await expect.poll(() => page.textContent('[data-testid=replay-error]')).toContain('refused: 10.1.2.3');

    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    await page.fill('[data-testid=replay-url]', `http://127.0.0.1:${port}/`);
    await page.click('[data-testid=replay-send]');
    await expect.poll(() => page.textContent('[data-testid=replay-error]')).toBe(`connection refused by 127.0.0.1:${port}: nothing listens there`);
    expect(await page.locator('[data-testid=replay-answer]').count()).toBe(0);
  });
});

describe('endpoint checks and retries in the list', () => {
  it("marks a Slack url_verification as an endpoint check, answered with its challenge whatever the bin's response", async () => {
    expect(await patchBin('handshake', { response: { status: 401 } })).toBe(200);
    const page = await openBin('handshake');
    const answer = await send(`${viewer.server.url}/b/handshake/slack`, {
      headers: { 'Content-Type': 'application/json' },
      body: '{"token":"t","challenge":"abc","type":"url_verification"}',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('abc');
    const mark = page.locator('[data-testid=request-item] [data-testid=request-handshake]');
    await expect.poll(() => mark.textContent()).toBe('Slack endpoint check');
    expect(await page.textContent('[data-testid=request-item] [data-testid=request-status]')).toBe('→ 200');

    await page.click('[data-testid=request-item] [data-testid=request-link]');
    await page.waitForSelector('[data-testid=request-detail] [data-testid=request-handshake]');
    expect(await page.textContent('[data-testid=request-detail] [data-testid=request-handshake]')).toBe('Slack endpoint check');
  });

  it('marks the second delivery of a Zendesk invocation as attempt 2', async () => {
    const headers = { 'Content-Type': 'application/json', 'X-Zendesk-Webhook-Invocation-Id': '8350205582' };
    expect(await patchBin('handshake', { response: null })).toBe(200);
    const first = await sendCapture(`${viewer.server.url}/b/handshake/zendesk`, { headers, body: '{}' });
    const second = await sendCapture(`${viewer.server.url}/b/handshake/zendesk`, { headers, body: '{}' });
    const page = await openBin('handshake', second);
    await expect.poll(() => row(page, second, 'request-attempt').textContent()).toBe('attempt 2');
    expect(await row(page, second, 'request-attempt').getAttribute('title')).toBe('attempt 2 of zendesk invocation 8350205582');
    expect(await row(page, first, 'request-attempt').count()).toBe(0);
    await page.waitForSelector(`[data-testid=request-detail][data-request-id="${second}"]`);
    expect(await page.textContent('[data-testid=request-delivery]')).toBe('Zendesk: attempt 2 of invocation 8350205582');
  });
});
