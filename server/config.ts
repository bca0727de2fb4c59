/**
 * Flags and environment variables → one frozen, validated Config.
 * Precedence: flag, then environment variable, then default. Nothing else in the server reads process.env.
 */
import { readFileSync } from 'node:fs';
import { NO_REPLAY_ALLOW, parseReplayAllow, type ReplayAllow } from './replay/address';
import { isPostgresUrl, looksLikeUrl, withoutPassword } from './store/url';

export interface Config {
  host: string;
  port: number;
  /** SQLite file, ":memory:", or a postgres:// URL. */
  db: string;
  /** Largest body stored whole, in bytes. */
  maxBody: number;
  /** Requests kept per bin; the oldest are removed past it. */
  maxRequests: number;
  /** Bytes kept in the whole database; the oldest requests of any bin are removed past it. 0: no limit. */
  maxStored: number;
  /** Requests older than this are removed; 0 keeps them. */
  ttlMs: number;
  token: string | null;
  /** Base of the capture URLs shown, without a trailing slash. */
  publicUrl: string | null;
  trustProxy: boolean;
  /** Replace credential values at capture, after analysing them. */
  redactSecrets: boolean;
  /** Generate and print a new access token, replacing the stored one. */
  resetToken: boolean;
  /** Server processes sharing the port (server/workers/); 1: this process serves alone. */
  workers: number;
  /** Host names and networks that server-side replay may reach although private or loopback. */
  replayAllow: ReplayAllow;
}

/** A setting that cannot be used; its message names the flag, the value and what is accepted. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

interface Setting<K extends keyof Config> {
  key: K;
  flag: string;
  env: string[];
  default: string;
  /** What the table shows for the default. */
  shown: string;
  accepted: string;
  meaning: string;
  parse: (raw: string) => Config[K] | undefined;
}

/**
 * The largest --max-body every part of hooklens handles, SQLite and PostgreSQL, the JSON API and the viewer alike.
 * The JSON API carries a body as base64 and, when it is UTF-8, as text, which JSON escapes at up to 6 characters a
 * byte (`\u0000`): 64 MiB make at most 470 million characters, under the 2^29 − 24 that V8 (the server, and the
 * viewer in Chromium) allows one string. PostgreSQL's driver sends bytea as hex, 2 characters a byte. Webhook
 * senders stay far below it (GitHub caps a payload at 25 MB).
 */
export const MAX_BODY_LIMIT = 64 * 1024 ** 2;
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseInteger(raw: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

/** Bytes from `512kb`, `10mb`, `2gb`…, from `min` to `max`. */
function parseSize(raw: string, min: number, max: number): number | undefined {
  const match = /^(\d+)\s*(b|kb|mb|gb|tb)?$/i.exec(raw.trim());
  if (!match) return undefined;
  const bytes = Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()];
  return Number.isSafeInteger(bytes) && bytes >= min && bytes <= max ? bytes : undefined;
}

function parseDuration(raw: string): number | undefined {
  if (raw.trim() === '0') return 0;
  const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(raw.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * DURATION_UNITS[match[2]];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

function parseBoolean(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on', ''].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  return undefined;
}

function parseUrl(raw: string): string | null | undefined {
  if (raw === '') return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** A SQLite path, or a PostgreSQL URL; a URL of another scheme is refused rather than taken as a folder name. */
function parseDb(raw: string): string | undefined {
  if (raw.trim() === '') return undefined;
  if (looksLikeUrl(raw) && !isPostgresUrl(raw)) return undefined;
  return raw;
}

function setting<K extends keyof Config>(s: Setting<K>): Setting<K> {
  return s;
}

const SETTINGS = [
  setting({ key: 'host', flag: '--host', env: ['HOOKLENS_HOST'], default: '127.0.0.1', shown: '127.0.0.1',
    accepted: 'a host name or IP address', meaning: 'interface to listen on',
    parse: (raw) => (/^[\w.:[\]-]+$/.test(raw) ? raw : undefined) }),
  setting({ key: 'port', flag: '--port', env: ['HOOKLENS_PORT', 'PORT'], default: '8080', shown: '8080',
    accepted: 'an integer from 0 to 65535', meaning: '0 picks a free port (the printed URL shows which)',
    parse: (raw) => parseInteger(raw, 0, 65535) }),
  setting({ key: 'db', flag: '--db', env: ['HOOKLENS_DB', 'DATABASE_URL'], default: './data/hooklens.db', shown: './data/hooklens.db',
    accepted: 'a file path, :memory:, or a postgres:// (postgresql://) URL',
    meaning: 'SQLite file (folders created); :memory: for a throwaway run; a PostgreSQL URL to share one database among several instances',
    parse: parseDb }),
  setting({ key: 'maxBody', flag: '--max-body', env: ['HOOKLENS_MAX_BODY'], default: '10mb', shown: '10mb',
    accepted: 'a positive number of bytes up to 64mb, or with kb/mb/gb (e.g. 512kb)', meaning: 'largest body stored whole',
    parse: (raw) => parseSize(raw, 1, MAX_BODY_LIMIT) }),
  setting({ key: 'maxRequests', flag: '--max-requests', env: ['HOOKLENS_MAX_REQUESTS'], default: '10000', shown: '10000',
    accepted: 'an integer from 1 to 10000000', meaning: 'per bin; the oldest are removed past it',
    parse: (raw) => parseInteger(raw, 1, 10_000_000) }),
  setting({ key: 'maxStored', flag: '--max-stored', env: ['HOOKLENS_MAX_STORED'], default: '2gb', shown: '2gb',
    accepted: 'a size such as 500mb or 20gb (at least 1mb), or 0 for no limit',
    meaning: 'bytes kept in the database, all bins together; past it the oldest requests are removed',
    parse: (raw) => (raw.trim() === '0' ? 0 : parseSize(raw, 1024 ** 2, Number.MAX_SAFE_INTEGER)) }),
  setting({ key: 'ttlMs', flag: '--ttl', env: ['HOOKLENS_TTL'], default: '7d', shown: '7d',
    accepted: 'a duration such as 30m, 12h, 7d, or 0 to keep requests', meaning: 'requests older than this are removed',
    parse: parseDuration }),
  setting({ key: 'token', flag: '--token', env: ['HOOKLENS_TOKEN'], default: '', shown: 'none',
    accepted: 'at least 16 characters without spaces', meaning: 'access token for viewer, API and live stream',
    parse: (raw) => (raw === '' ? null : /^\S{16,}$/.test(raw) ? raw : undefined) }),
  setting({ key: 'publicUrl', flag: '--public-url', env: ['HOOKLENS_PUBLIC_URL'], default: '', shown: 'none',
    accepted: 'an absolute http(s) URL', meaning: 'base of the capture URLs shown, for proxies and tunnels',
    parse: parseUrl }),
  setting({ key: 'trustProxy', flag: '--trust-proxy', env: ['HOOKLENS_TRUST_PROXY'], default: 'off', shown: 'off',
    accepted: 'on/off, true/false, 1/0', meaning: 'take the client address from X-Forwarded-For',
    parse: parseBoolean }),
  setting({ key: 'redactSecrets', flag: '--redact-secrets', env: ['HOOKLENS_REDACT_SECRETS'], default: 'off', shown: 'off',
    accepted: 'on/off, true/false, 1/0', meaning: 'replace credential values at capture; labels and usernames survive',
    parse: parseBoolean }),
  setting({ key: 'resetToken', flag: '--reset-token', env: [], default: 'off', shown: 'off',
    accepted: 'no value', meaning: 'print a new access token, replacing the stored one',
    parse: parseBoolean }),
  setting({ key: 'workers', flag: '--workers', env: ['HOOKLENS_WORKERS'], default: '1', shown: '1',
    accepted: 'an integer from 1 to 64', meaning: 'server processes sharing the port, to use more cores (on SQLite one more process writes)',
    parse: (raw) => parseInteger(raw, 1, 64) }),
  setting({ key: 'replayAllow', flag: '--replay-allow', env: ['HOOKLENS_REPLAY_ALLOW'], default: '', shown: 'none',
    accepted: 'comma-separated host names, IP addresses or CIDRs (e.g. 127.0.0.1,10.0.0.0/8,fd00::/8,hooks.internal)',
    meaning: 'hosts or CIDRs that server-side replay may reach although private or loopback',
    parse: (raw) => (raw.trim() === '' ? NO_REPLAY_ALLOW : parseReplayAllow(raw)) }),
] as const;

const BOOLEAN_FLAGS = new Set(['--trust-proxy', '--redact-secrets', '--reset-token']);

/** The token from a file, so that it shows neither in `ps` (as --token does) nor in the process's environment. */
const TOKEN_FILE = { flag: '--token-file', env: 'HOOKLENS_TOKEN_FILE' } as const;

/** The configuration table, as `--help` prints it. */
export function helpText(): string {
  const rows = SETTINGS.map((s) => [s.flag, s.env.join(', ') || '-', s.shown, s.meaning]);
  rows.splice(rows.findIndex(([flag]) => flag === '--token') + 1, 0,
    [TOKEN_FILE.flag, TOKEN_FILE.env, 'none', 'read the access token from this file (--token shows in `ps` to every local user)']);
  rows.push(['--help', '-', '-', 'print this table']);
  rows.push(['--version', '-', '-', 'print the version']);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => '  ' + r.slice(0, 3).map((c, i) => c.padEnd(widths[i])).join('  ') + '  ' + r[3]);
  return [
    'hooklens — a self-hosted webhook inspector',
    '',
    'usage: hooklens [flags]          (flag, then environment variable, then default)',
    '       hooklens migrate --from <sqlite file> --to <postgres url>   (copy into PostgreSQL)',
    '       hooklens forward <capture or relay URL> --to <target URL> [--token T] [--after ID]   (deliver captures to localhost)',
    '       from a checkout: npm start -- [flags], npm run hooklens -- migrate ..., npm run hooklens -- forward ...',
    '',
    '  ' + ['flag'.padEnd(widths[0]), 'env'.padEnd(widths[1]), 'default'.padEnd(widths[2]), 'meaning'].join('  '),
    ...lines,
  ].join('\n');
}

/** Splits argv into flag → raw value; throws ConfigError on an unknown flag or a missing value. */
function readFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set<string>([...SETTINGS.map((s) => s.flag), TOKEN_FILE.flag]);
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!known.has(flag)) throw new ConfigError(`unknown argument ${JSON.stringify(arg)}; run with --help for the accepted flags`);
    if (flags.has(flag)) throw new ConfigError(`${flag} is given twice; give it once`);
    if (eq !== -1) flags.set(flag, arg.slice(eq + 1));
    else if (BOOLEAN_FLAGS.has(flag)) flags.set(flag, 'on');
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(flag, argv[++i]);
    else throw new ConfigError(`${flag} needs a value`);
  }
  return flags;
}

/**
 * Builds the Config from argv (without node and script) and an environment.
 * Throws ConfigError naming the flag (or variable), the value and what is accepted.
 */
export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Readonly<Config> {
  const flags = readFlags(argv);
  const tokenFile = readTokenFile(flags, env);
  const config: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const fromEnv = s.env.find((name) => env[name] !== undefined);
    const [source, raw] = flags.has(s.flag)
      ? [s.flag, flags.get(s.flag)!]
      : fromEnv !== undefined ? [fromEnv, env[fromEnv]!]
      : s.key === 'token' && tokenFile !== null ? tokenFile : [null, s.default];
    const value = s.parse(raw);
    if (value === undefined) {
      const shownValue = s.key === 'token' ? '(hidden)' : JSON.stringify(s.key === 'db' ? withoutPassword(raw) : raw);
      const named = source === null ? s.flag : source === s.flag || source.includes(TOKEN_FILE.flag) ? source : `${source} (${s.flag})`;
      throw new ConfigError(`invalid ${named} ${shownValue}: expected ${s.accepted}`);
    }
    config[s.key] = value;
  }
  const loaded = config as unknown as Config;
  if (loaded.maxStored !== 0 && loaded.maxStored < 2 * loaded.maxBody) {
    throw new ConfigError(`--max-stored ${loaded.maxStored} is less than two --max-body (${2 * loaded.maxBody} bytes): ` +
      'a capture could be removed as soon as it is stored; raise --max-stored or lower --max-body');
  }
  return Object.freeze(loaded);
}

/**
 * [where it came from, the token] from --token-file or HOOKLENS_TOKEN_FILE (a trailing newline dropped), or null
 * when neither is given. Throws ConfigError when the file cannot be read, or --token is given as well.
 */
function readTokenFile(flags: ReadonlyMap<string, string>, env: Readonly<Record<string, string | undefined>>): [string, string] | null {
  const [source, path] = flags.has(TOKEN_FILE.flag) ? [TOKEN_FILE.flag, flags.get(TOKEN_FILE.flag)!]
    : env[TOKEN_FILE.env] !== undefined ? [TOKEN_FILE.env, env[TOKEN_FILE.env]!] : [null, null];
  if (source === null || path === null) return null;
  if (flags.has('--token') || env.HOOKLENS_TOKEN !== undefined) throw new ConfigError(`${source} and --token (or HOOKLENS_TOKEN) are both given; give one`);
  let token: string;
  try {
    token = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new ConfigError(`cannot read ${source} ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  // An empty file must not mean "no token": the server would start open.
  if (token === '') throw new ConfigError(`${source} ${JSON.stringify(path)} is empty: expected at least 16 characters without spaces`);
  return [source === TOKEN_FILE.env ? `${TOKEN_FILE.env} (${TOKEN_FILE.flag})` : TOKEN_FILE.flag, token];
}
