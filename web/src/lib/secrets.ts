/**
 * Masking captured credentials in the viewer (auth-reference.md §5): values stay masked until a person reveals one
 * field, and copying is a separate action. The clear value comes from shared/auth's revealSecret, on demand only.
 */
import { decodeCredentials, joinQuery, maskSecret, parseQuery, redactCredentials, revealSecret } from '../../../shared/auth';
import type { Credential, HeaderPair } from '../../../shared/types';

/** Where a credential sits, as a key for reveal state: "header:authorization", "query:api_key". */
export function locationKey(location: Credential['location']): string {
  return `${location.in}:${location.name.toLowerCase()}`;
}

/** The credentials of an analysis by location key (header names and query names compared case-insensitively). */
export function credentialsByLocation(credentials: readonly Credential[]): Map<string, Credential> {
  const byKey = new Map<string, Credential>();
  for (const credential of credentials) {
    const key = locationKey(credential.location);
    if (!byKey.has(key)) byKey.set(key, credential);
  }
  return byKey;
}

/** A credential-carrying header or query value with only the scheme and first/last characters visible. */
export function maskValue(value: string, credential: Credential | undefined): string {
  // A Cookie header holds many values: keep each cookie's name readable.
  if (credential?.location.in === 'header' && credential.location.name.toLowerCase() === 'cookie') {
    return value
      .split(';')
      .map((part) => {
        const equals = part.indexOf('=');
        return equals === -1 ? compactMask(maskSecret(part).masked) : `${part.slice(0, equals)}=${compactMask(maskSecret(part.slice(equals + 1)).masked)}`;
      })
      .join(';');
  }
  const scheme = credential?.scheme;
  if (scheme) {
    const match = /^(\S+)(\s+)([\s\S]*)$/.exec(value);
    if (match && match[1].toLowerCase() === scheme.toLowerCase()) return `${match[1]}${match[2]}${compactMask(maskSecret(match[3]).masked)}`;
  }
  return compactMask(maskSecret(value).masked);
}

/** Where a credential's clear secret is recovered from: the request as captured. */
export interface SecretSource {
  headers: HeaderPair[];
  query: string;
  redacted?: boolean;
}

/**
 * Clear secrets already recovered, per request and credential object: revealSecret rescans the whole request and
 * hashes every secret, too much to do on each render. A refetched request is a new object and is read again.
 */
const clearSecrets = new WeakMap<SecretSource, WeakMap<Credential, string | null>>();

/**
 * The clear secret of a credential, or null when it cannot be recovered (redacted at capture, or not decodable).
 * Computed once per request and credential object, then remembered.
 */
export function clearSecret(request: SecretSource, credential: Credential): string | null {
  if (request.redacted) return null;
  let known = clearSecrets.get(request);
  if (!known) {
    known = new WeakMap();
    clearSecrets.set(request, known);
  }
  if (known.has(credential)) return known.get(credential) ?? null;
  const value = revealSecret({ headers: request.headers, query: request.query }, credential);
  known.set(credential, value);
  return value;
}

/** Reveal key of the credential at `index` of an analysis's credentials: duplicates are revealed one by one. */
export function credentialKey(index: number): string {
  return `credential:${index}`;
}

/** Reveal key of the header row at `index`: two Authorization headers are revealed one by one. */
export function headerRowKey(index: number): string {
  return `header-row:${index}`;
}

function sameCredential(a: Credential, b: Credential): boolean {
  return a.kind === b.kind && a.secret?.sha256 === b.secret?.sha256;
}

/**
 * For each header row, the indices in `credentials` of the credentials read from that row: each row is decoded
 * alone by the shared decoder, and matched by header name, kind and fingerprint. A row that carries none has [].
 */
export function credentialsByHeaderRow(headers: readonly HeaderPair[], credentials: readonly Credential[]): number[][] {
  return headers.map(([name, value]) => {
    const own = decodeCredentials({ headers: [[name, value]], query: '', secure: true, now: 0 }).credentials;
    const indices: number[] = [];
    credentials.forEach((credential, index) => {
      const sameName = credential.location.in === 'header' && credential.location.name.toLowerCase() === name.toLowerCase();
      if (sameName && own.some((candidate) => sameCredential(candidate, credential))) indices.push(index);
    });
    return indices;
  });
}

/**
 * What is shown in clear, from what a person revealed: credential cards by credentialKey, header rows by
 * headerRowKey (also each row a revealed credential was read from), and the query by locationKey ("query:name",
 * for every revealed query credential).
 */
export function shownKeys(revealed: ReadonlySet<string>, credentials: readonly Credential[], rows: readonly number[][]): Set<string> {
  const shown = new Set(revealed);
  credentials.forEach((credential, index) => {
    if (!revealed.has(credentialKey(index))) return;
    if (credential.location.in === 'query') shown.add(locationKey(credential.location));
    rows.forEach((indices, row) => {
      if (indices.includes(index)) shown.add(headerRowKey(row));
    });
  });
  return shown;
}

/** A request-target with the values of credential query parameters masked, unless revealed; `&` and `;` separate them. */
export function maskUrl(url: string, credentialParams: ReadonlyMap<string, Credential>, revealed: ReadonlySet<string>): string {
  const question = url.indexOf('?');
  if (question === -1 || credentialParams.size === 0) return url;
  const query = joinQuery(parseQuery(url.slice(question + 1)), (part) => {
    const name = part.name.toLowerCase();
    const credential = credentialParams.get(name);
    if (!part.hasValue || credential === undefined || revealed.has(`query:${name}`)) return part.raw;
    return `${part.rawName}=${maskValue(part.raw.slice(part.rawName.length + 1), credential)}`;
  });
  return `${url.slice(0, question)}?${query}`;
}

/** Reveal key of a credential in the request-target's path or user-info. */
export const TARGET_KEY = 'target';

/** Findings that say the request-target carries a credential outside its query. */
const TARGET_FINDINGS = new Set(['credential-in-path', 'credential-in-userinfo']);

export function targetHasCredential(warnings: readonly { code: string }[]): boolean {
  return warnings.some((warning) => TARGET_FINDINGS.has(warning.code));
}

/**
 * The request-target as the request line shows it: query credentials masked unless revealed (maskUrl), and, when
 * the path or user-info carries a credential, that replaced as --redact-secrets would until TARGET_KEY is revealed.
 */
export function maskTarget(
  request: { url: string; path: string; analysis: { warnings: readonly { code: string }[] } },
  credentialParams: ReadonlyMap<string, Credential>,
  revealed: ReadonlySet<string>,
): string {
  const masked = maskUrl(request.url, credentialParams, revealed);
  if (!targetHasCredential(request.analysis.warnings) || revealed.has(TARGET_KEY)) return masked;
  const question = masked.indexOf('?');
  const before = question === -1 ? masked : masked.slice(0, question);
  const replaced = redactCredentials({ headers: [], query: '', path: request.path, target: before }).target ?? before;
  return replaced + (question === -1 ? '' : masked.slice(question));
}

/** A path as a list row shows it: a credential in a segment or matrix parameter replaced (the row has no reveal). */
export function maskPath(path: string): string {
  return redactCredentials({ headers: [], query: '', path }).path ?? path;
}

/** How many "•" a masked secret shows at most; its length is shown beside it. */
const SHOWN_DOTS = 8;

/**
 * A mask for the page: a long run of "•" (a JWT hides hundreds) cut to eight and "…", so that it fits on a line;
 * its ends stay as maskSecret shows them, e.g. "eyJh••••••••…sw5c".
 */
export function compactMask(masked: string): string {
  return masked.replace(new RegExp(`•{${SHOWN_DOTS + 1},}`, 'gu'), `${'•'.repeat(SHOWN_DOTS)}…`);
}
