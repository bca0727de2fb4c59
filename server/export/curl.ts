/**
 * "Copy as cURL": a captured request as one bash command that sends it again, byte for byte (bash 5 and curl 7.88
 * or later, as in Debian 12). Pure: no I/O. It works from the stored bytes: header values and the request-target
 * are latin1 strings (one character a byte), the body a Buffer.
 *
 * Quoting: every value from the capture is one bash word that stands for exactly its bytes and runs nothing. A
 * value of printable ASCII without `'` goes in single quotes, where bash interprets nothing (history expansion
 * included); any other goes in ANSI-C quotes, $'…', with every byte that is not printable ASCII, and `'`, `\` and
 * `!`, written as \xHH: nothing inside can end the quote or reach an expansion. So the command is ASCII whatever the
 * request holds, and no terminal, clipboard or charset on the way to bash can change a byte of it.
 *
 * The body goes to curl's standard input (`--data-binary @-`) from bash's printf builtin: from a format of escapes
 * when it is UTF-8 text (readable; NUL bytes included), else as base64 through `base64 -d` (coreutils). No argument
 * of an executed program carries it, so exec's limit on an argument's length does not apply, and no byte is lost.
 */
import { isUtf8 } from 'node:buffer';
import type { FullRequestRecord } from '../store';
import type { Destination } from './destination';

/** Headers curl adds of its own accord, removed with an empty `-H 'Name:'` unless the capture has them. */
const CURL_DEFAULTS = ['User-Agent', 'Accept'];
/** What curl adds when it sends a body: the type of a form, and `Expect: 100-continue` for a large one. */
const CURL_BODY_DEFAULTS = ['Content-Type', 'Expect'];

/**
 * The bash command that sends `record` to `destination`: the same method; the request-target byte for byte (in the
 * URL with --path-as-is when curl's URL parser keeps it as it is, else with --request-target, which curl sends as
 * given); every header in order and case, duplicates and empty values kept, except Host (curl sends the
 * destination's, first) and Content-Length (the body's length, where the first one stood); curl's own headers
 * suppressed; the body bytes as stored (a truncated body too). HTTP/1.0 when it came so, else HTTP/1.1. A note on
 * a first line says what cannot be sent again (the trailers) or is not whole (a truncated body).
 */
export function curlCommand(record: FullRequestRecord, destination: Destination): string {
  const lower = record.headers.map(([name]) => name.toLowerCase());
  const has = (name: string): boolean => lower.includes(name.toLowerCase());
  // A chunked capture is sent chunked again (curl does so when it sees the header), an empty one too.
  const sendsBody = record.body.length > 0 || has('transfer-encoding');

  const options: string[] = ['-q', record.httpVersion === '1.0' ? '--http1.0' : '--http1.1'];
  // -X HEAD would wait for the body the answer announces: --head does not.
  options.push(record.method === 'HEAD' && !sendsBody ? '--head' : `-X ${shellWord(record.method)}`);
  if (isPlainTarget(destination.target)) {
    options.push(shellWord(destination.origin + destination.target), '--path-as-is');
  } else {
    options.push(shellWord(destination.origin), `--request-target ${shellWord(destination.target)}`);
  }
  // [] and {} are curl's URL globbing: an IPv6 address is not a range.
  if (/[[\]{}]/.test(destination.origin)) options.push('--globoff');

  const lines = [`curl ${options.join(' ')}`];
  let lengthSent = false;
  record.headers.forEach(([name, value], i) => {
    if (lower[i] === 'host') return;
    if (lower[i] === 'content-length') {
      if (!lengthSent) lines.push(`-H ${shellWord(`${name}: ${record.body.length}`)}`);
      lengthSent = true;
      return;
    }
    // `Name:` alone would remove the header; `Name;` sends it with an empty value.
    lines.push(`-H ${shellWord(value === '' ? `${name};` : `${name}: ${value}`)}`);
  });
  const absent = [...CURL_DEFAULTS, ...(sendsBody ? CURL_BODY_DEFAULTS : [])].filter((name) => !has(name));
  if (absent.length > 0) lines.push(absent.map((name) => `-H ${shellWord(`${name}:`)}`).join(' '));
  if (sendsBody) lines.push('--data-binary @-');

  const command = lines.join(' \\\n  ');
  const notes = [
    ...(record.truncated ? [`the body was cut at --max-body: ${record.body.length} of ${record.size} bytes are sent`] : []),
    ...(record.trailers ? [`the ${record.trailers.length} trailer field(s) after the body are not sent (curl cannot)`] : []),
  ].map((note) => `# ${note}\n`);
  return `${notes.join('')}${sendsBody ? `${bodyWriter(record.body)} | ` : ''}${command}\n`;
}

/** The command that writes `body` to its standard output, exactly. */
function bodyWriter(body: Buffer): string {
  if (!isUtf8(body)) return `printf %s '${body.toString('base64')}' | base64 -d`;
  let format = '';
  for (const byte of body) format += PRINTF_ESCAPES.get(byte) ?? (isPrintable(byte) ? String.fromCharCode(byte) : hex(byte));
  // A format that starts with "-" would be read as an option.
  return `printf ${format.startsWith('-') ? '-- ' : ''}'${format}'`;
}

/** What printf's format must escape inside single quotes; other printable ASCII stands for itself. */
const PRINTF_ESCAPES = new Map<number, string>([
  [0x25, '%%'], [0x5c, '\\\\'], [0x27, '\\x27'], [0x0a, '\\n'], [0x09, '\\t'], [0x0d, '\\r'],
]);

/** A target curl's URL parser (with --path-as-is) sends as it is: RFC 3986 characters, whole %HH escapes, no "#". */
function isPlainTarget(target: string): boolean {
  return /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/.test(target) && !target.endsWith('?');
}

/**
 * `value` (one character a byte; a character above 0xff stands for its UTF-8 bytes) as one bash word: bare when it
 * is made of characters that mean nothing to bash, in single quotes when printable ASCII without `'`, else $'…'.
 */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=,./-]+$/.test(value)) return value;
  if (/^[\x20-\x26\x28-\x7e]*$/.test(value)) return `'${value}'`;
  let quoted = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    const bytes = code <= 0xff ? [code] : [...Buffer.from(char, 'utf8')];
    for (const byte of bytes) quoted += isPrintable(byte) && !ANSI_C_SPECIAL.has(byte) ? String.fromCharCode(byte) : hex(byte);
  }
  return `$'${quoted}'`;
}

/** Inside $'…': the quote, the escape character, and history expansion's `!`. */
const ANSI_C_SPECIAL = new Set([0x27, 0x5c, 0x21]);

function isPrintable(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e;
}

function hex(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}
