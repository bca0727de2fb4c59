/**
 * A lenient base64 reader that reports every way the input departs from RFC 4648 §4, so that the Basic
 * decoder can tell a person exactly what the sender got wrong, and still decode whatever can be decoded.
 */

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTETS = new Map<string, number>([...STANDARD].map((char, i) => [char, i]));
SEXTETS.set('-', 62);
SEXTETS.set('_', 63);

/** How an invalid character is described without showing it. */
export type CharacterClass = 'a non-ASCII character' | 'a control character' | 'a punctuation character';

/** The characters outside both base64 alphabets, summarised. */
export interface InvalidCharacters {
  count: number;
  /** Index in the input, counted in UTF-16 units. */
  firstAt: number;
  /** Said instead of the character itself, which may be part of a secret. */
  firstClass: CharacterClass;
  /** True when a ':' is among them: the text was probably never encoded. */
  hasColon: boolean;
}

/** Everything readBase64 noticed, and the bytes when they could be read. */
export interface Base64Reading {
  /** The decoded bytes; null when the input cannot be decoded. */
  bytes: Uint8Array | null;
  whitespaceInside: boolean;
  /** '-' or '_' seen (base64url). */
  urlAlphabet: boolean;
  /** '+' or '/' seen (standard alphabet). */
  standardAlphabet: boolean;
  invalid: InvalidCharacters | null;
  /** 'missing': no '=' and a length that is not a multiple of 4; 'bad': '=' misplaced or wrong in number. */
  padding: 'ok' | 'missing' | 'bad';
  /** One character left over after the last whole group of four: it carries no complete byte and was dropped. */
  danglingCharacter: boolean;
}

function classify(char: string): CharacterClass {
  const code = char.charCodeAt(0);
  if (code > 0x7e) return 'a non-ASCII character';
  if (code < 0x20 || code === 0x7f) return 'a control character';
  return 'a punctuation character';
}

function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\r' || char === '\n';
}

function paddingOf(compact: string): Base64Reading['padding'] {
  const firstPad = compact.indexOf('=');
  if (firstPad === -1) return compact.length % 4 === 0 ? 'ok' : 'missing';
  const padCount = compact.length - firstPad;
  const onlyPadAfter = /^=+$/.test(compact.slice(firstPad));
  const expected = (4 - (firstPad % 4)) % 4;
  return onlyPadAfter && padCount === expected ? 'ok' : 'bad';
}

/** Reads `text` as base64 (either alphabet, whitespace ignored) and says what is wrong with it. Never throws. */
export function readBase64(text: string): Base64Reading {
  let compact = '';
  let whitespaceInside = false;
  let invalid: InvalidCharacters | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (isWhitespace(char)) {
      whitespaceInside = true;
      continue;
    }
    if (char === '=' || SEXTETS.has(char)) {
      compact += char;
      continue;
    }
    if (invalid) invalid.count++;
    else invalid = { count: 1, firstAt: i, firstClass: classify(char), hasColon: false };
    if (char === ':') invalid.hasColon = true;
  }
  const padding = paddingOf(compact);
  const firstPad = compact.indexOf('=');
  const body = firstPad === -1 ? compact : compact.slice(0, firstPad);
  const padInMiddle = firstPad !== -1 && !/^=+$/.test(compact.slice(firstPad));
  const reading: Base64Reading = {
    bytes: null,
    whitespaceInside,
    urlAlphabet: /[-_]/.test(body),
    standardAlphabet: /[+/]/.test(body),
    invalid,
    padding,
    danglingCharacter: body.length % 4 === 1,
  };
  if (invalid || padInMiddle) return reading;
  reading.bytes = decodeSextets(body);
  return reading;
}

function decodeSextets(body: string): Uint8Array {
  const usable = body.length - (body.length % 4 === 1 ? 1 : 0);
  const bytes = new Uint8Array(Math.floor((usable * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let out = 0;
  for (let i = 0; i < usable; i++) {
    buffer = ((buffer << 6) | (SEXTETS.get(body[i]) ?? 0)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes;
}

/** Standard, padded base64 of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    text += STANDARD[(chunk >> 18) & 63] + STANDARD[(chunk >> 12) & 63];
    text += i + 1 < bytes.length ? STANDARD[(chunk >> 6) & 63] : '=';
    text += i + 2 < bytes.length ? STANDARD[chunk & 63] : '=';
  }
  return text;
}

/** Decodes base64url (JWT segments): null when the text is not base64url without padding. */
export function decodeBase64Url(segment: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) return null;
  return decodeSextets(segment);
}
