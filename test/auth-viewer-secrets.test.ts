import { describe, expect, it, vi } from 'vitest';
import { decodeCredentials } from '../shared/auth';
import type { HeaderPair } from '../shared/types';
import type * as Reveal from '../shared/auth/reveal';
import { clearSecret, credentialKey, credentialsByHeaderRow, headerRowKey, shownKeys } from '../web/src/lib/secrets';

// Counts the rescans behind the viewer's reveal: each one decodes the whole request and hashes every secret.
const { revealSpy } = vi.hoisted(() => ({ revealSpy: { calls: 0 } }));
vi.mock('../shared/auth/reveal', async (importOriginal) => {
  const original = await importOriginal<typeof Reveal>();
  return {
    ...original,
    revealSecret: (...args: Parameters<typeof original.revealSecret>) => {
      revealSpy.calls++;
      return original.revealSecret(...args);
    },
  };
});

const FIRST = 'Bearer first-opaque-token-0123456789';
const SECOND = 'Bearer second-opaque-token-9876543210';

function request(headers: HeaderPair[], query = '') {
  return { headers, query, analysis: decodeCredentials({ headers, query, secure: true }) };
}

describe('clearSecret in the viewer', () => {
  it('rescans the request once per credential, however often a field renders', () => {
    const captured = request([['Authorization', FIRST], ['X-API-Key', 'key-0123456789abcdef']]);
    const [bearer, apiKey] = captured.analysis.credentials;
    revealSpy.calls = 0;
    for (let render = 0; render < 5; render++) {
      expect(clearSecret(captured, bearer)).toBe('first-opaque-token-0123456789');
      expect(clearSecret(captured, apiKey)).toBe('key-0123456789abcdef');
    }
    expect(revealSpy.calls).toBe(2);
  });

  it('reads a refetched request again, and never reveals from a request redacted at capture', () => {
    const captured = request([['Authorization', FIRST]]);
    const [bearer] = captured.analysis.credentials;
    revealSpy.calls = 0;
    clearSecret(captured, bearer);
    clearSecret({ ...captured }, bearer);
    expect(revealSpy.calls).toBe(2);
    expect(clearSecret({ ...captured, redacted: true }, bearer)).toBeNull();
  });
});

describe('reveal keys for duplicate headers', () => {
  const headers: HeaderPair[] = [['Content-Type', 'application/json'], ['Authorization', FIRST], ['authorization', SECOND]];
  const captured = request(headers);

  it('maps each credential to the header row it was read from', () => {
    expect(credentialsByHeaderRow(headers, captured.analysis.credentials)).toEqual([[], [0], [1]]);
  });

  it('shows only the row of the revealed credential, and only the revealed row', () => {
    const rows = credentialsByHeaderRow(headers, captured.analysis.credentials);
    const byCard = shownKeys(new Set([credentialKey(1)]), captured.analysis.credentials, rows);
    expect(byCard.has(headerRowKey(2))).toBe(true);
    expect(byCard.has(headerRowKey(1))).toBe(false);
    const byRow = shownKeys(new Set([headerRowKey(1)]), captured.analysis.credentials, rows);
    expect([...byRow]).toEqual([headerRowKey(1)]);
  });

  it('shows a query credential by its parameter name when its card is revealed', () => {
    const withQuery = request([], 'page=1&api_key=abc123456789');
    expect([...shownKeys(new Set([credentialKey(0)]), withQuery.analysis.credentials, [])]).toContain('query:api_key');
  });
});
