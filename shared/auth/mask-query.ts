/** maskQuery: a raw query string with its credential values masked, for one-line summaries. */
import { maskSecret } from './mask';
import { parseQuery } from './query';
import { isCredentialQueryPart } from './scan';

/**
 * The query as written with the value of every credential parameter masked by maskSecret, the way the request
 * detail masks it: a parameter is a credential when decodeCredentials would report it (by name, or because its
 * value is a JWT or a known token format), and then every parameter of that name (case-insensitive) is masked.
 * The raw (still percent-encoded) value is what is masked. Never throws: on an internal failure every value is
 * masked.
 */
export function maskQuery(query: string): string {
  const text = typeof query === 'string' ? query : '';
  try {
    const parts = parseQuery(text);
    const names = new Set(parts.filter(isCredentialQueryPart).map((part) => part.name.toLowerCase()));
    if (names.size === 0) return text;
    return parts
      .map((part) => (part.hasValue && names.has(part.name.toLowerCase()) ? `${part.rawName}=${maskSecret(part.raw.slice(part.rawName.length + 1)).masked}` : part.raw))
      .join('&');
  } catch {
    return text
      .split('&')
      .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=${maskSecret(pair.slice(pair.indexOf('=') + 1)).masked}` : pair))
      .join('&');
  }
}
