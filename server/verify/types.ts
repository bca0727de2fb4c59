import type { HeaderPair, SignatureCheck } from '../../shared/types';

/** Everything a signature check may look at, as captured. Nothing here is read from the clock or the environment. */
export interface VerifyInput {
  method: string;
  /** The request-target exactly as received, e.g. "/b/abc/hook?x=1". */
  url: string;
  /** As received: original case, duplicates; names are looked up case-insensitively. */
  headers: HeaderPair[];
  /** The exact raw bytes stored (the first bytes only when `bodyTruncated`). */
  body: Buffer;
  bodyTruncated: boolean;
  /** The bin's signing secrets by provider id (see SIGNING_PROVIDERS). */
  secrets: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch, injected. */
  now: number;
  /** The full public URL this request was sent to, for URL-signing providers; null when unknown. */
  publicUrl: string | null;
}

/** One provider family: the checks for every signature header of that family the request carries; [] when none. */
export type ProviderVerifier = (input: VerifyInput) => SignatureCheck[];
