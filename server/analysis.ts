import { decodeCredentials } from '../shared/auth';
import type { Analysis, Credential, Finding } from '../shared/types';
import type { FullRequestRecord } from './store';
import { decoderInput } from './store/derive';
import { recognizeSource, verifySignatures } from './verify';
import { verifyInputOf } from './verify/verdict';

export interface AnalysisContext {
  /** The bin's signing secrets by provider id. */
  secrets: Readonly<Record<string, string>>;
  /** For credentials (is a JWT expired now?); signatures are judged at the request's arrival instead. */
  now: number;
  /** `--public-url`, for URL-signing providers; null to let them rebuild the URL from the captured headers. */
  publicBase: string | null;
}

/**
 * What a stored request's credentials and signatures say. Runs on every read, so a signing secret added later
 * verifies requests captured earlier. Credentials come from the stored analysis when their values were redacted
 * at capture (the headers no longer hold them), else they are decoded again from the headers.
 */
export function analyzeRequest(request: FullRequestRecord, context: AnalysisContext): Analysis {
  const decoded = request.credentials !== null
    ? (JSON.parse(request.credentials) as { credentials: Credential[]; warnings: Finding[] })
    : decodeCredentials(decoderInput(request, context.now));
  // The same input as the verdict the store keeps for `sig:` and `provider:` (verify/verdict.ts).
  const signatures = verifySignatures(verifyInputOf(request, context.secrets, context.publicBase));
  return {
    credentials: decoded.credentials,
    signatures,
    source: recognizeSource(request.headers, signatures),
    warnings: decoded.warnings,
  };
}
