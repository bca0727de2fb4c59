/**
 * The viewer's request list on a big bin, in Debian's Chromium against the real server: how long the bin page takes
 * to show its first rows, how many elements the page holds and how long the longest frame is while scrolling down
 * through the rows, first the first --rows loaded (the old list loaded them with "Older requests"; the virtualised one
 * loads them as it scrolls), then, where the list loads by itself, all the way down to the oldest request.
 * Usage: node --import tsx bench/viewer-list.ts [--requests 30000] [--rows 2000] [--step 400] [--explain]
 * --explain prints the longest animation frame's scripts as Chromium attributes them.
 * --step: pixels scrolled per animation frame (a fast fling). Builds nothing: run `npm run build` (or a browser test,
 * whose setup builds the viewer) after changing web/.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { seedBin } from '../test/e2e/seed';
import { option } from './process';

const explain = process.argv.includes('--explain');

const requests = option('requests', 30_000);
const rows = option('rows', 2_000);
const step = option('step', 400);
const ROOT = resolve(import.meta.dirname, '..');

function startServer(db: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts', '--port', '0', '--db', db, '--max-requests', '1000000'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const match = /hooklens listening on (http:\/\/\S+)/.exec(out);
      if (match) resolvePromise({ url: match[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

/** How many rows the list has loaded: its data-loaded attribute, or (the old list) the rows in the page. */
function loaded(page: Page): Promise<number> {
  return page.evaluate(() => {
    const list = document.querySelector('[data-testid=request-list]');
    const attribute = list?.getAttribute('data-loaded');
    return attribute ? Number(attribute) : document.querySelectorAll('[data-testid=request-item]').length;
  });
}

interface Scroll {
  frames: number;
  longestFrameMs: number;
  longestLoafMs: number;
  /** The longest stretch of a long animation frame that blocked input (its tasks past 50 ms each). */
  longestBlockingMs: number;
  maxElements: number;
  maxRows: number;
  ms: number;
  reachedOldest: boolean;
}

/**
 * Scrolls the list's scrolling box down `step` px per animation frame until it has scrolled past `rowLimit` rows'
 * worth of pixels (the page's own row height) or, with `toOldest`, until it is at the bottom with nothing more to load;
 * measures frames with requestAnimationFrame and the long-animation-frame observer.
 */
function scrollDown(page: Page, stepPx: number, rowLimit: number, toOldest: boolean): Promise<Scroll> {
  return page.evaluate(
    ([stepPx, rowLimit, toOldest]) =>
      new Promise<Scroll>((done) => {
        const first = document.querySelector('[data-testid=request-item]');
        let box: HTMLElement | null = first?.parentElement ?? null;
        while (box && !(box.scrollHeight > box.clientHeight && /auto|scroll/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
        if (!box || !first) throw new Error('no scrolling list');
        const scroller = box;
        const rowHeight = first.getBoundingClientRect().height;
        const loafs: number[] = [];
        let blocking = 0;
        let worst: unknown = null;
        const observer = new PerformanceObserver((list) =>
          list.getEntries().forEach((entry) => {
            if (entry.duration > Math.max(0, ...loafs)) worst = entry.toJSON();
            loafs.push(entry.duration);
            blocking = Math.max(blocking, (entry as PerformanceEntry & { blockingDuration: number }).blockingDuration);
          }),
        );
        observer.observe({ type: 'long-animation-frame' });
        const list = document.querySelector('[data-testid=request-list]');
        const start = performance.now();
        const startTop = scroller.scrollTop;
        let last = start;
        let longest = 0;
        let frames = 0;
        let maxElements = document.querySelectorAll('*').length;
        let maxRows = document.querySelectorAll('[data-testid=request-item]').length;
        let stuck = 0;
        const tick = (now: number) => {
          frames += 1;
          longest = Math.max(longest, now - last);
          last = now;
          if (frames % 5 === 0) {
            maxElements = Math.max(maxElements, document.querySelectorAll('*').length);
            maxRows = Math.max(maxRows, document.querySelectorAll('[data-testid=request-item]').length);
          }
          const before = scroller.scrollTop;
          scroller.scrollTop = before + stepPx;
          const atBottom = scroller.scrollTop === before;
          stuck = atBottom ? stuck + 1 : 0;
          const rowsScrolled = (scroller.scrollTop - startTop) / rowHeight;
          const noMore = list?.getAttribute('data-has-more') === 'false' || document.querySelector('[data-testid=load-older]') === null;
          const finished = toOldest ? atBottom && noMore && stuck > 3 : rowsScrolled >= rowLimit || stuck > 120;
          if (finished || now - start > 300_000) {
            observer.disconnect();
            done({
              frames, longestFrameMs: Math.round(longest), longestLoafMs: Math.round(Math.max(0, ...loafs)), longestBlockingMs: Math.round(blocking),
              maxElements, maxRows,
              ms: Math.round(now - start), reachedOldest: atBottom && noMore,
            });
            if (worst !== null && location.search.includes('explain')) console.log(JSON.stringify(worst));
            return;
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(tick);
        });
      }),
    [stepPx, rowLimit, toOldest] as const,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'hooklens-bench-list-'));
const db = join(dir, 'hooklens.db');
const seededAt = performance.now();
await seedBin(db, 'big', requests);
console.log(`seeded ${requests} requests in ${Math.round(performance.now() - seededAt)} ms`);
const server = await startServer(db);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // tsx (esbuild's keepNames) wraps the named functions of page.evaluate callbacks in __name(): give the page one.
  await page.addInitScript(() => Reflect.set(globalThis, '__name', (target: unknown) => target));
  // Every long animation frame of the page, for the phases that do not scroll (loading older pages, live arrivals).
  await page.addInitScript(() => {
    const loafs: { start: number; duration: number; blocking: number }[] = [];
    Reflect.set(globalThis, '__loafs', loafs);
    new PerformanceObserver((list) =>
      list.getEntries().forEach((entry) =>
        loafs.push({ start: entry.startTime, duration: entry.duration, blocking: (entry as PerformanceEntry & { blockingDuration: number }).blockingDuration }),
      ),
    ).observe({ type: 'long-animation-frame', buffered: true });
  });
  const now = () => page.evaluate(() => performance.now());
  /** "N ms (M ms blocking)": the longest animation frame since `since`, and the longest blocking stretch. */
  const longestSince = (since: number) =>
    page.evaluate((from) => {
      const loafs = (Reflect.get(globalThis, '__loafs') as { start: number; duration: number; blocking: number }[]).filter((loaf) => loaf.start >= from);
      return `${Math.round(Math.max(0, ...loafs.map((loaf) => loaf.duration)))} ms (${Math.round(Math.max(0, ...loafs.map((loaf) => loaf.blocking)))} ms blocking)`;
    }, since);
  const openedAt = performance.now();
  if (explain) page.on('console', (message) => console.log(`page: ${message.text()}`));
  await page.goto(`${server.url}/bins/big${explain ? '?explain' : ''}`);
  await page.waitForSelector('[data-testid=request-item]');
  const openMs = Math.round(performance.now() - openedAt);
  await page.waitForSelector('[data-testid=bin-capture-url]');
  await page.waitForTimeout(500);
  const visible = await page.evaluate(() => {
    const items = Array.from(document.querySelectorAll('[data-testid=request-item]'));
    return items.filter((item) => {
      const box = item.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= innerHeight;
    }).length;
  });
  console.log(`open: first rows after ${openMs} ms; ${visible} rows fully visible at 1400×900`);

  // Load --rows rows: with the button where there is one, else by scrolling to the bottom.
  const loadStart = performance.now();
  const loadMark = await now();
  let clicks = 0;
  while ((await loaded(page)) < rows) {
    const before = await loaded(page);
    const button = page.locator('[data-testid=load-older]');
    if ((await button.count()) > 0) {
      await button.click();
      clicks += 1;
    } else {
      await page.evaluate(() => {
        const list = document.querySelector('[data-testid=request-scroller]') ?? document.querySelector('.requests-column');
        if (list) list.scrollTop = list.scrollHeight;
      });
    }
    const deadline = Date.now() + 30_000;
    while ((await loaded(page)) === before && Date.now() < deadline) await page.waitForTimeout(20);
    if ((await loaded(page)) === before) break;
  }
  await page.evaluate(() => {
    const list = document.querySelector('[data-testid=request-scroller]') ?? document.querySelector('.requests-column');
    if (list) list.scrollTop = 0;
  });
  const loadedRows = await loaded(page);
  console.log(`loaded ${loadedRows} rows in ${Math.round(performance.now() - loadStart)} ms${clicks > 0 ? ` (${clicks} clicks on "Older requests")` : ''}; longest animation frame meanwhile ${await longestSince(loadMark)}`);
  const elements = await page.evaluate(() => document.querySelectorAll('*').length);
  console.log(`elements with ${loadedRows} rows loaded, at the top: ${elements}`);

  const first = await scrollDown(page, step, Math.min(rows, loadedRows) - 40, false);
  console.log(`scrolling ${rows} rows down at ${step} px/frame: ${JSON.stringify(first)}`);

  // Live arrivals while --rows rows are loaded: 100 captures, 10 at a time.
  const liveMark = await now();
  const sent = Array.from({ length: 100 }, (_, n) => n);
  const sendOne = async (): Promise<void> => {
    for (let n = sent.shift(); n !== undefined; n = sent.shift()) {
      const answer = await fetch(`${server.url}/b/big/live/${n}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
      await answer.text();
    }
  };
  await Promise.all(Array.from({ length: 10 }, sendOne));
  await page.waitForFunction(() => document.querySelector('[data-testid=request-item] [data-testid=request-path]')?.textContent === '/live/99' ||
    Array.from(document.querySelectorAll('[data-testid=request-path]')).some((path) => path.textContent === '/live/99'), undefined, { timeout: 30_000 }).catch(() => undefined);
  await page.waitForTimeout(500);
  console.log(`100 live arrivals with ${await loaded(page)} rows loaded: longest animation frame ${await longestSince(liveMark)}`);

  const hasAttribute = await page.evaluate(() => document.querySelector('[data-testid=request-list]')?.hasAttribute('data-has-more') ?? false);
  if (hasAttribute) {
    const all = await scrollDown(page, step, Number.MAX_SAFE_INTEGER, true);
    console.log(`scrolling on to the oldest of ${requests} (loading as it goes): ${JSON.stringify(all)}; loaded ${await loaded(page)}`);
  }
} finally {
  await browser.close();
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}
