import type { HeaderPair, SignatureCheck, SignatureStatus } from '../../shared/types';
import { recognizeSource } from './source';
import type { VerifyInput } from './types';
import { verifySignatures } from './index';

/** Most telling first: one verified check outweighs the rest, then a mismatch, a stale timestamp, a malformed header. */
const MOST_TELLING: readonly SignatureStatus[] = ['verified', 'mismatch', 'stale', 'malformed', 'no-secret'];

/**
 * The one status a list shows for a request's signature checks (RequestSummary.signature): verified if any is
 * verified, else mismatch, stale, malformed, no-secret, in that order; null when it carries no signature.
 */
export function mostTellingStatus(checks: readonly Pick<SignatureCheck, 'status'>[]): SignatureStatus | null {
  return MOST_TELLING.find((status) => checks.some((c) => c.status === status)) ?? null;
}

/** A stored request as signature checks read it. */
export interface VerifiableRequest {
  method: string;
  url: string;
  headers: HeaderPair[];
  body: Buffer;
  truncated: boolean;
  receivedAt: number;
}

/**
 * What the checks of a stored request see (analysis.ts reads it the same way): the request as stored, the bin's
 * secrets, its arrival as the clock (a timestamp is stale if it was too old when the request arrived), and the
 * public URL it was sent to when --public-url is set.
 */
export function verifyInputOf(request: VerifiableRequest, secrets: Readonly<Record<string, string>>, publicBase: string | null): VerifyInput {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    bodyTruncated: request.truncated,
    secrets,
    now: request.receivedAt,
    publicUrl: publicBase === null ? null : publicBase + request.url,
  };
}

/** What the store keeps of a request's checks, so that `sig:` and `provider:` can be searched. */
export interface SignatureVerdict {
  /** mostTellingStatus of its checks. */
  signature: SignatureStatus | null;
  /** The sender recognizeSource names, or null. */
  provider: string | null;
}

/** The verdict on a stored request with the bin's secrets as they are: the same checks as the request's analysis. */
export function signatureVerdict(request: VerifiableRequest, secrets: Readonly<Record<string, string>>, publicBase: string | null): SignatureVerdict {
  const checks = verifySignatures(verifyInputOf(request, secrets, publicBase));
  return { signature: mostTellingStatus(checks), provider: recognizeSource(request.headers, checks)?.provider ?? null };
}
