/**
 * What search sees of a request: its words, and what each engine's index is fed. Pure.
 *
 * A word is a run of letters and digits (combining marks belong to the letter before them), compared in lower case
 * after Unicode NFC, without stemming. PostgreSQL is given the words themselves as lexemes (searchTokens: no parser
 * or dictionary of its own has a say); SQLite is given text that its FTS5 `ascii` tokenizer splits into the same
 * words (searchText): ASCII text as it is (the tokenizer splits it at anything but letters and digits and folds its
 * case, in C), other text split here. Besides its words, a request carries tokens that no word can be (they start
 * with U+E000, a private-use character, which is no letter or digit): its bin, its method, its credential kinds and
 * its header names, so that each engine answers those terms from its index.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { HeaderPair } from '../../shared/types';

/** Bytes of a body that are indexed: its first 64 KB, when they are UTF-8 text. */
export const INDEXED_BODY_BYTES = 64 * 1024;

/**
 * Words are compared by their first this many characters at most: a query word this long matches any word that
 * starts with it (PostgreSQL keeps this much of a longer word).
 */
export const MAX_WORD_LENGTH = 128;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
// Every character below U+0080 (a quicker test than NFC on the text): control characters included.
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9]+/g;

/** The words of `text`, in order, lower-cased, each cut to MAX_WORD_LENGTH characters; [] when it has none. */
export function splitWords(text: string): string[] {
  // Most of what is indexed is ASCII: lower-cased whole, then split by the plain class (the same words).
  const ascii = ASCII.test(text);
  const words = ascii ? text.toLowerCase().match(ASCII_WORD) : text.normalize('NFC').match(WORD);
  if (words === null) return [];
  for (let i = 0; i < words.length; i++) {
    const word = ascii ? words[i] : words[i].toLowerCase();
    words[i] = word.length <= MAX_WORD_LENGTH ? word : cut(word);
  }
  return words;
}

/** Whether a word of splitWords may have been cut (a query for it then looks for words that start with it). */
export function isCut(word: string): boolean {
  return word.length >= MAX_WORD_LENGTH && Array.from(word).length >= MAX_WORD_LENGTH;
}

function cut(word: string): string {
  const chars = Array.from(word);
  return chars.length <= MAX_WORD_LENGTH ? word : chars.slice(0, MAX_WORD_LENGTH).join('');
}

/** The start of every token that is not a word. */
const MARK = '\uE000';
const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

/** Tokens of the bins and header names seen, worked out once (both sets stay small; they are emptied past 1000). */
const binTokens = new Map<string, string>();
const headerTokens = new Map<string, string>();

function remembered(cache: Map<string, string>, key: string, make: () => string): string {
  let token = cache.get(key);
  if (token === undefined) {
    token = make();
    if (cache.size >= 1_000) cache.clear();
    cache.set(key, token);
  }
  return token;
}

/** The token every request of the bin carries. */
export function binToken(binId: string): string {
  return remembered(binTokens, binId, () => `${MARK}b${hex(binId)}`);
}

/** The token of a header name (case-insensitive); long names by their digest. */
export function headerToken(name: string): string {
  const lower = name.toLowerCase();
  return remembered(headerTokens, lower, () => {
    const bytes = hex(lower);
    return bytes.length <= 200 ? `${MARK}h${bytes}` : `${MARK}d${createHash('sha256').update(lower).digest('hex')}`;
  });
}

/** The token of a method (compared upper-cased). */
export function methodToken(method: string): string {
  return `${MARK}m${hex(method.toUpperCase())}`;
}

const NO_CREDENTIAL = `${MARK}k${hex('none')}`;

/** The token of a credential kind ("basic", "zendesk-api-token", …), or "none" for a request without credentials. */
export function credentialToken(kind: string): string {
  return kind === 'none' ? NO_CREDENTIAL : `${MARK}k${hex(kind)}`;
}

/** What the index is built from: a request's stored columns (the body may be just its first bytes). */
export interface SearchSource {
  binId: string;
  method: string;
  path: string;
  query: string;
  /** As stored (header bytes as latin1 characters). */
  headers: HeaderPair[];
  contentType: string | null;
  body: Buffer;
  /** The kinds of its credentials, in order found; [] when it has none. */
  credentialKinds: readonly string[];
}

/**
 * The tokens of a request that are not words: its bin, its method, its credential kinds ("none" when it has none)
 * and its header names, each once.
 */
function markTokens(source: SearchSource): string[] {
  const tokens = [binToken(source.binId), methodToken(source.method)];
  if (source.credentialKinds.length === 0) tokens.push(NO_CREDENTIAL);
  for (const kind of source.credentialKinds) {
    const token = credentialToken(kind);
    if (!tokens.includes(token)) tokens.push(token);
  }
  const names = tokens.length;
  for (const [name] of source.headers) {
    const token = headerToken(name);
    if (tokens.indexOf(token, names) === -1) tokens.push(token);
  }
  return tokens;
}

/**
 * The texts whose words a request is found by, in order: its method, path and query string (percent-decoded; a
 * query's `+` is a space), each header's name and value (UTF-8 where its bytes are), and its body text (a form body
 * decoded like a query).
 */
function textsOf(source: SearchSource): string[] {
  const texts = [source.method, percentDecoded(source.path), formDecoded(source.query)];
  for (const [name, value] of source.headers) texts.push(name, readableValue(value));
  const body = bodyText(source.body);
  if (body !== null) texts.push(isForm(source.contentType) ? formDecoded(body) : body);
  return texts;
}

/** The tokens of a request in order (marks, then words): PostgreSQL's lexemes. */
export function searchTokens(source: SearchSource): string[] {
  const tokens = markTokens(source);
  for (const text of textsOf(source)) {
    if (text !== '') for (const word of splitWords(text)) tokens.push(word);
  }
  return tokens;
}

/**
 * A request as text for SQLite's FTS5 `ascii` tokenizer, which splits it into searchTokens' tokens: marks and non-ASCII
 * text split here (the tokenizer takes every non-ASCII character for part of a word), ASCII text as it is. Only a
 * word longer than MAX_WORD_LENGTH differs: it is kept whole (a query for it looks for its start anyway).
 */
export function searchText(source: SearchSource): string {
  let text = markTokens(source).join(' ');
  for (const part of textsOf(source)) {
    if (part === '') continue;
    text += ' ';
    text += ASCII.test(part) ? part : splitWords(part).join(' ');
  }
  return text;
}

/**
 * The indexed text of a body: its first INDEXED_BODY_BYTES when they are UTF-8 (a character cut at that mark, or at
 * the end of a truncated body, left out); null for binary.
 */
export function bodyText(body: Buffer): string | null {
  let bytes = body.subarray(0, INDEXED_BODY_BYTES);
  if (bytes.length === 0) return null;
  if (!isUtf8(bytes)) {
    bytes = withoutCutCharacter(bytes);
    if (!isUtf8(bytes)) return null;
  }
  return bytes.toString('utf8');
}

/** `bytes` without a UTF-8 sequence that was cut short at its end. */
function withoutCutCharacter(bytes: Buffer): Buffer {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) !== 0x80) {
      // A lead byte: the sequence it starts is cut when it needs more bytes than are left.
      const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return needs > back ? bytes.subarray(0, bytes.length - back) : bytes;
    }
  }
  return bytes;
}

function isForm(contentType: string | null): boolean {
  return contentType !== null && /^\s*application\/x-www-form-urlencoded\b/i.test(contentType);
}

/** Header values hold the bytes as latin1 characters; valid UTF-8 among them is read as UTF-8. */
function readableValue(value: string): string {
  if (ASCII.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : value;
}

/** `%XX` runs that are UTF-8 decoded; others left as they are. */
export function percentDecoded(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** A query string or form body as text: `+` is a space, then percent-decoding. */
function formDecoded(text: string): string {
  return percentDecoded(text.includes('+') ? text.replace(/\+/g, ' ') : text);
}
