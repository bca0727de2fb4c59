import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config';
import { clientAddress } from '../net/peer';
import type { Store } from '../store';
import { limitKey, RateLimit } from './rate-limit';
import { readCookie, SESSION_COOKIE, sessionDigest, Sessions } from './session';

/** A Host header naming this machine: a loopback name and an optional port, nothing else (no userinfo, no path). */
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;
/**
 * A browser on this machine never sends these; a proxy, CDN or tunnel (even one that rewrites Host) adds one of
 * them. Listed from the proxies' own documentation: nginx, Apache, HAProxy, Cloudflare, Akamai, Fastly, AWS.
 */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port',
  'x-forwarded-server', 'x-original-forwarded-for', 'via', 'cf-connecting-ip', 'true-client-ip', 'x-client-ip',
  'x-real-ip', 'x-cluster-client-ip', 'fastly-client-ip', 'x-original-host'];

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

function bearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match ? match[1] : null;
}

/** The token in force: its hash (null when none is needed) and, when generated at this start, the token itself. */
async function setUpToken(config: Readonly<Config>, store: Store): Promise<{ hash: string | null; generated: string | null }> {
  if (config.token !== null) return { hash: sha256(config.token).toString('hex'), generated: null };
  const exposed = !isLoopbackHost(config) || config.publicUrl !== null;
  if (!exposed) return { hash: null, generated: null };
  const stored = config.resetToken ? null : await store.getSetting('token_sha256');
  if (stored !== null) return { hash: stored, generated: null };
  const token = randomBytes(24).toString('base64url');
  const hash = sha256(token).toString('hex');
  if (config.resetToken) {
    await store.setSetting('token_sha256', hash);
    return { hash, generated: token };
  }
  // Several processes starting at once on one database: one token wins, and only its process prints it.
  const inForce = await store.setSettingIfAbsent('token_sha256', hash);
  return { hash: inForce, generated: inForce === hash ? token : null };
}

/**
 * The access policy of the contract. With no token on a loopback host, everything is open to requests that name
 * a loopback host; otherwise a token is needed, as `Authorization: Bearer` or as the session cookie.
 * Only the token's SHA-256 is kept, in memory and (for a generated token) in the store, which every process on the
 * database shares, with the session key and the failed attempts.
 */
export class Access {
  private tokenHash: Buffer | null;
  private sessions: Sessions;

  private constructor(
    private readonly config: Readonly<Config>,
    private readonly store: Store,
    private readonly now: () => number,
    /** True when a token is needed. */
    readonly required: boolean,
    /** A token generated at this start, to be printed once; null otherwise. */
    readonly generatedToken: string | null,
    hash: string | null,
    private sessionKey: string,
    private readonly limits: RateLimit,
  ) {
    this.tokenHash = hash === null ? null : Buffer.from(hash, 'hex');
    this.sessions = Access.sessionsFor(sessionKey, hash, now);
  }

  /** Sets up the token (generating one when needed) and the session key. Rejects when the store fails. */
  static async create(config: Readonly<Config>, store: Store, now: () => number = Date.now): Promise<Access> {
    const { hash, generated } = await setUpToken(config, store);
    if (generated !== null && config.resetToken) await store.setSetting('session_key', randomBytes(32).toString('hex'));
    const key = await store.setSettingIfAbsent('session_key', randomBytes(32).toString('hex'));
    return new Access(config, store, now, hash !== null, generated, hash, key, new RateLimit(store, now));
  }

  /** Sessions are bound to the token: a new token ends every session made with the old one. */
  private static sessionsFor(key: string, tokenHash: string | null, now: () => number): Sessions {
    return new Sessions(createHmac('sha256', Buffer.from(key, 'hex')).update(tokenHash ?? '').digest(), now);
  }

  /**
   * Takes up a stored token that another process on the database put in force (`--reset-token`): the old token
   * and its sessions stop working here too. A token given with --token is this process's own and stays.
   */
  async refresh(): Promise<void> {
    if (!this.required || this.config.token !== null) return;
    const [hash, key] = await Promise.all([this.store.getSetting('token_sha256'), this.store.getSetting('session_key')]);
    if (hash === null || key === null || (this.tokenHash !== null && hash === this.tokenHash.toString('hex') && key === this.sessionKey)) return;
    this.tokenHash = Buffer.from(hash, 'hex');
    this.sessions = Access.sessionsFor(key, hash, this.now);
    this.sessionKey = key;
  }

  /**
   * null when the request may use the API, else why not. Wrong bearer tokens count as failed attempts.
   * `forUpgrade`: a browser's WebSocket carries the cookie to any site's page, so a cookie-authenticated
   * (or open-mode) upgrade must come from our own origin.
   */
  async check(req: IncomingMessage, forUpgrade = false): Promise<Refusal | null> {
    const originOk = (): Refusal | null => (forUpgrade && !this.isSameOrigin(req) ? this.foreignOrigin() : null);
    if (!this.required) {
      if (!LOOPBACK_HOST.test(req.headers.host ?? '') || FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)) {
        return {
          status: 401,
          message: 'this hooklens has no access token, so it only answers requests made on this machine to localhost; ' +
            'start it with --token <secret> (or HOOKLENS_TOKEN) to use it through a tunnel, a proxy or another host name',
        };
      }
      return originOk();
    }
    // A valid session cannot be guessed, so it is never rate-limited (behind a tunnel every client may share one address).
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie !== null && await this.isSession(cookie)) return originOk();
    const bearer = bearerToken(req);
    if (bearer !== null) {
      // The right token is never refused: strangers sharing the owner's address must not lock the owner out.
      if (sameSecret(bearer, this.tokenHash!)) return null;
      return this.failedAttempt(req, 'the access token is wrong');
    }
    return {
      status: 401,
      message: 'an access token is needed: sign in to the viewer, or send "Authorization: Bearer <token>"',
    };
  }

  /** Checks a sign-in attempt; resolves with the session cookie value, or a refusal (failures are counted). */
  async signIn(req: IncomingMessage, token: unknown): Promise<{ cookie: string } | Refusal> {
    if (!this.required || (typeof token === 'string' && sameSecret(token, this.tokenHash!))) return { cookie: this.sessions.issue() };
    return this.failedAttempt(req, 'that token is not this server\'s access token');
  }

  /**
   * Ends a session: its cookie is refused from now on, by every process on the database and after a restart. A
   * value that is not a valid session is ignored.
   */
  async signOut(req: IncomingMessage): Promise<void> {
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie === null) return;
    const expiresAt = this.sessions.expiresAt(cookie);
    if (expiresAt === null) return;
    await this.store.revokeSession(sessionDigest(cookie), expiresAt, this.now());
    for (const listener of this.signOutListeners) listener(cookie);
  }

  /** Calls `listener` with the cookie value of each session signed out in this process; returns the remover. */
  onSignOut(listener: (cookie: string) => void): () => void {
    this.signOutListeners.add(listener);
    return () => this.signOutListeners.delete(listener);
  }

  private readonly signOutListeners = new Set<(cookie: string) => void>();

  /** True for a cookie this server issued within 30 days, made with the token in force, and not signed out. */
  private async isSession(cookie: string): Promise<boolean> {
    return this.sessions.expiresAt(cookie) !== null && !(await this.store.isSessionRevoked(sessionDigest(cookie)));
  }

  /**
   * A wrong token: counted towards its address until the limit, then answered 429 without counting (so a flood of
   * guesses writes nothing more). The limit cannot lock the owner out, since the right token is checked first:
   * what keeps guessing infeasible is the token's length (see README, "Access").
   */
  private failedAttempt(req: IncomingMessage, message: string): Promise<Refusal> {
    const address = this.limitAddress(req);
    return this.limits.attempt(address, async (): Promise<Refusal> => {
      if (await this.limits.isLimited(address)) return this.limits.refusal;
      await this.limits.recordFailure(address);
      return { status: 401, message };
    });
  }

  /** The Set-Cookie header value for a session (empty value and Max-Age=0 to sign out). */
  cookieHeader(req: IncomingMessage, value: string | null): string {
    return this.sessions.cookieHeader(req, value, this.config.trustProxy);
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
    const publicHost = this.config.publicUrl === null ? null : new URL(this.config.publicUrl).host.toLowerCase();
    return host === (req.headers.host ?? '').toLowerCase() || host === publicHost;
  }

  /** Whose failed attempts a request counts towards. */
  private limitAddress(req: IncomingMessage): string {
    return limitKey(clientAddress(req, this.config.trustProxy).address);
  }

  private foreignOrigin(): Refusal {
    return { status: 403, message: 'the live stream only accepts connections from this server\'s own pages' };
  }
}
