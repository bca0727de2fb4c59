/**
 * The raw query string, read as application/x-www-form-urlencoded pairs without losing how it was written.
 * Both `&` and `;` separate pairs: many servers (Rack, older Python and Go, Java's matrix-aware routers) split on
 * `;` too, so a credential after a `;` must be found wherever a server might read it.
 */

/** One `name=value` of the query string, raw and decoded. */
export interface QueryPart {
  /** As written, still percent-encoded. */
  raw: string;
  rawName: string;
  /** The separator written before this part: "" for the first, else "&" or ";". */
  separator: string;
  /** Decoded ("+" as space, %XX as UTF-8); escapes that do not decode stay as written. */
  name: string;
  value: string;
  hasValue: boolean;
}

const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Decodes a form-encoded component: "+" as space and %XX as UTF-8. A malformed escape or invalid UTF-8 does not
 * spoil the rest: each run of escapes that decodes is decoded, the others stay as written (so `api%5Fkey%ZZ`
 * still reads "api_key%ZZ"). Never throws.
 */
export function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(ESCAPES, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

function part(raw: string, separator: string): QueryPart {
  const equals = raw.indexOf('=');
  const rawName = equals === -1 ? raw : raw.slice(0, equals);
  const rawValue = equals === -1 ? '' : raw.slice(equals + 1);
  return { raw, rawName, separator, name: decodeComponent(rawName), value: decodeComponent(rawValue), hasValue: equals !== -1 };
}

/**
 * Splits `a=1&b=%20;c` into parts, in order, each with the separator written before it; empty parts are kept,
 * so that joinQuery rebuilds the string exactly.
 */
export function parseQuery(query: string): QueryPart[] {
  const text = String(query ?? '');
  if (text === '') return [];
  const parts: QueryPart[] = [];
  let start = 0;
  let separator = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '&' && char !== ';') continue;
    parts.push(part(text.slice(start, i), separator));
    separator = char;
    start = i + 1;
  }
  parts.push(part(text.slice(start), separator));
  return parts;
}

/** The query rebuilt from its parts, each written as `write(part)` after its own separator. */
export function joinQuery(parts: readonly QueryPart[], write: (part: QueryPart) => string): string {
  let text = '';
  for (const item of parts) text += item.separator + write(item);
  return text;
}
