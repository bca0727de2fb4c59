/**
 * UTF-8 and Latin-1 byte ↔ text conversions written out by hand, so that they behave the same on Node and in
 * browsers and can say where invalid UTF-8 starts (TextDecoder only says that it failed).
 */

/** UTF-8 bytes of `text`; a lone surrogate becomes U+FFFD, as TextEncoder does. */
export function encodeUtf8(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else {
      bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
  }
  return Uint8Array.from(bytes);
}

/** The text, or the byte offset where the first invalid sequence starts. */
export type Utf8Result = { ok: true; text: string } | { ok: false; invalidAt: number };

/** Strict UTF-8 decoding: overlong forms, surrogates and code points above U+10FFFF are invalid. */
export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i];
    let length: number;
    let code: number;
    let minimum: number;
    if (first < 0x80) {
      text += String.fromCharCode(first);
      i++;
      continue;
    } else if (first >= 0xc2 && first <= 0xdf) [length, code, minimum] = [2, first & 0x1f, 0x80];
    else if (first >= 0xe0 && first <= 0xef) [length, code, minimum] = [3, first & 0x0f, 0x800];
    else if (first >= 0xf0 && first <= 0xf4) [length, code, minimum] = [4, first & 0x07, 0x10000];
    else return { ok: false, invalidAt: i };
    if (i + length > bytes.length) return { ok: false, invalidAt: i };
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if ((next & 0xc0) !== 0x80) return { ok: false, invalidAt: i };
      code = (code << 6) | (next & 0x3f);
    }
    if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return { ok: false, invalidAt: i };
    text += String.fromCodePoint(code);
    i += length;
  }
  return { ok: true, text };
}

/** Each byte as the code point of the same value (ISO-8859-1); never fails. */
export function decodeLatin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** Bytes as lower-case hex pairs separated by spaces, e.g. "74 65 a3". */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}
