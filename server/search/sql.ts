/**
 * A SearchQuery as each engine's SQL: the terms its full-text index answers (words, phrases, methods, header names,
 * credential kinds, always with the bin's token) as an FTS5 expression or a tsquery, and the others as conditions on the
 * requests row `r`. Pure string building: every value a person typed travels as a parameter, or as a word (letters,
 * digits and marks only: splitWords) or a token of hex digits (words.ts) quoted in the index's syntax, never as SQL
 * or index syntax.
 */
import type { SearchQuery, SearchTerm } from './parse';
import { binToken, credentialToken, headerToken, methodToken } from './words';

/** The SQL of a search on one engine. */
export interface SearchSql {
  /** The full-text condition (FTS5 MATCH expression or tsquery text), or null when no term needs the index. */
  match: string | null;
  /** Conditions on the requests row `r`, all of which must hold; each is true or false, never NULL. */
  where: string[];
  /** The parameters of `where`, in order. */
  params: unknown[];
}

interface Dialect {
  /** An index token; `prefix`: any token that starts with it. */
  token(token: string, prefix: boolean): string;
  /** Tokens next to each other, in order. */
  adjacent(tokens: string[]): string;
  /** All of `positive` (never empty), none of `negative`. */
  combine(positive: string[], negative: string[]): string;
  /** A path pattern: `*` and `?` as wildcards, anything else literal. */
  pathLike(pattern: string): { operator: string; value: string };
  /** A header of this lower-cased name with one of these values. */
  headerValue(name: string, values: string): string;
  /** The placeholder of the next parameter. */
  placeholder(index: number): string;
}

const SQLITE: Dialect = {
  token: (token, prefix) => `"${token}"${prefix ? ' *' : ''}`,
  adjacent: (tokens) => tokens.join(' + '),
  combine: (positive, negative) => `(${positive.map((p) => `(${p})`).join(' AND ')})${negative.map((n) => ` NOT (${n})`).join('')}`,
  // GLOB: `*` and `?` as the contract has them; `[` would open a character class, so it is written `[[]`.
  pathLike: (pattern) => ({ operator: 'GLOB', value: pattern.replace(/\[/g, '[[]') }),
  headerValue: (name, values) => `EXISTS (SELECT 1 FROM json_each(r.headers) h WHERE lower(h.value ->> 0) = ${name} AND h.value ->> 1 IN (SELECT value FROM json_each(${values})))`,
  placeholder: () => '?',
};

const POSTGRES: Dialect = {
  token: (token, prefix) => `'${token}'${prefix ? ':*' : ''}`,
  adjacent: (tokens) => tokens.join(' <-> '),
  combine: (positive, negative) => [...positive.map((p) => `(${p})`), ...negative.map((n) => `!(${n})`)].join(' & '),
  // LIKE: `%`, `_` and the escape character itself are literal in a path; `*` and `?` become the wildcards.
  pathLike: (pattern) => ({
    operator: 'LIKE',
    value: pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_'),
  }),
  headerValue: (name, values) => `EXISTS (SELECT 1 FROM json_array_elements(r.headers::json) h
    WHERE lower(h ->> 0) = ${name} AND h ->> 1 IN (SELECT json_array_elements_text(${values}::json)))`,
  placeholder: (index) => `$${index}`,
};

/** The search on SQLite (FTS5 over the tables request_words_<n>, rowid = request id). */
export function sqliteSearch(binId: string, query: SearchQuery): SearchSql {
  return build(SQLITE, binId, query, 0);
}

/** The search on PostgreSQL (tsquery over requests.search); parameters numbered from `$firstParam`. */
export function postgresSearch(binId: string, query: SearchQuery, firstParam: number): SearchSql {
  return build(POSTGRES, binId, query, firstParam);
}

/**
 * The search on PostgreSQL as one condition on `r` (`true` when it has none), the tsquery being its last parameter;
 * parameters numbered from `$firstParam`.
 */
export function postgresConditions(binId: string, query: SearchQuery, firstParam: number): { where: string; params: unknown[] } {
  const { match, where, params } = postgresSearch(binId, query, firstParam);
  if (match === null) return { where: where.length > 0 ? where.join(' AND ') : 'true', params };
  return { where: [...where, `r.search @@ $${firstParam + params.length}::tsquery`].join(' AND '), params: [...params, match] };
}

function build(dialect: Dialect, binId: string, query: SearchQuery, firstParam: number): SearchSql {
  const positive: string[] = [];
  const negative: string[] = [];
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return dialect.placeholder(firstParam + params.length - 1);
  };
  for (const clause of query.clauses) {
    const indexed = indexTerm(dialect, clause.term);
    if (indexed !== null) (clause.exclude ? negative : positive).push(indexed);
    const condition = rowCondition(dialect, clause.term, param);
    if (condition !== null) where.push(clause.exclude ? `NOT (${condition})` : condition);
  }
  const match = positive.length + negative.length === 0
    ? null
    : dialect.combine([dialect.token(binToken(binId), false), ...positive], negative);
  return { match, where, params };
}

/** What the full-text index answers of a term, or null when it does not. */
function indexTerm(dialect: Dialect, term: SearchTerm): string | null {
  switch (term.type) {
    case 'text':
      return dialect.adjacent(term.words.map((w) => dialect.token(w.word, w.prefix)));
    case 'header':
      // With a value, the name's token narrows the rows whose headers are then read (only when not excluded: a
      // request without the value may still have the header).
      return term.value === undefined ? dialect.token(headerToken(term.name), false) : null;
    case 'auth':
      return dialect.token(credentialToken(term.kind), false);
    case 'method':
      return dialect.token(methodToken(term.method), false);
    default:
      return null;
  }
}

/** The condition on the row that a term needs, or null when the index answers it whole. */
function rowCondition(dialect: Dialect, term: SearchTerm, param: (value: unknown) => string): string | null {
  switch (term.type) {
    case 'path': {
      if (!/[*?]/.test(term.pattern)) return `r.path = ${param(term.pattern)}`;
      const { operator, value } = dialect.pathLike(term.pattern);
      return `r.path ${operator} ${param(value)}`;
    }
    case 'header': {
      if (term.value === undefined) return null;
      // Header bytes are stored as latin1 characters: a value typed as UTF-8 text is also looked for as its bytes.
      const values = [...new Set([term.value, Buffer.from(term.value, 'utf8').toString('latin1')])];
      return dialect.headerValue(param(term.name), param(JSON.stringify(values)));
    }
    case 'sig':
      return `coalesce(r.signature, 'none') = ${param(term.status)}`;
    case 'provider':
      return `lower(coalesce(r.provider, '')) = ${param(term.provider)}`;
    case 'after':
      return `r.received_at > ${param(term.time)}`;
    case 'before':
      return `r.received_at < ${param(term.time)}`;
    default:
      return null;
  }
}

/** PostgreSQL keeps positions up to this one (larger ones become it) and at most this many of one lexeme. */
const MAX_POSITION = 16_383;
const MAX_POSITIONS = 256;

/**
 * A request's tokens as tsvector input text (`'token':1,5 …`), positions counted from 1: PostgreSQL reads it as it
 * is, with no parser or dictionary of its own (the tokens need no escaping: letters, digits, marks, or U+E000 and hex
 * digits). Past PostgreSQL's limits, a word's later positions are dropped: a phrase is found among the first 16,383
 * words of a request.
 */
export function tsvectorText(tokens: readonly string[]): string {
  const positions = new Map<string, number[]>();
  tokens.forEach((token, i) => {
    const list = positions.get(token);
    const position = Math.min(i + 1, MAX_POSITION);
    if (list === undefined) positions.set(token, [position]);
    else if (list.length < MAX_POSITIONS && list[list.length - 1] !== position) list.push(position);
  });
  let text = '';
  for (const [token, list] of positions) text += `${text === '' ? '' : ' '}'${token}':${list.join(',')}`;
  return text;
}
