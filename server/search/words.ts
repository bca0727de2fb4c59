/**
 * What search sees of a request: its words, and the tokens that both engines index. Pure; the SQLite index (FTS5)
 * and the PostgreSQL one (tsvector) are fed the same token list, so that a query finds the same requests on both.
 *
 * A word is a run of letters and digits (combining marks belong to the letter before them), compared in lower case
 * after Unicode NFC, without stemming. Each word is written as a token of ASCII letters and digits only (see
 * encodeWord), so that neither engine's own parser has a say in where words begin and end.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { HeaderPair } from '../../shared/types';

/** Bytes of a body that are indexed: its first 64 KB, when they are UTF-8 text. */
export const INDEXED_BODY_BYTES = 64 * 1024;

/** A longer word is indexed by its first characters (a query word that long matches any word starting so). */
export const MAX_WORD_LENGTH = 128;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
// Every character below U+0080 (a quicker test than NFC on the text): control characters included.
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** The words of `text`, in order, lower-cased; [] when it has none. */
export function splitWords(text: string): string[] {
  const normal = ASCII.test(text) ? text : text.normalize('NFC');
  const words = normal.match(WORD);
  if (words === null) return [];
  return words.map((word) => {
    const lower = word.toLowerCase();
    return lower.length <= MAX_WORD_LENGTH ? lower : Array.from(lower).slice(0, MAX_WORD_LENGTH).join('');
  });
}

const PLAIN_TOKEN = /^[a-y0-9]*$/;

/**
 * A word as a token of `a`–`z` and `0`–`9`: `a`–`y` and digits stand for themselves, `z` is written `zz`, and any
 * other character `z` and six hex digits of its code point. Each character has its own code and no code is the
 * start of another, so a word starts with a prefix exactly when its token starts with the prefix's token: prefix
 * search works on the tokens.
 */
export function encodeWord(word: string): string {
  if (PLAIN_TOKEN.test(word)) return word;
  let token = '';
  for (const char of word) {
    if (char === 'z') token += 'zz';
    else if (/^[a-y0-9]$/.test(char)) token += char;
    else token += `z${char.codePointAt(0)!.toString(16).padStart(6, '0')}`;
  }
  return token;
}

// Tokens that no word can produce (after a `z`, a word's token has `z`, `0` or `1`): what a request is besides its
// words. Each engine needs only these to answer bin, header-name and credential-kind terms from its index.
const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

/** The token every request of the bin carries. */
export function binToken(binId: string): string {
  return `zq${hex(binId)}`;
}

/** The token of a header name (case-insensitive); long names by their digest. */
export function headerToken(name: string): string {
  const lower = hex(name.toLowerCase());
  return lower.length <= 200 ? `zh${lower}` : `zi${createHash('sha256').update(lower).digest('hex')}`;
}

/** The token of a credential kind ("basic", "zendesk-api-token", …), or "none" for a request without credentials. */
export function credentialToken(kind: string): string {
  return `zk${hex(kind)}`;
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
 * The tokens of a request, in order: its bin, its credential kinds ("none" when it has none) and header names, then
 * the words of its method, path, query string, headers (name, then value) and body text. Path and query are
 * percent-decoded (a query's `+` is a space); a form body too.
 */
export function searchTokens(source: SearchSource): string[] {
  const tokens = [binToken(source.binId)];
  const kinds = source.credentialKinds.length > 0 ? new Set(source.credentialKinds) : ['none'];
  for (const kind of kinds) tokens.push(credentialToken(kind));
  for (const name of new Set(source.headers.map(([n]) => n.toLowerCase()))) tokens.push(headerToken(name));
  const add = (text: string): void => {
    for (const word of splitWords(text)) tokens.push(encodeWord(word));
  };
  add(source.method);
  add(percentDecoded(source.path));
  add(formDecoded(source.query));
  for (const [name, value] of source.headers) {
    add(name);
    add(readableValue(value));
  }
  const text = bodyText(source.body);
  if (text !== null) add(isForm(source.contentType) ? formDecoded(text) : text);
  return tokens;
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
  return percentDecoded(text.replace(/\+/g, ' '));
}
