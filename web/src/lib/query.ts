/** Reading a raw query string as parameters, without losing how they were sent. */

/** One parameter: decoded name and value for reading, and the raw pair as sent. */
export interface QueryParam {
  name: string;
  value: string;
  raw: string;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The parameters in order, duplicates kept; a malformed escape is shown as sent. */
export function parseQuery(query: string): QueryParam[] {
  if (query === '') return [];
  return query.split('&').map((raw) => {
    const equals = raw.indexOf('=');
    const name = equals === -1 ? raw : raw.slice(0, equals);
    const value = equals === -1 ? '' : raw.slice(equals + 1);
    return { name: decode(name), value: decode(value), raw };
  });
}
