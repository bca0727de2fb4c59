/** The raw query string, read as application/x-www-form-urlencoded pairs without losing how it was written. */

/** One `name=value` of the query string, raw and decoded. */
export interface QueryPart {
  /** As written, still percent-encoded. */
  raw: string;
  rawName: string;
  /** Decoded ("+" as space, %XX as UTF-8); the raw text when it does not decode. */
  name: string;
  value: string;
  hasValue: boolean;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Splits `a=1&b=%20&c` into parts, in order; empty parts are kept so that the string can be rebuilt. */
export function parseQuery(query: string): QueryPart[] {
  const text = String(query ?? '');
  if (text === '') return [];
  return text.split('&').map((raw) => {
    const equals = raw.indexOf('=');
    const rawName = equals === -1 ? raw : raw.slice(0, equals);
    const rawValue = equals === -1 ? '' : raw.slice(equals + 1);
    return { raw, rawName, name: decodeComponent(rawName), value: decodeComponent(rawValue), hasValue: equals !== -1 };
  });
}
