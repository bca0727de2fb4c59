/**
 * What the header builder produces: the exact Authorization header for Zendesk API credentials, and the curl and
 * Python `requests` lines that send it, so that a person can compare what they send with what was captured.
 */
import { utf8ToBase64 } from '../../lib/bytes';

/** The credential forms Zendesk's API takes. */
export type BuilderMode = 'api-token' | 'password' | 'bearer';

/** What the person typed. */
export interface BuilderInput {
  mode: BuilderMode;
  email: string;
  /** The API token, the password or the bearer token, depending on `mode`. */
  secret: string;
}

/** The Basic user-id: Zendesk marks an API token by "/token" after the email. */
export function basicUser(input: BuilderInput): string {
  return input.mode === 'api-token' ? `${input.email}/token` : input.email;
}

/** The exact Authorization header value; Basic credentials are UTF-8 encoded (RFC 7617 charset="UTF-8"). */
export function authorizationValue(input: BuilderInput): string {
  if (input.mode === 'bearer') return `Bearer ${input.secret}`;
  return `Basic ${utf8ToBase64(`${basicUser(input)}:${input.secret}`)}`;
}

/** A POSIX shell single-quoted word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A curl command that POSTs a small JSON body with the header to `url`. */
export function curlLine(input: BuilderInput, url: string): string {
  return [
    'curl -X POST',
    shellQuote(url),
    '-H',
    shellQuote(`Authorization: ${authorizationValue(input)}`),
    '-H',
    shellQuote('Content-Type: application/json'),
    '-d',
    shellQuote('{"name":"test webhook"}'),
  ].join(' ');
}

/** A Python single-quoted string literal. */
export function pythonQuote(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `'${escaped}'`;
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/**
 * The `requests.Session` snippet Zendesk's articles use. requests encodes str credentials as Latin-1, so non-ASCII
 * ones are passed as UTF-8 bytes to produce the same header as above.
 */
export function pythonSnippet(input: BuilderInput, url: string): string {
  const literal = (text: string) => (isAscii(text) ? pythonQuote(text) : `${pythonQuote(text)}.encode('utf-8')`);
  const authLine =
    input.mode === 'bearer'
      ? `session.headers['Authorization'] = ${pythonQuote(`Bearer ${input.secret}`)}`
      : `session.auth = (${literal(basicUser(input))}, ${literal(input.secret)})`;
  return [
    'import requests',
    '',
    'session = requests.Session()',
    authLine,
    `response = session.post(${pythonQuote(url)}, json={'name': 'test webhook'})`,
    'print(response.status_code, response.text)',
  ].join('\n');
}
