import type { JwtInfo } from '../../../../../shared/types';
import { formatDuration, formatRelative } from '../../../lib/time';
import { KeyValueTable } from '../../../ui/KeyValueTable';

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time']);

/** A claim value as text: strings as they are, anything else as JSON. */
function claimText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "expired 3 days ago" / "valid for 2 hours". */
export function expiryPhrase(expiresAt: Date, now: Date): string {
  const left = expiresAt.getTime() - now.getTime();
  return left <= 0 ? `expired ${formatDuration(left)} ago` : `valid for ${formatDuration(left)}`;
}

function timeClaim(name: string, value: unknown, now: Date): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return claimText(value);
  const time = new Date(value * 1000);
  if (Number.isNaN(time.getTime())) return claimText(value);
  const phrase = name === 'exp' ? expiryPhrase(time, now) : name === 'nbf' && time > now ? `not valid until ${formatRelative(time, now)}` : formatRelative(time, now);
  return `${value} · ${time.toISOString()} · ${phrase}`;
}

function rows(object: object, now: Date): [string, string][] {
  return Object.entries(object).map(([name, value]) => [name, TIME_CLAIMS.has(name) ? timeClaim(name, value, now) : claimText(value)]);
}

/** A decoded (not verified) JWT: when it was issued and expires, then its header and claims as tables. */
export function JwtTable({ jwt, now }: { jwt: JwtInfo; now: Date }) {
  const summary: [string, string][] = [];
  if (jwt.issuedAt) summary.push(['Issued', `${formatRelative(new Date(jwt.issuedAt), now)} (${jwt.issuedAt})`]);
  if (jwt.notBefore) {
    const notBefore = new Date(jwt.notBefore);
    summary.push(['Not before', `${notBefore > now ? `not valid until ${formatRelative(notBefore, now)}` : `valid since ${formatRelative(notBefore, now)}`} (${jwt.notBefore})`]);
  }
  if (jwt.expiresAt) summary.push(['Expires', `${expiryPhrase(new Date(jwt.expiresAt), now)} (${jwt.expiresAt})`]);
  else summary.push(['Expires', 'never: the token has no exp claim']);
  return (
    <div className="jwt" data-testid="jwt">
      <p className="muted">Decoded, not verified: anyone can read a JWT's claims, only its issuer's key proves them.</p>
      <KeyValueTable rows={summary} testId="jwt-times" />
      <h5>Header</h5>
      <KeyValueTable rows={rows(jwt.header, now)} testId="jwt-header" />
      <h5>Claims</h5>
      <KeyValueTable rows={rows(jwt.payload, now)} testId="jwt-claims" />
    </div>
  );
}
