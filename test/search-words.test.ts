import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tsvectorText } from '../server/search/sql';
import {
  binToken, bodyText, credentialToken, headerToken, INDEXED_BODY_BYTES, MAX_WORD_LENGTH, methodToken, percentDecoded, searchText, searchTokens,
  splitWords,
  type SearchSource,
} from '../server/search/words';

const source = (overrides: Partial<SearchSource> = {}): SearchSource => ({
  binId: 'b1', method: 'POST', path: '/', query: '', headers: [], contentType: null, body: Buffer.alloc(0), credentialKinds: [], ...overrides,
});
/** The words of a request: its tokens but the bin, credential-kind and header-name ones. */
const wordsOf = (overrides: Partial<SearchSource>): string[] => searchTokens(source(overrides)).filter((t) => !t.startsWith('\uE000'));

describe('splitWords', () => {
  it('splits at anything but letters, digits and combining marks, and lower-cases', () => {
    expect(splitWords('Hello, World! x-api-key=ABC_123 (jdoe@example.com)')).toEqual(['hello', 'world', 'x', 'api', 'key', 'abc', '123', 'jdoe', 'example', 'com']);
    expect(splitWords('')).toEqual([]);
    expect(splitWords('--- *** ')).toEqual([]);
  });

  it('cuts a word past MAX_WORD_LENGTH characters', () => {
    expect(splitWords('a'.repeat(MAX_WORD_LENGTH + 50))).toEqual(['a'.repeat(MAX_WORD_LENGTH)]);
  });
});

describe('searchText', () => {
  // SQLite's own ascii tokenizer, asked through fts5vocab for the tokens of a text in order.
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(words, tokenize='ascii'); CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
  const tokensOf = (text: string): string[] => {
    db.exec('DELETE FROM t');
    db.prepare('INSERT INTO t (rowid, words) VALUES (1, ?)').run(text);
    return (db.prepare('SELECT term FROM v ORDER BY offset').pluck().all() as string[]);
  };

  it('is split by the FTS5 ascii tokenizer into the tokens PostgreSQL is given, whatever the text', () => {
    const part = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '-', '_', '.', '%', '+', 'é', 'e\u0301', 'ß', 'İ', 'Σ', '日', '😀', '\u00a0', '–', '\uE000', '\u0000'), maxLength: 24 });
    fc.assert(fc.property(part, part, part, part, (path, query, value, body) => {
      const request = source({ path: `/${path}`, query, headers: [['X-V', value]], body: Buffer.from(body), credentialKinds: ['basic'] });
      expect(tokensOf(searchText(request))).toEqual(searchTokens(request));
    }), { numRuns: 300 });
  });

  it('keeps a long ASCII word whole, where PostgreSQL keeps its start', () => {
    const request = source({ body: Buffer.from(`${'a'.repeat(MAX_WORD_LENGTH + 10)} b`) });
    expect(tokensOf(searchText(request)).slice(-2)).toEqual(['a'.repeat(MAX_WORD_LENGTH + 10), 'b']);
    expect(searchTokens(request).slice(-2)).toEqual(['a'.repeat(MAX_WORD_LENGTH), 'b']);
  });

  it('gives the bin, credential-kind and header-name tokens a start that no word has', () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (text) => splitWords(text).every((w) => !w.startsWith('\uE000'))));
    for (const token of [binToken('b1'), methodToken('get'), headerToken('X-Id'), credentialToken('basic')]) expect(token).toMatch(/^\uE000[a-z][0-9a-f]+$/);
  });
});

describe('bodyText', () => {
  it('is the text of a UTF-8 body, null for a binary one or an empty one', () => {
    expect(bodyText(Buffer.from('{"a":"café"}'))).toBe('{"a":"café"}');
    expect(bodyText(Buffer.from([0xff, 0xfe, 0x00, 0x41]))).toBeNull();
    expect(bodyText(Buffer.alloc(0))).toBeNull();
  });

  it('holds the first INDEXED_BODY_BYTES only, without a character cut at that mark', () => {
    const long = Buffer.concat([Buffer.alloc(INDEXED_BODY_BYTES - 1, 'a'), Buffer.from('é tail')]);
    expect(bodyText(long)).toBe('a'.repeat(INDEXED_BODY_BYTES - 1));
    expect(bodyText(Buffer.from('word é').subarray(0, 6))).toBe('word ');
  });
});

describe('searchTokens', () => {
  it('starts with the bin, the method, the credential kinds (none when none) and the header names, then the words in order', () => {
    expect(searchTokens(source({
      method: 'POST', path: '/hooks/a', query: 'x=1', headers: [['Content-Type', 'text/plain'], ['X-Id', '7'], ['x-id', '8']],
      body: Buffer.from('Printer on fire'), credentialKinds: [],
    }))).toEqual([
      binToken('b1'), methodToken('post'), credentialToken('none'), headerToken('content-type'), headerToken('x-id'),
      'post', 'hooks', 'a', 'x', '1', 'content', 'type', 'text', 'plain', 'x', 'id', '7', 'x', 'id', '8', 'printer', 'on', 'fire',
    ]);
    expect(searchTokens(source({ credentialKinds: ['basic', 'zendesk-api-token', 'basic'] })).slice(2, 4))
      .toEqual([credentialToken('basic'), credentialToken('zendesk-api-token')]);
  });

  it('reads path and query percent-decoded, a form body too, and header values as UTF-8 where they are', () => {
    expect(wordsOf({ method: 'GET', path: '/caf%C3%A9', query: 'q=hello+wide%20world&bad=%E9' })).toEqual(['get', 'café', 'q', 'hello', 'wide', 'world', 'bad', 'e9']);
    expect(wordsOf({ method: 'A', contentType: 'application/x-www-form-urlencoded', body: Buffer.from('note=two+words%21') })).toEqual(['a', 'note', 'two', 'words']);
    expect(wordsOf({ method: 'A', contentType: 'text/plain', body: Buffer.from('note=two+words%21') })).toEqual(['a', 'note', 'two', 'words', '21']);
    expect(wordsOf({ method: 'A', headers: [['X-Name', Buffer.from('Zoë').toString('latin1')]] })).toEqual(['a', 'x', 'name', 'zoë']);
  });

  it('leaves a binary body out', () => {
    expect(wordsOf({ method: 'A', body: Buffer.from([0x41, 0xff, 0x42]) })).toEqual(['a']);
  });
});

describe('percentDecoded', () => {
  it('decodes runs that are UTF-8 and leaves the others', () => {
    expect(percentDecoded('a%20b%E9c%C3%A9')).toBe('a b%E9cé');
    expect(percentDecoded('100%')).toBe('100%');
  });
});

describe('tsvectorText', () => {
  it('lists each token once with its positions from 1', () => {
    expect(tsvectorText(['\uE000b6231', 'a', 'b', 'a'])).toBe("'\uE000b6231':1 'a':2,4 'b':3");
    expect(tsvectorText([])).toBe('');
  });

  it('keeps positions within PostgreSQL\'s limits: up to 16383, and 256 of one token', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? 'x' : `w${i}`));
    const text = tsvectorText(many);
    expect(text.split(' ')[0].split(',')).toHaveLength(256);
    expect(text).toContain("'w19999':16383");
    expect(text).not.toMatch(/:(1638[4-9]|16[4-9]\d\d|1[7-9]\d{3}|[2-9]\d{4})\b/);
  });
});
