/**
 * Two requests' credentials and signature checks, paired and compared without revealing anything: secrets are
 * compared by their SHA-256 fingerprint (MaskedSecret.sha256) only, and only a fingerprint's first 8 hex digits are
 * ever shown.
 */
import type { Credential, SignatureCheck } from '../../../../shared/types';
import { locationKey } from '../../lib/secrets';

/** The first 8 hex digits of a secret's SHA-256, safe to show: it says whether two secrets match, nothing more. */
export function fingerprint(sha256: string): string {
  return sha256.slice(0, 8);
}

/** Pairs the n-th item of a key in `a` with the n-th of the same key in `b`, in A's order, then B's leftovers. */
function pairBy<T>(a: readonly T[], b: readonly T[], keyOf: (item: T) => string): [T | null, T | null][] {
  const rest = new Map<string, T[]>();
  for (const item of b) {
    const key = keyOf(item);
    rest.set(key, [...(rest.get(key) ?? []), item]);
  }
  const pairs: [T | null, T | null][] = a.map((item) => [item, rest.get(keyOf(item))?.shift() ?? null]);
  const paired = new Set(pairs.map(([, partner]) => partner));
  for (const item of b) if (!paired.has(item)) pairs.push([null, item]);
  return pairs;
}

/** How one credential of A compares with the one at the same place in B. */
export interface CredentialComparison {
  /** Where it was read from: "header Authorization", "query api_key". */
  where: string;
  a: Credential | null;
  b: Credential | null;
  /** Both sides' scheme or kind, when they differ ("Basic vs Bearer"); null when the same. */
  kindChange: string | null;
  /** "same user jdoe", "different user: a vs b"; null when neither names one. */
  user: string | null;
  /** "same secret", "different secret (fingerprints a1b2c3d4… vs e5f6a7b8…)", or why it cannot be said. */
  secret: string;
  same: boolean;
}

function kindText(credential: Credential): string {
  return credential.scheme ?? credential.kind;
}

/** Each credential location of either request, compared. */
export function compareCredentials(a: readonly Credential[], b: readonly Credential[]): CredentialComparison[] {
  return pairBy(a, b, (credential) => locationKey(credential.location)).map(([left, right]) => {
    const either = (left ?? right) as Credential;
    const where = `${either.location.in} ${either.location.name}`;
    if (left === null || right === null) {
      return { where, a: left, b: right, kindChange: null, user: null, secret: left === null ? 'only in B' : 'only in A', same: false };
    }
    const kindChange = kindText(left) !== kindText(right) || left.kind !== right.kind ? `${kindText(left)} vs ${kindText(right)}` : null;
    let user: string | null = null;
    if (left.username !== undefined || right.username !== undefined) {
      user = left.username === right.username ? `same user ${left.username ?? ''}` : `different user: ${left.username ?? '(none)'} vs ${right.username ?? '(none)'}`;
    }
    let secret: string;
    if (left.secret === undefined || right.secret === undefined) secret = 'no secret to compare';
    else if (left.secret.sha256 === right.secret.sha256) secret = `same secret (fingerprint ${fingerprint(left.secret.sha256)}…)`;
    else secret = `different secret (fingerprints ${fingerprint(left.secret.sha256)}… vs ${fingerprint(right.secret.sha256)}…)`;
    const same = kindChange === null && left.username === right.username && left.secret?.sha256 === right.secret?.sha256;
    return { where, a: left, b: right, kindChange, user, secret, same };
  });
}

/** A signature check of A beside the same provider's check of the same header in B. */
export interface SignatureComparison {
  provider: string;
  header: string;
  a: SignatureCheck | null;
  b: SignatureCheck | null;
  same: boolean;
}

/** Each signature check of either request, paired by provider and header. */
export function compareSignatures(a: readonly SignatureCheck[], b: readonly SignatureCheck[]): SignatureComparison[] {
  return pairBy(a, b, (check) => `${check.provider}|${check.header.toLowerCase()}`).map(([left, right]) => {
    const either = (left ?? right) as SignatureCheck;
    return { provider: either.provider, header: either.header, a: left, b: right, same: left !== null && right !== null && left.status === right.status };
  });
}
