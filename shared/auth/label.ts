/** authLabel: the one-line summary of a request's credentials for the request list. */
import type { Credential } from '../types';

/** Lower comes first: what a server would authenticate with before anything else. */
function importance(credential: Credential): number {
  const name = credential.location.name.trim().toLowerCase();
  if (credential.location.in === 'header' && name === 'authorization') return 0;
  if (credential.location.in === 'header' && name === 'proxy-authorization') return 1;
  if (credential.location.in === 'header' && !credential.details?.reason && name !== 'cookie') return 2;
  if (credential.location.in === 'query') return 3;
  return 4;
}

/**
 * One line for the request list, "<scheme or where> · <label>", e.g. "Basic · Zendesk API token for
 * jdoe@example.com", "Bearer · JWT (HS256)", "X-API-Key · Stripe secret key (live mode)", "?api_key · …".
 * Uses the most important credential (Authorization first, then Proxy-Authorization, API-key headers,
 * query, the rest), the first of equals. Control characters a sender put in a username (NUL, newlines, escapes)
 * become U+FFFD: one line, and text any database takes. Null when there is none. Never throws.
 */
export function authLabel(credentials: Credential[]): string | null {
  try {
    if (!Array.isArray(credentials) || credentials.length === 0) return null;
    const ranked = credentials.map((credential, index) => ({ credential, index, rank: importance(credential) }));
    ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
    const { credential } = ranked[0];
    const where = credential.scheme ?? (credential.location.in === 'query' ? `?${credential.location.name}` : credential.location.name);
    // eslint-disable-next-line no-control-regex
    return `${where} · ${credential.label}`.replace(/[\x00-\x1f\x7f-\x9f]/g, '\ufffd');
  } catch {
    return null;
  }
}
