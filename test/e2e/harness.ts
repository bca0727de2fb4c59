/**
 * What the browser tests share: the real server as a child process (started on port 0, stopped with SIGTERM,
 * restarted on the same port and database), Debian's Chromium through playwright-core, `useViewer()` that gives a
 * test file one of each and closes its pages after each test, and ways to send captures (fetch, or a raw socket for
 * what fetch cannot send, such as duplicate headers in a chosen case).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { seedBin } from './seed';

const ROOT = resolve(import.meta.dirname, '..', '..');
const LISTENING = /hooklens listening on (http:\/\/\S+)/;

/** Options for a test server. */
export interface ServerOptions {
  /** `--token`: the viewer, API and live stream then need it. */
  token?: string;
  /** `--host`; default 127.0.0.1. */
  host?: string;
  /** `--max-body`, e.g. `1kb`; default the server's. */
  maxBody?: string;
  /** `--max-requests`: how many requests a bin keeps; default the server's (10000). */
  maxRequests?: number;
}

/** A running (or stopped) hooklens server owned by one test file. */
export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (stable across restarts). */
  readonly url: string;
  readonly port: number;
  /** The SQLite file it runs on (stable across restarts). */
  readonly db: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  /** SIGTERM, then resolves once the process has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and database; resolves when it prints its listening line. */
  start(): Promise<void>;
  /** Stops it (when running) and removes its database folder. */
  dispose(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  url: string;
}

function launch(args: string[], log: string[]): Promise<Running> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    let settled = false;
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => log.push(chunk));
    child.stdout?.on('data', (chunk: string) => {
      log.push(chunk);
      buffered += chunk;
      const match = LISTENING.exec(buffered);
      if (match && !settled) {
        settled = true;
        resolvePromise({ child, url: match[1] });
      }
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      reject(new Error(`hooklens exited (${code ?? signal}) before listening:\n${log.join('')}`));
    });
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => child.once('exit', () => resolvePromise()));
}

/** Starts `server/index.ts --port 0 --db <tmp>/hooklens.db` and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'hooklens-e2e-'));
  const db = join(dir, 'hooklens.db');
  const log: string[] = [];
  const extra = [
    ...(options.token ? ['--token', options.token] : []),
    ...(options.host ? ['--host', options.host] : []),
    ...(options.maxBody ? ['--max-body', options.maxBody] : []),
    ...(options.maxRequests ? ['--max-requests', String(options.maxRequests)] : []),
  ];
  let running: Running | null = await launch(['--port', '0', '--db', db, ...extra], log);
  const url = running.url;
  const port = Number(new URL(url).port);

  const stop = async () => {
    if (running === null) return;
    const { child } = running;
    running = null;
    const done = exited(child);
    child.kill('SIGTERM');
    await done;
  };

  return {
    url,
    port,
    db,
    output: () => log.join(''),
    stop,
    start: async () => {
      if (running !== null) return;
      running = await launch(['--port', String(port), '--db', db, ...extra], log);
    },
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with nothing that reaches the network on its own. Never downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Creates a bin through the API (for tests where creating it in the viewer is not the point). */
export async function createBinOverApi(server: TestServer, id: string, name = id, token?: string): Promise<{ id: string; captureUrl: string }> {
  const response = await fetch(`${server.url}/api/bins`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ id, name }),
  });
  if (response.status !== 201) throw new Error(`POST /api/bins answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string; captureUrl: string };
}

/** Options for {@link useViewer}: the server's, and bins to create before the first test. */
export interface ViewerOptions extends ServerOptions {
  /** Bins created over the API (with the server's token, if any) once the server listens, in order. */
  bins?: [id: string, name: string][];
}

/** One test file's server and browser, and pages that last one test. */
export interface Viewer {
  /** The file's server; throws when read before the file's `beforeAll` has started it. */
  readonly server: TestServer;
  /** The file's browser; throws when read before the file's `beforeAll` has launched it. */
  readonly browser: Browser;
  /**
   * Opens a page in a browser context of its own (as `Browser.newPage()` does), with `options`; the context, and
   * so every page in it, is closed after the current test.
   */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Registers the vitest hooks of a browser test file and returns what they set up: `beforeAll` starts one server
 * (with `options`) and one browser, then creates `options.bins`; `afterEach` closes the pages the test opened with
 * `newPage()`; `afterAll` closes the browser, then disposes of the server. Call it once, at the top of the file;
 * hooks the file registers after it run after its `beforeAll`, so they can use the server and its bins.
 */
export function useViewer(options: ViewerOptions = {}): Viewer {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(options), launchBrowser()]);
    for (const [id, name] of options.bins ?? []) await createBinOverApi(server, id, name, options.token);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useViewer: the ${what} starts in beforeAll; read it in a hook or a test`);
    return value;
  };

  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async newPage(contextOptions) {
      const context = await started(browser, 'browser').newContext(contextOptions);
      contexts.push(context);
      return context.newPage();
    },
  };
}

/** The stored request id of a capture's 2xx answer ({"ok":true,"id":N}). */
async function capturedId(response: Response): Promise<number> {
  const text = await response.text();
  if (!response.ok) throw new Error(`capture answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { id: number }).id;
}

/** Sends a request to a capture URL with fetch; resolves with the stored request id. */
export async function sendCapture(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {}): Promise<number> {
  return capturedId(await fetch(url, { method: init.method ?? 'POST', headers: init.headers, body: init.body as BodyInit | undefined }));
}

/**
 * Writes `head` (request line and header lines, CRLF-separated, without the blank line) and `body` on a raw TCP
 * socket, exactly as given: header case and duplicates survive. Resolves with the stored request id.
 */
export function sendRaw(port: number, head: string, body = ''): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      answer += chunk;
      const split = answer.indexOf('\r\n\r\n');
      const match = /\r\ncontent-length:\s*(\d+)/i.exec(answer);
      if (split === -1 || !match) return;
      const responseBody = answer.slice(split + 4);
      if (Buffer.byteLength(responseBody) < Number(match[1])) return;
      socket.end();
      const status = Number(answer.slice(9, 12));
      if (status < 200 || status > 299) reject(new Error(`raw capture answered ${status}: ${responseBody}`));
      else resolvePromise((JSON.parse(responseBody) as { id: number }).id);
    });
    const bytes = Buffer.from(body, 'utf8');
    socket.write(`${head}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`);
    socket.write(bytes);
  });
}

/** What the page did that it must not: dialogs opened, console output, page errors. */
export interface PageProbe {
  dialogs: string[];
  console: string[];
  errors: string[];
}

/** Records every dialog (and dismisses it), console message and uncaught error of `page`. */
export function probePage(page: Page): PageProbe {
  const probe: PageProbe = { dialogs: [], console: [], errors: [] };
  page.on('dialog', (dialog) => {
    probe.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('console', (message) => probe.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => probe.errors.push(error.message));
  return probe;
}

/**
 * Stores `count` requests in `binId` (created when missing) straight through the store, for tests that need a big
 * bin: stops the server, writes its SQLite file (see ./seed), starts it again. Resolves with the ids, oldest first.
 * Start the server with `maxRequests` above `count`, or its next capture trims the bin.
 */
export async function seedRequests(server: TestServer, binId: string, count: number): Promise<number[]> {
  await server.stop();
  try {
    return await seedBin(server.db, binId, count);
  } finally {
    await server.start();
  }
}

/** A row of the request list as a person sees it. */
export interface ListedRow {
  id: number;
  path: string;
}

/**
 * Reads a bin page's whole request list top to bottom as it is laid out, scrolling its virtualised scroller one
 * screen at a time (older pages load as it goes) until the list has nothing more to load. Rows come in on-screen
 * order, each once per position: a duplicate or misplaced row would show in the order.
 */
export async function readList(page: Page): Promise<ListedRow[]> {
  const byOffset = new Map<number, ListedRow>();
  for (let screens = 0; screens < 10_000; screens++) {
    const seen = await page.evaluate(() => {
      const scroller = document.querySelector<HTMLElement>('[data-testid=request-scroller]');
      const list = document.querySelector('[data-testid=request-list]');
      if (!scroller || !list) throw new Error('no request list on the page');
      const top = list.getBoundingClientRect().top;
      const rows = Array.from(list.querySelectorAll<HTMLElement>('[data-testid=request-item]'), (item) => ({
        offset: Math.round(item.getBoundingClientRect().top - top),
        id: Number(item.dataset.requestId),
        path: item.querySelector('[data-testid=request-path]')?.textContent ?? '',
      }));
      const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1;
      const done = atEnd && list.getAttribute('data-has-more') === 'false';
      scroller.scrollTop += scroller.clientHeight;
      return { rows, done };
    });
    for (const row of seen.rows) byOffset.set(row.offset, { id: row.id, path: row.path });
    if (seen.done) break;
    // Rows render on the next frame after a scroll, pages load over the network: wait for either.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.waitForFunction(() => document.querySelector('[data-testid=request-list]')?.getAttribute('data-loading') !== 'true');
  }
  return [...byOffset.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}
