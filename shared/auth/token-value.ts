/**
 * What a bare token is — a JWT or JWE, a known provider's format, or opaque — wherever it was found
 * (after "Bearer", in an API-key header, in the query string).
 */
import { REDACTED, characters, finding } from './decoded';
import type { DecodedValue } from './decoded';
import { decodeJose } from './jwt';
import { identifyToken } from './token-prefixes';

/** The kinds of characters a value is made of, e.g. "lowercase hex" or "letters, digits and - _". */
export function describeCharacters(value: string): string {
  if (/^[0-9]+$/.test(value)) return 'digits only';
  if (/^[0-9a-f]+$/.test(value)) return 'lowercase hex';
  if (/^[0-9A-F]+$/.test(value)) return 'uppercase hex';
  const classes: string[] = [];
  if (/[a-z]/.test(value)) classes.push('lowercase letters');
  if (/[A-Z]/.test(value)) classes.push('uppercase letters');
  if (/[0-9]/.test(value)) classes.push('digits');
  const symbols = [...new Set(value.replace(/[A-Za-z0-9]/g, ''))];
  const printable = symbols.filter((symbol) => /^[!-~]$/.test(symbol)).sort();
  if (printable.length) classes.push(printable.join(' '));
  if (printable.length < symbols.length) classes.push('other characters');
  if (classes.length <= 1) return classes[0] ?? 'nothing';
  return `${classes.slice(0, -1).join(', ')} and ${classes[classes.length - 1]}`;
}

/**
 * Names a token. `where` completes "an opaque …" in the label (e.g. "token", "API key").
 * The whole value is the secret. Never throws.
 */
export function decodeTokenValue(value: string, now: number, where: string): DecodedValue {
  const jose = decodeJose(value, now);
  if (jose) return jose;
  const match = identifyToken(value, true);
  if (match) {
    const { format } = match;
    const problems = match.exact
      ? []
      : [
          finding(
            'token-unexpected-shape',
            'info',
            `It starts like a ${format.label} ("${format.prefix}") but its length or characters differ from that format: it may be cut short or altered.`,
          ),
        ];
    return {
      kind: 'bearer',
      label: format.label,
      token: format.label,
      secret: value,
      details: { length: String(Array.from(value).length) },
      problems,
      redacted: format.prefix + REDACTED,
    };
  }
  const length = Array.from(value).length;
  return {
    kind: 'bearer',
    label: `Opaque ${where} (${characters(length)})`,
    secret: value,
    details: { length: String(length), characters: describeCharacters(value) },
    problems: [],
    redacted: REDACTED,
  };
}
