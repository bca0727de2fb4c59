/**
 * JOSE tokens (RFC 7515/7516/7519) read without verifying: a JWS/JWT has three base64url segments, a JWE five,
 * and both start with a JSON header, so "eyJ". Only the header of a JWE is readable.
 */
import type { Finding, JwtInfo } from '../types';
import { decodeBase64Url } from './base64';
import { REDACTED, finding } from './decoded';
import type { DecodedValue } from './decoded';
import { decodeUtf8 } from './utf8';

const SEGMENT = /^[A-Za-z0-9_-]*$/;
/** NumericDate seconds that Date can represent (±8.64e15 ms). */
const MAX_NUMERIC_DATE = 8.64e12;

/** 'jws' for three base64url segments, 'jwe' for five, both starting with a JSON header; otherwise null. */
export function joseShape(token: string): 'jws' | 'jwe' | null {
  if (!token.startsWith('eyJ')) return null;
  const segments = token.split('.');
  if (!segments.every((segment) => SEGMENT.test(segment))) return null;
  if (segments.length === 3) return 'jws';
  if (segments.length === 5) return 'jwe';
  return null;
}

function readJsonObject(segment: string): Record<string, unknown> | null {
  const bytes = decodeBase64Url(segment);
  if (!bytes) return null;
  const text = decodeUtf8(bytes);
  if (!text.ok) return null;
  try {
    const value: unknown = JSON.parse(text.text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** ISO 8601 UTC, without milliseconds when they are zero ("2018-01-18T01:30:22Z"), as NumericDates usually are. */
export function isoTime(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace('.000Z', 'Z');
}

/** "3 days", "1 hour", "45 seconds": the largest whole unit. */
export function describeDuration(milliseconds: number): string {
  const seconds = Math.floor(Math.abs(milliseconds) / 1000);
  const units: [number, string][] = [
    [365 * 86400, 'year'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, name] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `${count} ${name}${count === 1 ? '' : 's'}`;
  }
  return '0 seconds';
}

function textClaim(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  return undefined;
}

/** Reads a NumericDate claim into ISO time; a claim that is present but unusable becomes a problem. */
function readTime(claims: Record<string, unknown>, name: 'iat' | 'exp' | 'nbf', problems: Finding[]): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_NUMERIC_DATE) {
    problems.push(
      finding('jwt-bad-time-claim', 'warning', `The "${name}" claim is not a NumericDate (seconds since 1970 as a number), so it cannot be read as a time.`),
    );
    return undefined;
  }
  return value * 1000;
}

function readTimes(claims: Record<string, unknown>, now: number, info: JwtInfo, details: Record<string, string>, problems: Finding[]): void {
  const issuedAt = readTime(claims, 'iat', problems);
  const expiresAt = readTime(claims, 'exp', problems);
  const notBefore = readTime(claims, 'nbf', problems);
  if (issuedAt !== undefined) {
    info.issuedAt = isoTime(issuedAt);
    if (issuedAt > now + 60_000) {
      problems.push(finding('jwt-issued-in-future', 'info', `The token says it was issued at ${info.issuedAt}, ${describeDuration(issuedAt - now)} from now: the sender's clock is probably wrong.`));
    }
  }
  if (notBefore !== undefined) {
    info.notBefore = isoTime(notBefore);
    if (notBefore > now) {
      problems.push(finding('jwt-not-yet-valid', 'warning', `The token is not valid before ${info.notBefore} (${describeDuration(notBefore - now)} from now); a server would reject it until then.`));
    }
  }
  if (expiresAt !== undefined) {
    info.expiresAt = isoTime(expiresAt);
    info.expired = expiresAt <= now;
    if (info.expired) {
      details.validity = `expired ${describeDuration(now - expiresAt)} ago`;
      problems.push(finding('jwt-expired', 'warning', `The token expired at ${info.expiresAt}, ${describeDuration(now - expiresAt)} ago; a server would reject it.`));
    } else {
      details.validity = `valid for ${describeDuration(expiresAt - now)} more`;
    }
  }
}

function decodeJws(segments: string[], now: number): DecodedValue {
  const [headerSegment, payloadSegment, signature] = segments;
  const problems: Finding[] = [];
  const details: Record<string, string> = {};
  const header = readJsonObject(headerSegment);
  const redacted = `${headerSegment}.${REDACTED}`;
  if (!header) {
    problems.push(finding('jwt-bad-header', 'error', 'The token looks like a JWT but its first segment is not base64url-encoded JSON, so no server can read it.'));
    return { kind: 'jwt', label: 'JWT (unreadable header)', jwt: { header: {}, payload: {} }, problems, redacted };
  }
  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  const payload = readJsonObject(payloadSegment);
  if (!payload) {
    problems.push(finding('jwt-payload-not-json', 'info', 'The payload is not a JSON object, so there are no claims to show (a JWS may sign any content).'));
  }
  if (alg === undefined) {
    problems.push(finding('jwt-missing-alg', 'error', 'The header has no "alg", which every JWS must name; a server cannot verify it.'));
  } else if (alg.toLowerCase() === 'none') {
    const withSignature = signature ? ' yet it carries a signature segment, which a server must not accept either' : '';
    problems.push(finding('jwt-alg-none', 'error', `"alg" is "${alg}": the token is unsecured and anyone can forge it${withSignature}. A server must reject it.`));
  } else if (!signature) {
    problems.push(finding('jwt-missing-signature', 'error', `"alg" is ${alg} but the signature segment is empty; the token was probably cut short.`));
  }
  const info: JwtInfo = { header, payload: payload ?? {} };
  for (const name of ['alg', 'typ', 'kid'] as const) {
    const value = textClaim(header[name]);
    if (value !== undefined) details[name] = value;
  }
  if (payload) {
    for (const name of ['iss', 'sub', 'aud'] as const) {
      const value = textClaim(payload[name]);
      if (value !== undefined) details[name] = value;
    }
    readTimes(payload, now, info, details, problems);
  }
  return { kind: 'jwt', label: `JWT (${alg ?? 'no alg'})`, jwt: info, details, problems, redacted };
}

function decodeJwe(segments: string[]): DecodedValue {
  const header = readJsonObject(segments[0]);
  const redacted = `${segments[0]}.${REDACTED}`;
  const problems: Finding[] = [];
  if (!header) {
    problems.push(finding('jwe-bad-header', 'error', 'The token has the five segments of a JWE but its first segment is not base64url-encoded JSON.'));
    return { kind: 'jwe', label: 'JWE (unreadable header)', jwt: { header: {}, payload: {} }, problems, redacted };
  }
  const details: Record<string, string> = { contents: 'encrypted: only the header is readable' };
  for (const name of ['alg', 'enc', 'kid', 'cty', 'typ'] as const) {
    const value = textClaim(header[name]);
    if (value !== undefined) details[name] = value;
  }
  const algorithms = [details.alg, details.enc].filter(Boolean).join(', ');
  return { kind: 'jwe', label: algorithms ? `JWE (${algorithms})` : 'JWE', jwt: { header, payload: {} }, details, problems, redacted };
}

/**
 * Decodes a JWT/JWS or the header of a JWE, without verifying anything; times are judged against `now` (ms).
 * The whole token is the secret. Null when `token` does not have the shape of one. Never throws.
 */
export function decodeJose(token: string, now: number): DecodedValue | null {
  const shape = joseShape(token);
  if (!shape) return null;
  const segments = token.split('.');
  const decoded = shape === 'jws' ? decodeJws(segments, now) : decodeJwe(segments);
  return { ...decoded, secret: token };
}
