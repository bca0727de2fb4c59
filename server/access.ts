import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Config } from './config';
import { clientAddress, isSecure } from './http/peer';
import type { Store } from './store';

export const SESSION_COOKIE = 'hooklens_session';
const SESSION_MAX_AGE_MS = 30 * 86_400_000;
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 10;
const TRACKED_CLIENTS = 10_000;
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A browser on this machine never sends these; a proxy or tunnel (even one that rewrites Host) adds them. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-forwarded-host', 'cf-connecting-ip', 'x-real-ip'];

export interface Refusal {
  status: 401 | 403 | 429;
  message: string;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time equality of two strings, whatever their lengths (both are hashed first). */
function sameSecret(a: string, b: Buffer): boolean {
  return timingSafeEqual(sha256(a), b);
}

function isLoopbackHost(config: Readonly<Config>): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(config.host) || /^127\./.test(config.host);
}

/** The Host header's name without the port, lowercased; "" when missing. */
function hostName(req: IncomingMessage): string {
  const host = (req.headers.host ?? '').toLowerCase();
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
}

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function bearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match ? match[1] : null;
}

/**
 * Whose failed attempts an address counts towards: an IPv4 address (also IPv4-mapped IPv6) on its own, an IPv6
 * address by its /64, since one host is handed a whole /64 and could otherwise take a fresh address per guess.
 */
export function limitKey(address: string): string {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1];
  if (!/^[0-9a-f:]+$/.test(bare) || !bare.includes(':')) return bare;
  const [head, tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g || '0', 16).toString(16)).join(':')}::/64`;
}

/**
 * The access policy of the contract. With no token on a loopback host, everything is open to requests that name
 * a loopback host; otherwise a token is needed, as `Authorization: Bearer` or as the session cookie.
 * Only the token's SHA-256 is kept, in memory and (for a generated token) in the store.
 */
export class Access {
  /** True when a token is needed. */
  readonly required: boolean;
  /** A token generated at this start, to be printed once; null otherwise. */
  readonly generatedToken: string | null;
  private readonly tokenHash: Buffer | null;
  private readonly sessionKey: Buffer;
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly publicHost: string | null;

  constructor(private readonly config: Readonly<Config>, store: Store, private readonly now: () => number = Date.now) {
    const exposed = !isLoopbackHost(config) || config.publicUrl !== null;
    this.publicHost = config.publicUrl === null ? null : new URL(config.publicUrl).host.toLowerCase();
    let generated: string | null = null;
    let hash: string | null = null;
    if (config.token !== null) hash = sha256(config.token).toString('hex');
    else if (exposed) {
      hash = config.resetToken ? null : store.getSetting('token_sha256');
      if (hash === null) {
        generated = randomBytes(24).toString('base64url');
        hash = sha256(generated).toString('hex');
        store.setSetting('token_sha256', hash);
        store.setSetting('session_key', randomBytes(32).toString('hex'));
      }
    }
    this.required = hash !== null;
    this.generatedToken = generated;
    this.tokenHash = hash === null ? null : Buffer.from(hash, 'hex');
    let key = store.getSetting('session_key');
    if (key === null) store.setSetting('session_key', (key = randomBytes(32).toString('hex')));
    // Sessions are bound to the token: a new token ends every session made with the old one.
    this.sessionKey = createHmac('sha256', Buffer.from(key, 'hex')).update(hash ?? '').digest();
  }


  /**
   * null when the request may use the API, else why not. Wrong bearer tokens count as failed attempts.
   * `forUpgrade`: a browser's WebSocket carries the cookie to any site's page, so a cookie-authenticated
   * (or open-mode) upgrade must come from our own origin.
   */
  check(req: IncomingMessage, forUpgrade = false): Refusal | null {
    const originOk = (): Refusal | null => (forUpgrade && !this.isSameOrigin(req) ? this.foreignOrigin() : null);
    if (!this.required) {
      if (!LOOPBACK_NAMES.has(hostName(req)) || FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)) {
        return {
          status: 401,
          message: 'this hooklens has no access token, so it only answers requests made on this machine to localhost; ' +
            'start it with --token <secret> (or HOOKLENS_TOKEN) to use it through a tunnel, a proxy or another host name',
        };
      }
      return originOk();
    }
    // A valid session cannot be guessed, so it is never rate-limited: strangers' wrong guesses must not lock out
    // the signed-in owner (behind a tunnel every client may share one address).
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie !== null && this.isValidSession(cookie)) return originOk();
    const bearer = bearerToken(req);
    if (bearer !== null) {
      const address = this.limitAddress(req);
      if (this.isLimited(address)) return this.limitRefusal();
      if (sameSecret(bearer, this.tokenHash!)) return null;
      this.recordFailure(address);
      return { status: 401, message: 'the access token is wrong' };
    }
    return {
      status: 401,
      message: 'an access token is needed: sign in to the viewer, or send "Authorization: Bearer <token>"',
    };
  }

  /** Checks a sign-in attempt; returns the session cookie value, or a refusal (failures are counted). */
  signIn(req: IncomingMessage, token: unknown): { cookie: string } | Refusal {
    const address = this.limitAddress(req);
    if (this.isLimited(address)) return this.limitRefusal();
    if (!this.required) return { cookie: this.newSession() };
    if (typeof token !== 'string' || !sameSecret(token, this.tokenHash!)) {
      this.recordFailure(address);
      return { status: 401, message: 'that token is not this server\'s access token' };
    }
    this.failures.delete(address);
    return { cookie: this.newSession() };
  }

  /** The Set-Cookie header value for a session (empty value and Max-Age=0 to sign out). */
  cookieHeader(req: IncomingMessage, value: string | null): string {
    const parts = [`${SESSION_COOKIE}=${value ?? ''}`, 'Path=/', 'HttpOnly', 'SameSite=Strict',
      `Max-Age=${value === null ? 0 : SESSION_MAX_AGE_MS / 1000}`];
    if (isSecure(req, this.config.trustProxy)) parts.push('Secure');
    return parts.join('; ');
  }

  private newSession(): string {
    const issued = String(this.now());
    return `${issued}.${createHmac('sha256', this.sessionKey).update(issued).digest('base64url')}`;
  }

  private isValidSession(cookie: string): boolean {
    const [issued, mac] = cookie.split('.');
    if (!issued || !mac || !/^\d+$/.test(issued)) return false;
    const expected = createHmac('sha256', this.sessionKey).update(issued).digest();
    const given = Buffer.from(mac, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected)
      && this.now() - Number(issued) < SESSION_MAX_AGE_MS;
  }

  /**
   * False when a browser says the request comes from another site's page: its Origin names neither the Host the
   * request was sent to nor the host of --public-url (a proxy may rewrite Host). A request without Origin is
   * not from a browser's cross-site page, so it cannot be riding on someone else's cookie: true.
   */
  isSameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    let host: string;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      return false; // "null" (sandboxed frames, file:) and garbage
    }
    return host === (req.headers.host ?? '').toLowerCase() || (this.publicHost !== null && host === this.publicHost);
  }

  /** Whose failed attempts a request counts towards. */
  private limitAddress(req: IncomingMessage): string {
    return limitKey(clientAddress(req, this.config.trustProxy).address);
  }

  private foreignOrigin(): Refusal {
    return { status: 403, message: 'the live stream only accepts connections from this server\'s own pages' };
  }

  private isLimited(address: string): boolean {
    const entry = this.failures.get(address);
    if (!entry) return false;
    if (this.now() - entry.since > FAILURE_WINDOW_MS) {
      this.failures.delete(address);
      return false;
    }
    return entry.count >= MAX_FAILURES;
  }

  private recordFailure(address: string): void {
    const entry = this.failures.get(address);
    if (entry && this.now() - entry.since <= FAILURE_WINDOW_MS) entry.count++;
    else {
      // Bounded memory: a flood from many addresses forgets the oldest.
      if (this.failures.size >= TRACKED_CLIENTS) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(address, { count: 1, since: this.now() });
    }
  }

  private limitRefusal(): Refusal {
    return { status: 429, message: 'too many failed sign-in attempts from this address; wait 15 minutes and try again' };
  }
}
