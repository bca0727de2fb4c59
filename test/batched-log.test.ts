import { describe, expect, it } from 'vitest';
import { batchedLog } from '../server/capture/log-line';

describe('batchedLog', () => {
  it('writes the lines of one turn together, in order, and the next turn separately', async () => {
    const writes: string[] = [];
    const log = batchedLog((text) => writes.push(text));
    log('#1 POST /b/a → 200');
    log('#2 POST /b/a → 200');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    log('#3 POST /b/a → 413');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['#1 POST /b/a → 200\n#2 POST /b/a → 200\n', '#3 POST /b/a → 413\n']);
  });
});
