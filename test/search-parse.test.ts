import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, MAX_TERMS, parseSearch, parseTime, SearchSyntaxError, type SearchClause } from '../server/search/parse';

const clauses = (q: string): SearchClause[] => parseSearch(q).clauses;
const problem = (q: string): string => {
  try {
    parseSearch(q);
  } catch (err) {
    expect(err).toBeInstanceOf(SearchSyntaxError);
    return (err as Error).message;
  }
  throw new Error(`parsed: ${q}`);
};
const text = (...words: [string, boolean][]) => ({ exclude: false, term: { type: 'text', words: words.map(([word, prefix]) => ({ word, prefix })) } });

describe('parseSearch: words and phrases', () => {
  it('reads nothing from an empty or blank query: every request matches', () => {
    expect(clauses('')).toEqual([]);
    expect(clauses('  \t \n ')).toEqual([]);
  });

  it('reads each word as a prefix term, lower-cased, all of which must match', () => {
    expect(clauses('Printer  FIRE')).toEqual([text(['printer', true]), text(['fire', true])]);
  });

  it('reads words joined by other characters as one term whose words stand next to each other', () => {
    expect(clauses('jdoe@example.com')).toEqual([text(['jdoe', true], ['example', true], ['com', true])]);
    expect(clauses('x-zendesk-webhook-id')).toEqual([text(['x', true], ['zendesk', true], ['webhook', true], ['id', true])]);
    expect(clauses('snake_case')).toEqual([text(['snake', true], ['case', true])]);
  });

  it('reads a quoted phrase as whole words in order, spaces and all', () => {
    expect(clauses('"Printer on  fire"')).toEqual([text(['printer', false], ['on', false], ['fire', false])]);
    expect(clauses('"one"')).toEqual([text(['one', false])]);
  });

  it('splits letters and digits of any script, folds case after NFC, and keeps combining marks with their letter', () => {
    expect(clauses('CAFÉ')).toEqual([text(['café', true])]);
    // é as e + U+0301 is the same word as the precomposed é.
    expect(clauses('cafe\u0301')).toEqual([text(['café', true])]);
    expect(clauses('Ünïcödé-日本語')).toEqual([text(['ünïcödé', true], ['日本語', true])]);
    expect(clauses('abc123')).toEqual([text(['abc123', true])]);
  });

  it('looks for the start of a word too long to be kept whole, quoted or not', () => {
    const long = 'a'.repeat(300);
    expect(clauses(`"${long}"`)).toEqual([text(['a'.repeat(128), true])]);
    expect(clauses(`"${'b'.repeat(127)}"`)).toEqual([text(['b'.repeat(127), false])]);
  });

  it('treats index syntax as text: OR, AND, NOT and NEAR are words, *, ^, ( and : inside words separate them', () => {
    expect(clauses('a OR b')).toEqual([text(['a', true]), text(['or', true]), text(['b', true])]);
    expect(clauses('NEAR(a b) NOT')).toEqual([text(['near', true], ['a', true]), text(['b', true]), text(['not', true])]);
    expect(clauses('^start pre* 12:30')).toEqual([text(['start', true]), text(['pre', true]), text(['12', true], ['30', true])]);
    expect(clauses("'; DROP TABLE requests; --")).toEqual([text(['drop', true]), text(['table', true]), text(['requests', true])]);
  });

  it('leaves out terms with no letter or digit (they ask for nothing), and a lone - is refused', () => {
    expect(clauses('* ^ -- ( )')).toEqual([]);
    expect(clauses('"!!"')).toEqual([]);
    expect(problem('a - b')).toBe('"-" with no term after it at character 3');
    expect(problem('a -')).toBe('"-" with no term after it at character 3');
  });

  it('excludes a word, a phrase or a qualifier after -', () => {
    expect(clauses('-ping -"health check" -method:GET')).toEqual([
      { exclude: true, term: { type: 'text', words: [{ word: 'ping', prefix: true }] } },
      { exclude: true, term: { type: 'text', words: [{ word: 'health', prefix: false }, { word: 'check', prefix: false }] } },
      { exclude: true, term: { type: 'method', method: 'GET' } },
    ]);
    expect(clauses('--x')).toEqual([{ exclude: true, term: { type: 'text', words: [{ word: 'x', prefix: true }] } }]);
  });

  it('names the character of a quote that is never closed, and refuses an empty phrase', () => {
    expect(problem('method:POST "unclosed')).toBe('unterminated quote at character 13');
    expect(problem('"')).toBe('unterminated quote at character 1');
    expect(problem('a ""')).toBe('empty phrase at character 3');
    expect(problem('a "  "')).toBe('empty phrase at character 3');
  });

  it('refuses a query that is too long or has too many terms', () => {
    expect(problem('a'.repeat(MAX_QUERY_LENGTH + 1))).toBe(`the query is longer than ${MAX_QUERY_LENGTH} characters`);
    expect(clauses('a'.repeat(MAX_QUERY_LENGTH))).toHaveLength(1);
    expect(problem(Array.from({ length: MAX_TERMS + 1 }, (_, i) => `w${i}`).join(' '))).toBe(`the query has more than ${MAX_TERMS} terms`);
  });
});

describe('parseSearch: qualifiers', () => {
  it('reads method:, upper-cased, and provider:, lower-cased', () => {
    expect(clauses('method:post provider:Zendesk')).toEqual([
      { exclude: false, term: { type: 'method', method: 'POST' } },
      { exclude: false, term: { type: 'provider', provider: 'zendesk' } },
    ]);
  });

  it('takes qualifier names in any case', () => {
    expect(clauses('METHOD:GET Sig:Verified')).toEqual([
      { exclude: false, term: { type: 'method', method: 'GET' } },
      { exclude: false, term: { type: 'sig', status: 'verified' } },
    ]);
  });

  it('reads path: as written, wildcards and all', () => {
    expect(clauses('path:/hooks/* path:/a?c path:"/with space"')).toEqual([
      { exclude: false, term: { type: 'path', pattern: '/hooks/*' } },
      { exclude: false, term: { type: 'path', pattern: '/a?c' } },
      { exclude: false, term: { type: 'path', pattern: '/with space' } },
    ]);
  });

  it('reads header:name (lower-cased) and header:name=value (as written, quoted when it has spaces)', () => {
    expect(clauses('header:X-Zendesk-Webhook-Id header:Content-Type=application/json header:x-note="two words" header:"x-a=b=c"')).toEqual([
      { exclude: false, term: { type: 'header', name: 'x-zendesk-webhook-id' } },
      { exclude: false, term: { type: 'header', name: 'content-type', value: 'application/json' } },
      { exclude: false, term: { type: 'header', name: 'x-note', value: 'two words' } },
      { exclude: false, term: { type: 'header', name: 'x-a', value: 'b=c' } },
    ]);
    expect(clauses('header:x-empty=""')).toEqual([{ exclude: false, term: { type: 'header', name: 'x-empty', value: '' } }]);
  });

  it('refuses header: without a name, and header:name= without a value', () => {
    expect(problem('header:=x')).toBe('empty header name for "header:" at character 1');
    expect(problem('a header:x-foo=')).toBe('empty value for "header:x-foo=" at character 3 (quote an empty value: header:x-foo="")');
  });

  it('reads auth: of every credential kind, and none', () => {
    for (const kind of ['basic', 'zendesk-api-token', 'jwt', 'jwe', 'bearer', 'api-key', 'digest', 'aws-sigv4', 'other', 'none']) {
      expect(clauses(`auth:${kind.toUpperCase()}`)).toEqual([{ exclude: false, term: { type: 'auth', kind } }]);
    }
    expect(problem('auth:password')).toBe('unknown credential kind "password" for "auth:" at character 1 ' +
      '(known: basic, zendesk-api-token, jwt, jwe, bearer, api-key, digest, aws-sigv4, other, none)');
  });

  it('reads sig: of every status, and none', () => {
    for (const status of ['verified', 'mismatch', 'stale', 'no-secret', 'malformed', 'none']) {
      expect(clauses(`sig:${status}`)).toEqual([{ exclude: false, term: { type: 'sig', status } }]);
    }
    expect(problem('x sig:ok')).toBe('unknown signature status "ok" for "sig:" at character 3 (known: verified, mismatch, stale, no-secret, malformed, none)');
  });

  it('reads after: and before: as ms, a date meaning its midnight UTC', () => {
    expect(clauses('after:2026-12-01 before:2026-12-01T08:30:00.250Z')).toEqual([
      { exclude: false, term: { type: 'after', time: Date.UTC(2026, 11, 1) } },
      { exclude: false, term: { type: 'before', time: Date.UTC(2026, 11, 1, 8, 30, 0, 250) } },
    ]);
  });

  it('names an unknown qualifier and where it is, and says how to search for such text', () => {
    expect(problem('printer colour:red')).toBe('unknown qualifier "colour:" at character 9 (known: method: path: header: auth: sig: provider: ' +
      'after: before:; quote text that contains ":" to search for it)');
    expect(problem('-https://example.com')).toMatch(/^unknown qualifier "https:" at character 2 /);
    expect(clauses('"https://example.com"')).toEqual([text(['https', false], ['example', false], ['com', false])]);
  });

  it('refuses an empty value, quoted or not', () => {
    expect(problem('method:')).toBe('empty value for "method:" at character 1');
    expect(problem('a -path:""')).toBe('empty value for "path:" at character 4');
    for (const name of ['header', 'auth', 'sig', 'provider', 'after', 'before']) expect(problem(`${name}:`)).toBe(`empty value for "${name}:" at character 1`);
  });

  it('names a bad date and where it is', () => {
    for (const bad of ['yesterday', '2026-13-01', '2026-02-30', '2026-2-1', '2026-12-01T25:00Z', '2026-12-01T08:00+25:00', '1/12/2026', '2026-12-01T08']) {
      expect(problem(`ticket after:${bad}`)).toBe(`bad date "${bad}" for "after:" at character 8: use an ISO date (2026-12-01, meaning its midnight UTC) ` +
        'or date-time (2026-12-01T08:30:00Z)');
    }
  });
});

describe('parseTime', () => {
  it('reads ISO dates and date-times, with Z, an offset or no zone (UTC)', () => {
    expect(parseTime('2026-12-01')).toBe(Date.UTC(2026, 11, 1));
    expect(parseTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTime('2026-12-01T08:30Z')).toBe(Date.UTC(2026, 11, 1, 8, 30));
    expect(parseTime('2026-12-01T08:30:15')).toBe(Date.UTC(2026, 11, 1, 8, 30, 15));
    expect(parseTime('2026-12-01T08:30:15.123456789Z')).toBe(Date.UTC(2026, 11, 1, 8, 30, 15, 123));
    expect(parseTime('2026-12-01T10:30:00+02:00')).toBe(Date.UTC(2026, 11, 1, 8, 30));
    expect(parseTime('2026-12-01T03:00:00-05:30')).toBe(Date.UTC(2026, 11, 1, 8, 30));
  });

  it('refuses what is not one', () => {
    for (const bad of ['', '2026', '2026-12', '2023-02-29', '2026-00-10', '2026-12-00', '2026-12-32', '2026-12-01 08:30', '2026-12-01T24:00Z',
      '2026-12-01T08:60Z', '2026-12-01T08:30:60Z', '2026-12-01T08:30+0200', '+2026-12-01', '2026-12-01T08:30:00.Z']) {
      expect(parseTime(bad), bad).toBeNull();
    }
  });
});
