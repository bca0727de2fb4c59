/** revealSecret: the one way a clear secret leaves this folder. */
import type { Credential } from '../types';
import type { CredentialInput } from './decode';
import { scanRequest } from './scan';

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The clear secret of one credential that decodeCredentials reported for this request (the Basic password or
 * API token, the bearer token, the API-key value, the Digest response, the SigV4 signature), read again from the
 * request and matched by location and fingerprint. A Basic password that was not UTF-8 comes back as its
 * Latin-1 reading. For the viewer's reveal and copy buttons only. Null when not found. Never throws.
 */
export function revealSecret(input: Pick<CredentialInput, 'headers' | 'query'>, credential: Credential): string | null {
  try {
    const fingerprint = credential?.secret?.sha256;
    const location = credential?.location;
    if (!fingerprint || !location) return null;
    const { found } = scanRequest({ headers: input?.headers, query: input?.query, secure: true, now: 0 });
    const match = found.find(
      (item) =>
        item.credential.location.in === location.in &&
        sameName(item.credential.location.name, String(location.name)) &&
        item.credential.secret?.sha256 === fingerprint,
    );
    return match?.clearSecret ?? null;
  } catch {
    return null;
  }
}
