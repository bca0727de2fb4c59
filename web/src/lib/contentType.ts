/** What a captured request's Content-Type says about how to show its body. */

/** The media type without parameters, lowercased: "application/json" for "Application/JSON; charset=utf-8". */
function mediaType(contentType: string): string {
  return contentType.split(';', 1)[0].trim().toLowerCase();
}

/** True when the Content-Type names JSON: application/json, text/json, or a `+json` type (application/ld+json). */
export function saysJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = mediaType(contentType);
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

/** The `charset` parameter as written (quotes removed), or null when there is none. */
export function charsetOf(contentType: string | null): string | null {
  if (contentType === null) return null;
  for (const parameter of contentType.split(';').slice(1)) {
    const split = parameter.indexOf('=');
    if (split === -1 || parameter.slice(0, split).trim().toLowerCase() !== 'charset') continue;
    const value = parameter
      .slice(split + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    return value === '' ? null : value;
  }
  return null;
}

/**
 * Decodes `bytes` with `charset` when the browser's TextDecoder knows it (iso-8859-1, windows-1252, shift_jis, …);
 * null when it does not, and for UTF-8 (a body that is not valid UTF-8 is not made readable by replacing its bad
 * bytes) and the "replacement" encoding (which decodes nothing).
 */
export function decodeCharset(bytes: Uint8Array, charset: string): string | null {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    return null;
  }
  if (decoder.encoding === 'utf-8' || decoder.encoding === 'replacement') return null;
  return decoder.decode(bytes);
}
