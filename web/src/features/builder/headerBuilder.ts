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

/** Why the input cannot make a header yet (an empty token or password, which Zendesk would refuse); null when it can. */
export function inputProblem(input: BuilderInput): string | null {
  if (input.secret === '') {
    const what = input.mode === 'api-token' ? 'an API token' : input.mode === 'password' ? 'a password' : 'an access token';
    return `Type ${what}: an empty one is never accepted.`;
  }
  if (input.mode !== 'bearer' && input.email.trim() === '') return 'Type the email of the Zendesk user.';
  return null;
}

const encoder = new TextEncoder();

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function toBase64(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The lowercase hex SHA-256 of `text` as UTF-8: a credential's fingerprint (Credential.secret.sha256). */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * Zendesk's webhook signature (auth-reference.md §1): base64 HMAC-SHA256 keyed with the signing secret as UTF-8 text
 * (not base64-decoded) over TIMESTAMP + BODY.
 */
export async function zendeskSignature(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64(await crypto.subtle.sign('HMAC', key, encoder.encode(timestamp + body)));
}

/** The test request the builder sends: the header built, a JSON body, and Zendesk's signature when a secret is given. */
export async function testRequestHeaders(
  input: BuilderInput,
  body: string,
  signing: { secret: string; timestamp: string } | null,
): Promise<[string, string][]> {
  const headers: [string, string][] = [
    ['Authorization', authorizationValue(input)],
    ['Content-Type', 'application/json'],
  ];
  if (signing) {
    headers.push(['X-Zendesk-Webhook-Signature', await zendeskSignature(signing.secret, signing.timestamp, body)]);
    headers.push(['X-Zendesk-Webhook-Signature-Timestamp', signing.timestamp]);
  }
  return headers;
}
