import { describe, expect, it } from 'vitest';
import { BIN_ID_PATTERN } from '../../shared/bin-id';
import { useViewer } from './harness';

/** contract.md, "Capture": a bin id is 1–64 characters of A-Z a-z 0-9 _ -. */
const VALID = ['a', 'Zendesk_prod-2', 'x'.repeat(64)];
const INVALID = ['x'.repeat(65), 'has space', 'dot.ted', 'ünïcode', 'slash/inside'];

const viewer = useViewer();

describe('the new-bin form', () => {
  it('checks ids with the shared pattern, which is the contract’s', () => {
    for (const id of VALID) expect(BIN_ID_PATTERN.test(id)).toBe(true);
    for (const id of [...INVALID, '']) expect(BIN_ID_PATTERN.test(id)).toBe(false);
  });

  it('refuses an id outside the pattern before asking the server, and creates a bin with a 64-character id', async () => {
    const page = await viewer.newPage();
    await page.goto(viewer.server.url);
    await page.waitForSelector('[data-testid=new-bin-form]');
    for (const id of INVALID) {
      await page.fill('[data-testid=new-bin-id]', id);
      await page.click('[data-testid=new-bin-submit]');
      await expect.poll(() => page.textContent('[data-testid=new-bin-error]')).toContain('1–64 characters');
    }
    const longest = VALID[2];
    await page.fill('[data-testid=new-bin-id]', longest);
    await page.click('[data-testid=new-bin-submit]');
    await page.waitForURL(`${viewer.server.url}/bins/${longest}`);
    expect(await page.locator(`[data-testid=bin-item][data-bin-id="${longest}"]`).count()).toBe(1);
  });
});
