import type { CredentialKind, Finding, JwtInfo, Severity } from '../types';

/**
 * What a decoder makes of one credential value, before it is placed (location, scheme) and masked.
 * It holds the clear secret so that reveal and redaction can reuse the decoding; it never leaves this folder
 * except through `revealSecret`.
 */
export interface DecodedValue {
  kind: CredentialKind;
  /** For a person; never contains the secret. */
  label: string;
  username?: string;
  /** The clear secret; absent when the value carries none (e.g. empty credentials). */
  secret?: string;
  /** The secret's bytes when they were not UTF-8 (a Latin-1 Basic password): its fingerprint hashes these. */
  secretBytes?: Uint8Array;
  token?: string;
  jwt?: JwtInfo;
  details?: Record<string, string>;
  problems: Finding[];
  /** The value as it should read once its secret is replaced, keeping what is not secret. */
  redacted: string;
}

export const REDACTED = '[redacted]';

/** A Finding; exists so that call sites read as one line. */
export function finding(code: string, severity: Severity, message: string): Finding {
  return { code, severity, message };
}

/** "1 character" / "12 characters" */
export function characters(count: number): string {
  return count === 1 ? '1 character' : `${count} characters`;
}
