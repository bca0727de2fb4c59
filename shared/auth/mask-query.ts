/** maskQuery: a raw query string with its credential values masked, for one-line summaries. */
import { maskSecret } from './mask';
import { joinQuery, parseQuery } from './query';
import { isCredentialQueryPart } from './scan';
import { findTokenSpans } from './token-prefixes';

/**
 * The query as written with the value of every credential parameter masked by maskSecret, the way the request
 * detail masks it: a parameter is a credential when decodeCredentials would report it (by name, or because its
 * value is or holds a JWT or a known token format), and then every parameter of that name (case-insensitive) is
 * masked. Parameters are separated by "&" or ";", both kept as written; a name that is itself a token is masked
 * too. The raw (still percent-encoded) value is what is masked. Never throws: on an internal failure every value
 * is masked.
 */
export function maskQuery(query: string): string {
  const text = typeof query === 'string' ? query : '';
  try {
    const parts = parseQuery(text);
    const names = new Set(parts.filter(isCredentialQueryPart).map((part) => part.name.toLowerCase()));
    const secretNames = parts.some((part) => findTokenSpans(part.name).length > 0);
    if (names.size === 0 && !secretNames) return text;
    return joinQuery(parts, (part) => {
      const rawName = findTokenSpans(part.name).length > 0 ? maskSecret(part.rawName).masked : part.rawName;
      if (!part.hasValue) return rawName;
      const rawValue = part.raw.slice(part.rawName.length + 1);
      return `${rawName}=${names.has(part.name.toLowerCase()) ? maskSecret(rawValue).masked : rawValue}`;
    });
  } catch {
    return text
      .split(/[&;]/)
      .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=${maskSecret(pair.slice(pair.indexOf('=') + 1)).masked}` : pair))
      .join('&');
  }
}
