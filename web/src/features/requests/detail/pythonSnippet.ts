/**
 * A captured request as a Python `requests` call that sends it again (contract.md "Export": copy as Python
 * `requests`): the same method, URL, headers in order and case (Host and Content-Length aside: requests sets them)
 * and body bytes. Built in the browser, only when someone copies it: header values are the real ones.
 */
import type { HeaderPair } from '../../../../../shared/types';

/** A Python str literal of `text` (JSON's escapes are Python's too). */
function pythonString(text: string): string {
  return JSON.stringify(text);
}

/** A Python bytes literal of `bytes`: printable ASCII as is, everything else escaped. */
function pythonBytes(bytes: Uint8Array): string {
  let literal = 'b"';
  for (const byte of bytes) {
    if (byte === 0x22) literal += '\\"';
    else if (byte === 0x5c) literal += '\\\\';
    else if (byte === 0x0a) literal += '\\n';
    else if (byte === 0x0d) literal += '\\r';
    else if (byte === 0x09) literal += '\\t';
    else if (byte >= 0x20 && byte < 0x7f) literal += String.fromCharCode(byte);
    else literal += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${literal}"`;
}

const SET_BY_REQUESTS = new Set(['host', 'content-length']);

/** The snippet for a request sent to `url` (its capture URL with path and query). */
export function pythonSnippet(request: { method: string; headers: readonly HeaderPair[] }, url: string, body: Uint8Array): string {
  const headers = request.headers.filter(([name]) => !SET_BY_REQUESTS.has(name.toLowerCase()));
  const lines = [
    'import requests',
    '',
    'response = requests.request(',
    `    ${pythonString(request.method)},`,
    `    ${pythonString(url)},`,
    '    headers=[',
    ...headers.map(([name, value]) => `        (${pythonString(name)}, ${pythonString(value)}),`),
    '    ],',
    `    data=${pythonBytes(body)},`,
    ')',
    'print(response.status_code, response.text)',
    '',
  ];
  return lines.join('\n');
}

/** Where a request was sent: the bin's capture URL, then its path (after /b/{binId}) and query. */
export function requestUrl(captureUrl: string, request: { path: string; query: string }): string {
  return `${captureUrl}${request.path === '/' ? '' : request.path}${request.query === '' ? '' : `?${request.query}`}`;
}
