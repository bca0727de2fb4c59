/**
 * The base64 layer of Basic credentials (RFC 7617): what is wrong with the encoding, said plainly, and the
 * bytes when they can be read anyway.
 */
import type { Finding } from '../types';
import { readBase64 } from './base64';
import { characters, finding } from './decoded';
import { joseShape } from './jwt';
import { identifyToken } from './token-prefixes';

/** The bytes of Basic credentials, or why there are none; `problems` lists every encoding fault found. */
export type BasicBytes =
  | { ok: true; bytes: Uint8Array; problems: Finding[] }
  /** `clearText`: the value was user-id:password never encoded, and is to be read as is. */
  | { ok: true; clearText: string; problems: Finding[] }
  | { ok: false; problems: Finding[] };

/** A hint for credentials that are not Basic at all, e.g. a JWT after "Basic"; "" when none applies. */
export function misplacedTokenHint(value: string): string {
  if (joseShape(value)) return ' It looks like a JWT: it probably belongs after "Bearer", not "Basic".';
  const match = identifyToken(value, true);
  return match ? ` It looks like a ${match.format.label}: it probably belongs after "Bearer", or as the password.` : '';
}

/** Reads the base64 of Basic credentials, naming each departure from standard padded base64. Never throws. */
export function readBasicBytes(credentials: string): BasicBytes {
  const reading = readBase64(credentials);
  const problems: Finding[] = [];
  if (reading.invalid) {
    const { invalid } = reading;
    if (invalid.hasColon) {
      problems.push(
        finding(
          'basic-not-encoded',
          'error',
          'The credentials are not base64-encoded: they contain ":", so the sender put user-id:password in clear. Basic needs base64(user-id:password); it is read here as clear text.',
        ),
      );
      return { ok: true, clearText: credentials, problems };
    }
    const count = invalid.count === 1 ? '1 character' : `${invalid.count} characters`;
    problems.push(
      finding(
        'basic-invalid-base64',
        'error',
        `The credentials are not base64: ${count} outside the base64 alphabet (the first, at position ${invalid.firstAt + 1}, is ${invalid.firstClass}), so they cannot be decoded. The sender probably sent something other than base64(user-id:password).${misplacedTokenHint(credentials)}`,
      ),
    );
    return { ok: false, problems };
  }
  if (reading.whitespaceInside) {
    problems.push(
      finding(
        'basic-whitespace-inside',
        'warning',
        'The credentials contain whitespace, which base64 never does; they are read with it removed. The sender probably wrapped the value or joined two pieces; servers will reject it.',
      ),
    );
  }
  if (reading.urlAlphabet) {
    problems.push(
      finding(
        'basic-base64url',
        'warning',
        'The credentials use the base64url alphabet ("-" or "_"); Basic uses standard base64 ("+" and "/"). Read as base64url here, but servers will decode them to different bytes or reject them.',
      ),
    );
  }
  if (reading.padding === 'bad') {
    problems.push(
      finding(
        'basic-bad-padding',
        reading.bytes ? 'warning' : 'error',
        reading.bytes
          ? 'The "=" padding is wrong: there are too many or too few "=" for the length. Read without it; strict servers will reject it.'
          : 'There is "=" padding in the middle of the credentials, so they cannot be decoded; the sender probably joined two base64 values.',
      ),
    );
  }
  if (reading.padding === 'missing' || reading.danglingCharacter) {
    const length = credentials.replace(/\s/g, '').length;
    problems.push(
      reading.danglingCharacter
        ? finding(
            'basic-length-not-multiple-of-4',
            'error',
            `The length (${characters(length)} without padding) leaves one character that carries no whole byte; it was ignored. The value was probably cut short or has a stray character.`,
          )
        : finding(
            'basic-length-not-multiple-of-4',
            'warning',
            `The length (${characters(length)}) is not a multiple of 4: the "=" padding is missing. Read as if it were there; strict servers will reject it.`,
          ),
    );
  }
  if (!reading.bytes) return { ok: false, problems };
  return { ok: true, bytes: reading.bytes, problems };
}

/**
 * When `text` (credentials decoded once, with no colon) is itself clean base64 of something with a colon,
 * the bytes of that inner value; otherwise null.
 */
export function readDoubleEncoded(text: string): Uint8Array | null {
  if (text.length < 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const inner = readBase64(text);
  if (!inner.bytes || inner.padding !== 'ok' || inner.invalid) return null;
  return inner.bytes.includes(0x3a) ? inner.bytes : null;
}
