/**
 * The search query language of the contract ("Search"), parsed into clauses. Pure: no database here; each engine
 * turns a SearchQuery into its own SQL (sqlite.ts, postgres.ts).
 *
 * A query is terms separated by white space, all of which must match; `-` before a term excludes what it matches.
 * A term is a word (`printer`: a whole word or the start of one), several words joined by other characters
 * (`jdoe@example.com`: those words next to each other, in order, each a whole word or the start of one), a quoted
 * phrase (`"printer on fire"`: those whole words next to each other, in order), or a qualifier `name:value`
 * (the value may be quoted: `header:"x-note=two words"`). A term's name is a qualifier when it is letters followed
 * by `:`; to search for such text, quote it. Anything else, `*`, `OR`, `NEAR(`, `^`, is text: its words are searched.
 */
import type { CredentialKind, SignatureStatus } from '../../shared/types';
import { isCut, splitWords } from './words';

/** A word of a text term, as splitWords gives it, and whether it matches the start of a word too. */
export interface QueryWord {
  word: string;
  prefix: boolean;
}

export type SearchTerm =
  /** One word, or several that must stand next to each other in this order. */
  | { type: 'text'; words: QueryWord[] }
  /** Upper-cased; compared with the method upper-cased. */
  | { type: 'method'; method: string }
  /** `*` any run of characters (`/` included), `?` one; without either the path must be equal. */
  | { type: 'path'; pattern: string }
  /** Present (name case-insensitive), or, with `value`, present with exactly that value. */
  | { type: 'header'; name: string; value?: string }
  | { type: 'auth'; kind: CredentialKind | 'none' }
  /** The request's most telling signature check; 'none': it carries no signature. */
  | { type: 'sig'; status: SignatureStatus | 'none' }
  /** Lower-cased. */
  | { type: 'provider'; provider: string }
  /** Received strictly after / before this time (ms epoch). */
  | { type: 'after' | 'before'; time: number };

export interface SearchClause {
  exclude: boolean;
  term: SearchTerm;
}

/** All clauses must hold; an empty list matches every request. */
export interface SearchQuery {
  clauses: SearchClause[];
}

/** A query that cannot be parsed; the message says what is wrong and where, for a person. */
export class SearchSyntaxError extends Error {
  override name = 'SearchSyntaxError';
}

/** Longest query, and most terms, taken: each term is a clause of the SQL. */
export const MAX_QUERY_LENGTH = 1000;
export const MAX_TERMS = 32;

export const CREDENTIAL_KINDS: readonly (CredentialKind | 'none')[] = [
  'basic', 'zendesk-api-token', 'jwt', 'jwe', 'bearer', 'api-key', 'digest', 'aws-sigv4', 'other', 'none',
];
export const SIGNATURE_STATUSES: readonly (SignatureStatus | 'none')[] = ['verified', 'mismatch', 'stale', 'no-secret', 'malformed', 'none'];
const QUALIFIERS = ['method', 'path', 'header', 'auth', 'sig', 'provider', 'after', 'before'] as const;
type Qualifier = typeof QUALIFIERS[number];

/** One term as written: where it starts (0-based), its source, and its text with the quotes taken out. */
interface RawTerm {
  at: number;
  exclude: boolean;
  source: string;
  text: string;
  quoted: boolean;
}

/** Parses `q`; throws SearchSyntaxError naming the problem and its character (1-based). */
export function parseSearch(q: string): SearchQuery {
  if (q.length > MAX_QUERY_LENGTH) throw new SearchSyntaxError(`the query is longer than ${MAX_QUERY_LENGTH} characters`);
  const clauses: SearchClause[] = [];
  const terms = lexTerms(q);
  if (terms.length > MAX_TERMS) throw new SearchSyntaxError(`the query has more than ${MAX_TERMS} terms`);
  for (const raw of terms) {
    const term = readTerm(raw);
    if (term !== null) clauses.push({ exclude: raw.exclude, term });
  }
  return { clauses };
}

/** Splits the query at white space outside quotes; a quote runs to the next one. */
function lexTerms(q: string): RawTerm[] {
  const terms: RawTerm[] = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/.test(q[i])) {
      i++;
      continue;
    }
    const start = i;
    const exclude = q[i] === '-';
    if (exclude) {
      i++;
      if (i === q.length || /\s/.test(q[i])) throw new SearchSyntaxError(`"-" with no term after it at character ${start + 1}`);
    }
    const from = i;
    let text = '';
    let quoted = false;
    while (i < q.length && !/\s/.test(q[i])) {
      if (q[i] === '"') {
        const end = q.indexOf('"', i + 1);
        if (end === -1) throw new SearchSyntaxError(`unterminated quote at character ${i + 1}`);
        text += q.slice(i + 1, end);
        quoted = true;
        i = end + 1;
      } else {
        text += q[i++];
      }
    }
    terms.push({ at: from, exclude, source: q.slice(from, i), text, quoted });
  }
  return terms;
}

function readTerm(raw: RawTerm): SearchTerm | null {
  const qualifier = /^([A-Za-z]+):/.exec(raw.source);
  if (qualifier) return readQualifier(qualifier[1], raw);
  const words = splitWords(raw.text);
  if (words.length === 0) {
    if (raw.quoted && raw.text.trim() === '') throw new SearchSyntaxError(`empty phrase at character ${raw.at + 1}`);
    // Nothing but punctuation (`*`, `^`, `--`): no word to look for, so no condition.
    return null;
  }
  // Quoted: whole words; as typed: each word may be the start of one. A word too long to be kept whole is looked for
  // as the start of one either way.
  return { type: 'text', words: words.map((word) => ({ word, prefix: !raw.quoted || isCut(word) })) };
}

function readQualifier(written: string, raw: RawTerm): SearchTerm {
  const name = written.toLowerCase() as Qualifier;
  const where = `at character ${raw.at + 1}`;
  if (!QUALIFIERS.includes(name)) {
    throw new SearchSyntaxError(`unknown qualifier "${written}:" ${where} (known: ${QUALIFIERS.map((q) => `${q}:`).join(' ')}; ` +
      'quote text that contains ":" to search for it)');
  }
  const value = raw.text.slice(written.length + 1);
  if (value === '') throw new SearchSyntaxError(`empty value for "${name}:" ${where}`);
  switch (name) {
    case 'method':
      return { type: 'method', method: value.toUpperCase() };
    case 'path':
      return { type: 'path', pattern: value };
    case 'provider':
      return { type: 'provider', provider: value.toLowerCase() };
    case 'header': {
      const equals = value.indexOf('=');
      const header = equals === -1 ? value : value.slice(0, equals);
      if (header === '') throw new SearchSyntaxError(`empty header name for "header:" ${where}`);
      if (equals === -1) return { type: 'header', name: header.toLowerCase() };
      const expected = value.slice(equals + 1);
      // `header:name=""` looks for an empty value; a bare `name=` is more likely a value not typed yet.
      if (expected === '' && !raw.source.endsWith('""')) {
        throw new SearchSyntaxError(`empty value for "header:${header}=" ${where} (quote an empty value: header:${header}="")`);
      }
      return { type: 'header', name: header.toLowerCase(), value: expected };
    }
    case 'auth': {
      const kind = value.toLowerCase() as CredentialKind | 'none';
      if (!CREDENTIAL_KINDS.includes(kind)) {
        throw new SearchSyntaxError(`unknown credential kind "${value}" for "auth:" ${where} (known: ${CREDENTIAL_KINDS.join(', ')})`);
      }
      return { type: 'auth', kind };
    }
    case 'sig': {
      const status = value.toLowerCase() as SignatureStatus | 'none';
      if (!SIGNATURE_STATUSES.includes(status)) {
        throw new SearchSyntaxError(`unknown signature status "${value}" for "sig:" ${where} (known: ${SIGNATURE_STATUSES.join(', ')})`);
      }
      return { type: 'sig', status };
    }
    case 'after':
    case 'before': {
      const time = parseTime(value);
      if (time === null) {
        throw new SearchSyntaxError(`bad date "${value}" for "${name}:" ${where}: use an ISO date (2026-12-01, meaning its midnight UTC) ` +
          'or date-time (2026-12-01T08:30:00Z)');
      }
      return { type: name, time };
    }
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:\d{2})?$/;

/**
 * An ISO 8601 date (its midnight UTC) or date-time (`T`, hours and minutes, optional seconds and fraction, `Z` or an
 * offset; none means UTC) as ms since the epoch; null for anything else, an impossible date (02-30) included.
 */
export function parseTime(text: string): number | null {
  const date = DATE.exec(text);
  if (date) return utc(+date[1], +date[2], +date[3], 0, 0, 0, 0);
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z'] = match;
  const ms = Number((fraction + '000').slice(0, 3));
  const time = utc(+year, +month, +day, +hour, +minute, +second, ms);
  if (time === null) return null;
  if (zone === 'Z' || zone === 'z') return time;
  const [offsetHours, offsetMinutes] = zone.slice(1).split(':').map(Number);
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  return time - (zone[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 02-30 over into March: a date that does not come back the same does not exist.
  const back = new Date(time);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return time;
}
