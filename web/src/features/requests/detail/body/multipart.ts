/**
 * multipart/form-data (and other multipart/*) split by hand, over bytes: the boundary from the Content-Type, each
 * part's headers as text and its body as the bytes received. Nothing is re-encoded, so a part downloads exactly as
 * it was sent.
 */

/** One part: its headers in order, what Content-Disposition names, and its bytes. */
export interface MultipartPart {
  headers: [name: string, value: string][];
  /** Content-Disposition's name (the form field), or null. */
  name: string | null;
  /** Content-Disposition's filename (filename* decoded when present), or null when the part is not a file. */
  filename: string | null;
  contentType: string | null;
  body: Uint8Array;
}

/** The parts, and whether the body ended before the closing delimiter (truncated at capture, or malformed). */
export interface Multipart {
  parts: MultipartPart[];
  complete: boolean;
}

/** A Content-Type parameter's value (quotes and backslash escapes removed), or null. */
export function contentTypeParameter(contentType: string, wanted: string): string | null {
  const pattern = /;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const match of contentType.matchAll(pattern)) {
    if (match[1].toLowerCase() !== wanted) continue;
    const raw = match[2].trim();
    return raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return null;
}

/** The boundary of a multipart Content-Type, or null when the type is not multipart or names none. */
export function multipartBoundary(contentType: string | null): string | null {
  if (contentType === null || !/^\s*multipart\//i.test(contentType)) return null;
  const boundary = contentTypeParameter(contentType, 'boundary');
  return boundary === null || boundary === '' || boundary.length > 200 ? null : boundary;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  outer: for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const CRLF = new Uint8Array([13, 10]);
const HEADER_END = new Uint8Array([13, 10, 13, 10]);

/** filename*=UTF-8''na%C3%AFve.txt → "naïve.txt"; null when it cannot be decoded. */
function decodeExtended(value: string): string | null {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!match) return null;
  try {
    const bytes = Uint8Array.from(match[2].replace(/%([0-9a-f]{2})|([^%])/gi, (_, hex: string | undefined, char: string) => String.fromCharCode(hex ? parseInt(hex, 16) : char.charCodeAt(0))), (c) => c.charCodeAt(0));
    return new TextDecoder(match[1] || 'utf-8').decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Splits `bytes` on `--boundary` lines (RFC 2046 §5.1.1): the preamble and epilogue are dropped, each part's
 * headers end at the first blank line. Never throws; a body without the opening delimiter has no parts.
 */
export function parseMultipart(bytes: Uint8Array, boundary: string): Multipart {
  const encoder = new TextEncoder();
  const opening = encoder.encode(`--${boundary}`);
  const between = encoder.encode(`\r\n--${boundary}`);
  const decoder = new TextDecoder('utf-8');
  const parts: MultipartPart[] = [];
  let at = bytes.length >= opening.length && indexOf(bytes.subarray(0, opening.length), opening, 0) === 0 ? 0 : indexOf(bytes, between, 0);
  if (at === -1) return { parts, complete: false };
  at += at === 0 ? opening.length : between.length;
  for (;;) {
    if (bytes[at] === 45 && bytes[at + 1] === 45) return { parts, complete: true };
    const lineEnd = indexOf(bytes, CRLF, at);
    if (lineEnd === -1) return { parts, complete: false };
    const start = lineEnd + 2;
    const next = indexOf(bytes, between, start);
    const end = next === -1 ? bytes.length : next;
    parts.push(readPart(bytes.subarray(start, end), decoder));
    if (next === -1) return { parts, complete: false };
    at = next + between.length;
  }
}

function readPart(part: Uint8Array, decoder: TextDecoder): MultipartPart {
  const noHeaders = part[0] === 13 && part[1] === 10;
  const split = noHeaders ? 0 : indexOf(part, HEADER_END, 0);
  const headerText = split === -1 ? decoder.decode(part) : decoder.decode(part.subarray(0, split));
  const body = noHeaders ? part.subarray(2) : split === -1 ? new Uint8Array(0) : part.subarray(split + 4);
  const headers: [string, string][] = [];
  for (const line of headerText.split(/\r\n(?![ \t])/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim().replace(/\r\n[ \t]+/g, ' ')]);
  }
  const header = (wanted: string) => headers.find(([name]) => name.toLowerCase() === wanted)?.[1] ?? null;
  const disposition = header('content-disposition');
  const extended = disposition === null ? null : contentTypeParameter(disposition, 'filename*');
  return {
    headers,
    name: disposition === null ? null : contentTypeParameter(disposition, 'name'),
    filename: (extended === null ? null : decodeExtended(extended)) ?? (disposition === null ? null : contentTypeParameter(disposition, 'filename')),
    contentType: header('content-type'),
    body,
  };
}
