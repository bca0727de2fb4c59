import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isSecure } from '../net/peer';

export const SESSION_COOKIE = 'hooklens_session';
const SESSION_MAX_AGE_MS = 30 * 86_400_000;

/**
 * Session cookies: `<issued ms>.<HMAC>`, under a key derived from the stored session key and the token's hash, so
 * that every process on the database accepts them and a new token ends every session made with the old one.
 */
export class Sessions {
  constructor(private readonly key: Buffer, private readonly now: () => number) {}

  /** A new session cookie value. */
  issue(): string {
    const issued = String(this.now());
    return `${issued}.${createHmac('sha256', this.key).update(issued).digest('base64url')}`;
  }

  /** When a cookie this server issued (within the last 30 days) expires, in ms; null for anything else. */
  expiresAt(cookie: string): number | null {
    const [issued, mac] = cookie.split('.');
    if (!issued || !mac || !/^\d+$/.test(issued)) return null;
    const expected = createHmac('sha256', this.key).update(issued).digest();
    const given = Buffer.from(mac, 'base64url');
    const expires = Number(issued) + SESSION_MAX_AGE_MS;
    return given.length === expected.length && timingSafeEqual(given, expected) && this.now() < expires ? expires : null;
  }

  /** The Set-Cookie header value for a session (empty value and Max-Age=0 to sign out). */
  cookieHeader(req: IncomingMessage, value: string | null, trustProxy: boolean): string {
    const parts = [`${SESSION_COOKIE}=${value ?? ''}`, 'Path=/', 'HttpOnly', 'SameSite=Strict',
      `Max-Age=${value === null ? 0 : SESSION_MAX_AGE_MS / 1000}`];
    if (isSecure(req, trustProxy)) parts.push('Secure');
    return parts.join('; ');
  }
}

/** The value of cookie `name` in the request, or null. */
export function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** What the store keeps of a signed-out session cookie: its SHA-256, so that the database holds no usable cookie. */
export function sessionDigest(cookie: string): string {
  return createHash('sha256').update(cookie).digest('hex');
}
