/**
 * The REST client of contract.md "REST API": every `fetch` of the viewer happens here, and nothing here keeps state.
 * Answers are mapped to the view types of ./model; failures throw `ApiError` (./errors). Components call these
 * through the query hooks of their feature, so that a 401 from any of them reaches the app's sign-in page (the query
 * client's error handler, app/providers.tsx).
 */
import type { Bin, BinList, BinResponse, CapturedRequest, ErrorBody, ReplayAnswer, RequestPage } from '../../../shared/types';
import { ApiError } from './errors';
import { toBinView, toDetailView, toSummaryView } from './model';
import type { BinView, RequestDetailView, RequestSummaryView } from './model';

/** What GET /api/session says of access. */
export interface SessionState {
  authRequired: boolean;
  authenticated: boolean;
}

/** A page of a bin's requests, newest first. */
export interface RequestPageView {
  requests: RequestSummaryView[];
  hasMore: boolean;
  /** How many requests match `q` (the bin's count without one), when the server says. */
  total: number | null;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).error === 'string';
}

/**
 * Sends one request to the API. Resolves with the parsed JSON body, or `undefined` for 204.
 * Throws `ApiError` on a network failure (status 0) or a non-2xx answer, with the server's `{error}` message.
 */
async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'The hooklens server could not be reached.');
  }
  if (response.status === 204) return undefined as T;
  const parsed: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = isErrorBody(parsed) ? parsed.error : `${method} ${path} answered ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return parsed as T;
}

function binPath(binId: string): string {
  return `/api/bins/${encodeURIComponent(binId)}`;
}

function requestPath(binId: string, requestId: number): string {
  return `${binPath(binId)}/requests/${encodeURIComponent(String(requestId))}`;
}

/** Every bin, newest first. */
export async function listBins(): Promise<BinView[]> {
  const list = await call<BinList>('GET', '/api/bins');
  return list.bins.map(toBinView);
}

/** Creates a bin; without `id` the server picks a random one. Throws ApiError 409 when the id is taken, 400 when invalid. */
export async function createBin(options: { id?: string; name?: string }): Promise<BinView> {
  return toBinView(await call<Bin>('POST', '/api/bins', options));
}

/** One bin; throws ApiError 404 when there is none. */
export async function getBin(binId: string): Promise<BinView> {
  return toBinView(await call<Bin>('GET', binPath(binId)));
}

/**
 * The changes PATCH /api/bins/{id} takes; a signing secret of `null` removes that provider's secret, a `response` of
 * `null` restores the default answer (the server completes a response's missing fields with its defaults).
 */
export interface BinPatch {
  name?: string;
  signingSecrets?: Record<string, string | null>;
  response?: Partial<BinResponse> | null;
}

/** Changes a bin and answers it as it now is (never with secret values). */
export async function updateBin(binId: string, patch: BinPatch): Promise<BinView> {
  return toBinView(await call<Bin>('PATCH', binPath(binId), patch));
}

/**
 * Gives the bin a new relay URL (the old one stops working at once) and answers the bin as it now is. Throws ApiError
 * 404 when the bin is gone.
 */
export async function rotateRelayKey(binId: string): Promise<BinView> {
  return toBinView(await call<Bin>('POST', `${binPath(binId)}/relay-key`));
}

/** Deletes a bin and its requests. */
export async function deleteBin(binId: string): Promise<void> {
  await call<void>('DELETE', binPath(binId));
}

/**
 * A page of a bin's requests, newest first; `before`/`after` are request ids; `q` a search (contract.md "Search"):
 * only the matching requests, and `total` their number. Throws ApiError 400 naming what is wrong in an invalid `q`.
 */
export async function listRequests(
  binId: string,
  options: { before?: number; after?: number; limit?: number; q?: string } = {},
): Promise<RequestPageView> {
  const params = new URLSearchParams();
  if (options.q !== undefined) params.set('q', options.q);
  if (options.before !== undefined) params.set('before', String(options.before));
  if (options.after !== undefined) params.set('after', String(options.after));
  if (options.limit !== undefined) params.set('limit', String(options.limit));
  const query = params.size > 0 ? `?${params.toString()}` : '';
  const page = await call<RequestPage>('GET', `${binPath(binId)}/requests${query}`);
  return { requests: page.requests.map(toSummaryView), hasMore: page.hasMore, total: page.total ?? null };
}

/** One request with headers, body and analysis (analysis runs on read); throws ApiError 404 when gone. */
export async function getRequest(binId: string, requestId: number): Promise<RequestDetailView> {
  return toDetailView(await call<CapturedRequest>('GET', requestPath(binId, requestId)));
}

/** Deletes one request. */
export async function deleteRequest(binId: string, requestId: number): Promise<void> {
  await call<void>('DELETE', requestPath(binId, requestId));
}

/**
 * Sends a captured request again, from the server, to `url`, and answers what the target answered (its first
 * megabyte). Throws ApiError with the server's message: 400 when the target is refused (a private or loopback
 * address not allowed by --replay-allow, a scheme other than http(s), a name that does not resolve), 502 when it
 * could not be reached or did not answer HTTP, 504 after 10 s, 404 when the request is gone.
 */
export async function replayRequest(binId: string, requestId: number, url: string): Promise<ReplayAnswer> {
  return call<ReplayAnswer>('POST', `${requestPath(binId, requestId)}/replay`, { url });
}

/** What a test request is made of: headers in order and case, as they will be stored. */
export interface TestRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body: string;
}

/** Stores `test` into the bin as if it had been captured, from the server itself (never over the network); resolves with its id. */
export async function sendTestRequest(binId: string, test: TestRequest): Promise<number> {
  return (await call<{ id: number }>('POST', `${binPath(binId)}/send-test`, test)).id;
}

/** Empties a bin. */
export async function clearBin(binId: string): Promise<void> {
  await call<void>('DELETE', `${binPath(binId)}/requests`);
}

/** The URL of a request as received (request line, headers, body); built from ids only. */
export function rawUrl(binId: string, requestId: number): string {
  return `${requestPath(binId, requestId)}/raw`;
}

/**
 * Fetches a text answer (an export); throws ApiError with the server's message when it is not 2xx, status 0 when the
 * server could not be reached.
 */
async function callText(path: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'The hooklens server could not be reached.');
  }
  if (!response.ok) {
    const parsed: unknown = await response.json().catch(() => undefined);
    throw new ApiError(response.status, isErrorBody(parsed) ? parsed.error : `GET ${path} answered ${response.status}`);
  }
  return response.text();
}

/** The bash command that sends a request again to its capture URL (contract.md "Export"). */
export async function curlCommand(binId: string, requestId: number): Promise<string> {
  return callText(`${requestPath(binId, requestId)}/curl`);
}

/** The request as received (request line, headers, body), as text. */
export async function rawText(binId: string, requestId: number): Promise<string> {
  return callText(rawUrl(binId, requestId));
}

/** The URL that downloads a HAR of the given requests, or of the whole bin without `ids`; built from ids only. */
export function harUrl(binId: string, ids?: readonly number[]): string {
  return ids === undefined || ids.length === 0 ? `${binPath(binId)}/har` : `${binPath(binId)}/har?ids=${ids.join(',')}`;
}

/** The URL that downloads a request's body bytes; built from ids only. */
export function bodyUrl(binId: string, requestId: number): string {
  return `${requestPath(binId, requestId)}/body`;
}

/**
 * The body with its Content-Encoding undone by the server (for br, which browsers' DecompressionStream lacks): the
 * bytes, whether they were cut at the server's limit, or the server's reason.
 */
export async function decodedBody(binId: string, requestId: number): Promise<{ bytes: Uint8Array; cut: boolean } | { error: string }> {
  let response: Response;
  try {
    response = await fetch(`${bodyUrl(binId, requestId)}?decoded`, { credentials: 'same-origin' });
  } catch {
    return { error: 'the hooklens server could not be reached' };
  }
  if (!response.ok) {
    const parsed: unknown = await response.json().catch(() => undefined);
    return { error: isErrorBody(parsed) ? parsed.error : `the server answered ${response.status}` };
  }
  return { bytes: new Uint8Array(await response.arrayBuffer()), cut: response.headers.get('X-Hooklens-Decoded') === 'cut' };
}

/** Whether access needs a token and whether this browser has a session. */
export async function getSession(): Promise<SessionState> {
  return call<SessionState>('GET', '/api/session');
}

/** Starts a session with the access token (the server sets an HttpOnly cookie); throws ApiError 401/429 with the reason. */
export async function signIn(token: string): Promise<void> {
  await call<void>('POST', '/api/session', { token });
}

/** Ends this browser's session. */
export async function signOut(): Promise<void> {
  await call<void>('DELETE', '/api/session');
}
