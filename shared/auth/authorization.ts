/**
 * An Authorization or Proxy-Authorization value (RFC 9110 §11.6.2): `scheme [1*SP (token68 / #auth-param)]`.
 * Finds the scheme, reports how it is written, and hands the rest to the scheme's decoder.
 */
import type { Finding } from '../types';
import { decodeBasic } from './basic';
import { decodeBearer, looksLikeEncodedPair } from './bearer';
import { REDACTED, characters, finding } from './decoded';
import type { DecodedValue } from './decoded';
import { decodeDigest } from './digest';
import { decodeSigV4, isSigV4Scheme } from './sigv4';
import { identifyToken } from './token-prefixes';
import { decodeTokenValue } from './token-value';

/** How each well-known scheme is usually written; any case is valid. */
const CANONICAL_SCHEMES: Record<string, string> = {
  basic: 'Basic',
  bearer: 'Bearer',
  digest: 'Digest',
  token: 'Token',
  negotiate: 'Negotiate',
  ntlm: 'NTLM',
  hoba: 'HOBA',
  mutual: 'Mutual',
  dpop: 'DPoP',
  'aws4-hmac-sha256': 'AWS4-HMAC-SHA256',
  'aws4-ecdsa-p256-sha256': 'AWS4-ECDSA-P256-SHA256',
  'scram-sha-256': 'SCRAM-SHA-256',
};

const SCHEME_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An authorization header decoded: its scheme, its credential, and the value to log instead. */
export interface DecodedAuthorization {
  /** As usually written ("Basic"), or as received for a scheme we do not know; null when there is none. */
  scheme: string | null;
  decoded: DecodedValue;
  /** The whole header value with the secret replaced. */
  redactedValue: string;
}

function withoutScheme(value: string, now: number): DecodedAuthorization {
  const basic = looksLikeEncodedPair(value);
  const decoded = basic ? decodeBasic(value) : decodeTokenValue(value, now, 'token');
  const meant = basic ? 'Basic' : 'Bearer';
  decoded.problems.unshift(
    finding('auth-missing-scheme', 'warning', `The value has no scheme, only credentials; the sender probably meant "${meant} <credentials>". Servers will reject it.`),
  );
  return { scheme: null, decoded, redactedValue: decoded.redacted };
}

function decodeOtherScheme(scheme: string, credentials: string, now: number): DecodedValue {
  if (credentials === '') {
    return {
      kind: 'other',
      label: `${scheme} with no credentials`,
      problems: [finding('auth-missing-credentials', 'info', `The scheme "${scheme}" is not followed by credentials; that is only valid for a first step of some handshakes.`)],
      redacted: '',
    };
  }
  if (/^[A-Za-z0-9\-._~+/]+=*$/.test(credentials)) {
    const token = decodeTokenValue(credentials, now, `${scheme} credentials`);
    if (token.kind === 'jwt' || token.kind === 'jwe') return token;
    return { ...token, kind: 'other' };
  }
  return {
    kind: 'other',
    label: `${scheme} credentials (${characters(Array.from(credentials).length)})`,
    secret: credentials,
    problems: [],
    redacted: REDACTED,
  };
}

function decodeForScheme(lowerScheme: string, scheme: string, credentials: string, now: number): DecodedValue {
  if (lowerScheme === 'basic') return decodeBasic(credentials);
  if (lowerScheme === 'bearer') return decodeBearer(credentials, now);
  if (lowerScheme === 'digest') return decodeDigest(credentials);
  if (isSigV4Scheme(lowerScheme)) return decodeSigV4(credentials);
  return decodeOtherScheme(scheme, credentials, now);
}

/** GitHub documents `Authorization: token <token>` in lowercase, so that spelling is not worth a note for its tokens. */
function githubLowercaseToken(written: string, credentials: string): boolean {
  return written === 'token' && (identifyToken(credentials.trim(), true)?.format.label.startsWith('GitHub ') ?? false);
}

function schemeProblems(written: string, canonical: string | undefined, separator: string, credentials: string): Finding[] {
  const problems: Finding[] = [];
  if (canonical && written !== canonical && !githubLowercaseToken(written, credentials)) {
    problems.push(finding('auth-scheme-case', 'info', `The scheme is written "${written}"; schemes are case-insensitive, so this is valid, but some servers only accept "${canonical}".`));
  }
  if (separator.length > 1 || separator.includes('\t')) {
    const what = separator.includes('\t') ? 'is a tab' : `are ${separator.length} spaces`;
    problems.push(finding('auth-extra-spaces', 'warning', `There ${what} between the scheme and the credentials; one space is usual, and servers that split at a single space will read the credentials wrong.`));
  }
  return problems;
}

/** Decodes one Authorization / Proxy-Authorization value at `now` (ms). Never throws. */
export function decodeAuthorization(value: string, now: number): DecodedAuthorization {
  const trimmed = String(value).trim();
  if (trimmed === '') {
    const decoded: DecodedValue = {
      kind: 'other',
      label: 'Empty authorization',
      problems: [finding('auth-empty', 'error', 'The header is present but empty: no scheme and no credentials. The sender probably has an empty credential setting.')],
      redacted: '',
    };
    return { scheme: null, decoded, redactedValue: '' };
  }
  const [, written, separator, rest] = /^(\S+)(\s*)([\s\S]*)$/.exec(trimmed) ?? ['', trimmed, '', ''];
  const lower = written.toLowerCase();
  const canonical = CANONICAL_SCHEMES[lower];
  if (!canonical && rest === '') return withoutScheme(trimmed, now);
  if (!SCHEME_TOKEN.test(written)) {
    const decoded: DecodedValue = {
      kind: 'other',
      label: 'Unreadable authorization',
      secret: trimmed,
      problems: [finding('auth-malformed', 'error', 'The value does not start with a scheme name (letters, digits and a few symbols); servers cannot read it.')],
      redacted: REDACTED,
    };
    return { scheme: null, decoded, redactedValue: REDACTED };
  }
  const scheme = canonical ?? written;
  const problems = schemeProblems(written, canonical, separator, rest);
  let credentials = rest;
  let repeated = '';
  const doubled = /^(basic|bearer|token)([ \t]+)(\S[\s\S]*)$/i.exec(rest);
  if (doubled && CANONICAL_SCHEMES[doubled[1].toLowerCase()]) {
    repeated = doubled[1] + doubled[2];
    credentials = doubled[3];
    problems.push(finding('auth-duplicated-scheme', 'warning', `The scheme appears twice ("${written} ${doubled[1]} …"); the sender probably added it to a setting that already had it. Read without the second one.`));
  }
  const decoded = decodeForScheme(lower, scheme, credentials, now);
  decoded.problems.unshift(...problems);
  const redactedValue = decoded.redacted === '' ? trimmed : `${written}${separator}${repeated}${decoded.redacted}`;
  return { scheme, decoded, redactedValue };
}
