/**
 * The wire types of ../shared/docs/contract.md: what the REST API and the live stream send.
 * Both the server and the viewer import these with `import type`; nothing here runs.
 */

/** A bin: a named place that captures requests sent to its capture URL. */
export interface Bin {
  id: string;
  name: string;
  /** ISO 8601 */
  createdAt: string;
  /** Absolute capture URL, based on `--public-url` when set. */
  captureUrl: string;
  requestCount: number;
  lastRequestAt: string | null;
  /** Providers that have a signing secret set on this bin; never the values. */
  signingSecrets: string[];
  /** What the capture URL answers; null: the default `{"ok":true,"id":…}`. */
  response: BinResponse | null;
  /** The smee-compatible relay URL (absolute over REST, a path in live messages); needs no token, reaches this bin only. */
  relayUrl?: string;
}

/** What a bin's capture URL answers, after the commit as always (see the contract's "Bin response"). */
export interface BinResponse {
  /** 100–599 except 101. */
  status: number;
  /** Sent in this order and case; `{id}` in a value becomes the request id. */
  headers: HeaderPair[];
  /** Text (UTF-8; `{id}` replaced) or bytes; absent: the default JSON. */
  body?: string | { base64: string };
  /** 0–30000 ms before answering. */
  delayMs: number;
}

/** A provider's delivery id on a request, and which attempt this is (retries reuse the id). */
export interface Delivery {
  /** e.g. "zendesk", "github", "standard-webhooks". */
  provider: string;
  id: string;
  /** 1 for the first request of this bin with the id, 2 for the next, … */
  attempt: number;
}

/** What the list and the live stream say of a captured request. */
export interface RequestSummary {
  /** Unique, and increasing in the order requests were stored. */
  id: number;
  binId: string;
  /** ISO 8601 with milliseconds. */
  receivedAt: string;
  method: string;
  /** After /b/{binId}, without the query; "/" when none. */
  path: string;
  /** Raw query string without "?"; "" when none. */
  query: string;
  contentType: string | null;
  /** Body bytes received (the announced length when the body was truncated). */
  size: number;
  remoteAddress: string;
  /** One line, e.g. "Basic · Zendesk API token"; null when no credential. */
  authLabel: string | null;
  /** True when credential values were replaced at capture (`--redact-secrets`). */
  redacted?: boolean;
  /**
   * The most telling signature check with the bin's secrets: verified if any verified, else mismatch, stale,
   * malformed, no-secret; null when the request carries no signature. Rechecked when the bin's secrets change.
   */
  signature: SignatureStatus | null;
  /** The HTTP status capture answered. */
  status: number;
  /** Present when capture answered a provider's endpoint check (e.g. "slack"), whatever the bin's response. */
  handshake?: string;
  /** Present when a header carries the provider's delivery id (Zendesk's invocation id, GitHub's delivery, …). */
  delivery?: Delivery;
}

/** A header as received: name with its original case, and value. */
export type HeaderPair = [name: string, value: string];

export interface CapturedBody {
  base64: string;
  /** The body as text when it is valid UTF-8, else null. */
  text: string | null;
  truncated: boolean;
  /** Hex SHA-256 of the stored bytes. */
  sha256: string;
}

/** Everything stored of a request. */
export interface CapturedRequest extends RequestSummary {
  /** The request-target exactly as received. */
  url: string;
  /** "1.1" */
  httpVersion: string;
  /** As received: order, case, duplicates. */
  headers: HeaderPair[];
  /** Trailer fields after a chunked body, as received; absent when there were none. */
  trailers?: HeaderPair[];
  body: CapturedBody;
  analysis: Analysis;
}

/** A request as the live stream sends it: the summary with its headers, no body. */
export type LiveRequest = RequestSummary & { headers: HeaderPair[] };

// ---- Analysis ----

export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
}

/** A secret as the decoder reports it: never the clear value. */
export interface MaskedSecret {
  /** The first and last 4 characters visible (fewer for short values), the rest as "•". */
  masked: string;
  length: number;
  /** Hex SHA-256 of the UTF-8 secret. */
  sha256: string;
}

export type CredentialKind =
  | 'basic'
  | 'zendesk-api-token'
  | 'jwt'
  | 'jwe'
  | 'bearer'
  | 'api-key'
  | 'digest'
  | 'aws-sigv4'
  | 'other';

export interface JwtInfo {
  header: object;
  payload: object;
  issuedAt?: string;
  expiresAt?: string;
  notBefore?: string;
  expired?: boolean;
}

export interface Credential {
  location: { in: 'header' | 'query'; name: string };
  /** "Basic", "Bearer", "Digest", "AWS4-HMAC-SHA256"; null for an API-key header. */
  scheme: string | null;
  kind: CredentialKind;
  /** For a person: "Zendesk API token for jdoe@example.com". */
  label: string;
  /** Basic user-id; for a Zendesk API token the email, without "/token". */
  username?: string;
  secret?: MaskedSecret;
  /** What a known prefix says it is, e.g. "GitHub personal access token". */
  token?: string;
  jwt?: JwtInfo;
  /** Extra named fields a person may want (Digest params, SigV4 scope, ...). */
  details?: Record<string, string>;
  problems: Finding[];
}

export type SignatureStatus = 'verified' | 'mismatch' | 'stale' | 'no-secret' | 'malformed';

export interface SignatureCheck {
  provider: 'zendesk' | 'github' | 'stripe' | 'slack' | 'shopify' | 'standard-webhooks' | (string & {});
  header: string;
  status: SignatureStatus;
  secretSource?: 'zendesk-test-secret' | 'bin';
  /** What was computed and compared, for a person. */
  message: string;
}

export interface Source {
  provider: string;
  accountId?: string;
  webhookId?: string;
  invocationId?: string;
  testDelivery?: boolean;
  /** Other things the headers say, e.g. GitHub's event and delivery id. */
  details?: Record<string, string>;
}

export interface Analysis {
  credentials: Credential[];
  signatures: SignatureCheck[];
  source: Source | null;
  /** Hygiene: credentials in the query string, Basic over plain http, ... */
  warnings: Finding[];
}

// ---- REST ----

/** A replay target's answer, as `POST …/requests/{id}/replay` sends it. */
export interface ReplayAnswer {
  status: number;
  /** As the target sent them: order, case and duplicates; values as latin1 strings. */
  headers: HeaderPair[];
  /** The first megabyte of the body; `truncated` when there was more. */
  body: { base64: string; truncated: boolean };
  /** From sending to the end of the answer (or of the part kept). */
  ms: number;
}

export interface BinList {
  bins: Bin[];
}

export interface RequestPage {
  requests: RequestSummary[];
  hasMore: boolean;
  /** How many requests match `q` (the bin's count without one), whatever the page's bounds. */
  total?: number;
}

export interface ErrorBody {
  error: string;
}

export interface Health {
  ok: true;
  version: string;
}

// ---- Live stream (/api/live) ----

export type ClientMessage =
  | { type: 'subscribe'; binId: string; after?: number }
  | { type: 'unsubscribe'; binId: string };

export type ServerMessage =
  | { type: 'request'; binId: string; request: LiveRequest }
  | { type: 'request-deleted'; binId: string; id: number }
  /** `throughId`: the largest id the clear removed; a request with a greater id was stored after it, and stays. */
  | { type: 'bin-cleared'; binId: string; throughId?: number }
  | { type: 'bin-deleted'; binId: string }
  | { type: 'bin'; bin: Bin }
  | { type: 'error'; message: string };

export type ServerMessageType = ServerMessage['type'];
