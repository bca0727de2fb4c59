/**
 * Which header and query-parameter names carry credentials, which carry signatures (proof of a secret, not the
 * secret), and which never carry secrets, so that a value's shape is only judged where it could be one.
 */

/** Authorization-style headers: a scheme then credentials. */
const AUTHORIZATION_HEADERS = new Set(['authorization', 'proxy-authorization']);

/** Other names for Authorization, set by proxies and gateways: X-Authorization, X-Forwarded-Authorization, … */
const AUTHORIZATION_NAME_SHAPE = /[-_]authorization$/;

/** Headers that hold an API key or token as their whole value, whatever the name rules below say. */
const API_KEY_HEADERS = new Set([
  'x-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-api-token',
  'x-auth-token',
  'x-auth-key',
  'x-access-token',
  'x-token',
  'private-token',
  'x-gitlab-token',
  'x-amz-security-token',
  'x-goog-api-key',
  'ocp-apim-subscription-key',
  'x-functions-key',
  'x-vault-token',
  'x-webhook-secret',
  'x-webhook-token',
  'x-shared-secret',
  'x-secret',
]);

/**
 * A last word that names a secret by itself, also run together with what precedes it ("accesstoken",
 * "clientsecret", "xapikey"): the providers' own headers end like this (X-Zendesk-Api-Token,
 * X-Shopify-Access-Token, X-Hasura-Admin-Secret, X-Postmark-Server-Token, Circle-Token, X-TrackerToken, …).
 */
const SECRET_WORD_ENDING = /(?:token|secret|password|passwd|passphrase|apikey|accesskey|secretkey|privatekey|sessionid|sesskey)$/;

/** Whole last words that carry a credential: X-Auth, Sentry-Auth and X-Registry-Auth carry one; so does ?pwd=. */
const SECRET_WORDS = new Set(['pwd', 'pass', 'auth', 'jwt', 'bearer', 'session']);

/**
 * A "key" is a secret only after one of these (X-Algolia-API-Key, Ocp-Apim-Subscription-Key, X-Master-Key,
 * DD-Application-Key); X-Event-Key (Bitbucket's event name), Idempotency-Key and Sec-WebSocket-Key are not.
 */
const KEY_QUALIFIER = /(?:api|access|secret|private|subscription|master|admin|auth|signing|functions|application|service|session|encryption|account)$/;

/** Tokens that page through results rather than grant access (pageToken, X-Continuation-Token). */
const NOT_SECRET_TOKEN_QUALIFIERS = new Set(['page', 'next', 'continuation', 'pagination', 'cursor', 'sync', 'resume']);

/**
 * The words of a name, lower-case, in order: "X-Shopify-Access-Token" → x shopify access token, "apiKey" → api key,
 * "auth[token]" → auth token, "api_key[]" → api key. Trailing numbers ("api_key[0]", "X-Api-Key-2") are left out.
 */
function nameWords(name: string): string[] {
  const words = String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  while (words.length > 1 && /^[0-9]+$/.test(words[words.length - 1])) words.pop();
  return words;
}

/** True when the words of a name end like the name of a credential (see the lists above). */
function endsLikeCredential(words: readonly string[]): boolean {
  const last = words[words.length - 1] ?? '';
  const before = words[words.length - 2] ?? '';
  if (last === 'key') return words.length === 1 || KEY_QUALIFIER.test(before);
  if (SECRET_WORDS.has(last)) return true;
  if (!SECRET_WORD_ENDING.test(last)) return false;
  return !(last === 'token' && NOT_SECRET_TOKEN_QUALIFIERS.has(before));
}

/** Signatures prove knowledge of a secret without carrying it: never treated as credentials. */
const SIGNATURE_NAME = /signature|hmac|(^|-)sig($|-)/;

/** Headers whose values are never secrets (ids, times, hashes, routing, content negotiation). */
const NEVER_SECRET = new Set([
  'host', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'accept-charset', 'content-type',
  'content-length', 'content-encoding', 'content-language', 'content-md5', 'content-digest', 'repr-digest',
  'digest', 'want-digest', 'date', 'etag', 'expect', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer',
  'transfer-encoding', 'via', 'forwarded', 'referer', 'origin', 'cache-control', 'pragma', 'range',
  'traceparent', 'tracestate', 'baggage', 'x-cloud-trace-context', 'x-real-ip', 'true-client-ip',
  'x-amz-date', 'x-amz-content-sha256', 'idempotency-key', 'priority', 'dnt', 'newrelic', 'sentry-trace',
]);

const NEVER_SECRET_PREFIXES = [
  'x-zendesk-', 'x-forwarded-', 'x-github-', 'x-gitlab-event', 'x-gitlab-instance', 'x-gitlab-webhook-',
  'x-hub-', 'x-b3-', 'x-amzn-', 'cf-', 'sec-', 'if-', 'accept-', 'content-', 'x-datadog-', 'x-shopify-',
  'webhook-', 'svix-', 'x-slack-', 'stripe-', 'x-stripe-', 'linear-', 'twitch-eventsub-',
];

/** Names that end like an identifier or a time: ids look random, and they are not secret. */
const IDENTIFIER_NAME = /(^|[-_])(id|ids|uuid|guid|nonce|timestamp|time|date|version|trace|span|event|delivery|hash|sha1|sha256|checksum|etag|ray)$/;

function normalise(name: string): string {
  return String(name).trim().toLowerCase();
}

/**
 * True for Authorization and Proxy-Authorization (scheme + credentials), and for the names proxies and gateways
 * give it (X-Authorization, X-Forwarded-Authorization, X-Amzn-Remapped-Authorization), any case.
 */
export function isAuthorizationHeaderName(name: string): boolean {
  const lower = normalise(name);
  return AUTHORIZATION_HEADERS.has(lower) || AUTHORIZATION_NAME_SHAPE.test(lower);
}

/** True when the header carries a signature (x-zendesk-webhook-signature, stripe-signature, x-hub-signature-256, …). */
export function isSignatureHeaderName(name: string): boolean {
  return SIGNATURE_NAME.test(normalise(name));
}

/**
 * True when the header's whole value is an API key or token by its name: the names above, and any name whose last
 * word names a secret (…-Token, …-Secret, …-Password, …-Api-Key, …-Access-Key, …-Auth), so that a provider's own
 * header is known without a list of providers (X-Zendesk-Api-Token, X-Figma-Token, X-Algolia-API-Key,
 * X-Hasura-Admin-Secret, X-Telegram-Bot-Api-Secret-Token, …). Signature headers never are.
 */
export function isApiKeyHeaderName(name: string): boolean {
  let known = apiKeyNames.get(name);
  if (known === undefined) {
    const lower = normalise(name);
    known = !isSignatureHeaderName(lower) && !isAuthorizationHeaderName(lower) && (API_KEY_HEADERS.has(lower) || endsLikeCredential(nameWords(name)));
    // Remembered: every capture asks for each of its headers, and senders repeat their names. A sender inventing
    // names cannot grow it past the bound.
    if (apiKeyNames.size >= MAX_REMEMBERED_NAMES) apiKeyNames.clear();
    apiKeyNames.set(name, known);
  }
  return known;
}

const MAX_REMEMBERED_NAMES = 1024;
const apiKeyNames = new Map<string, boolean>();

/**
 * True when a header of this name carries a credential: Authorization, Proxy-Authorization, Cookie, and
 * API-key headers by name (X-API-Key, api-key, X-Auth-Token, PRIVATE-TOKEN, X-Gitlab-Token, …). Signature
 * headers are not credentials. Case-insensitive. A header of another name may still carry a secret, which only
 * its value can tell (decodeCredentials looks).
 */
export function isCredentialHeaderName(name: string): boolean {
  const lower = normalise(name);
  return isAuthorizationHeaderName(lower) || lower === 'cookie' || isApiKeyHeaderName(name);
}

/** True when a header of this name never carries a secret, so its value's shape is not judged. */
export function isNeverSecretHeaderName(name: string): boolean {
  const lower = normalise(name);
  return (
    NEVER_SECRET.has(lower) ||
    NEVER_SECRET_PREFIXES.some((prefix) => lower.startsWith(prefix)) ||
    IDENTIFIER_NAME.test(lower) ||
    isSignatureHeaderName(lower)
  );
}

/** Query names that carry credentials although their words do not say so (presigned URLs, Azure SAS). */
const QUERY_CREDENTIALS = new Set([
  'api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'accesstoken', 'auth', 'auth_token', 'authtoken',
  'id_token', 'refresh_token', 'private_token', 'client_secret', 'secret', 'password', 'passwd', 'pwd', 'jwt',
  'bearer', 'x-api-key', 'x_api_key', 'x-amz-security-token', 'x-amz-signature', 'x-goog-signature', 'sig',
  'sessionid', 'session_token', 'jsessionid', 'phpsessid',
]);

/** The last part of a nested name that describes a credential rather than holding it: auth[type], token[expires]. */
const DESCRIPTOR_WORDS = new Set([
  'type', 'kind', 'name', 'id', 'ids', 'user', 'username', 'login', 'email', 'scope', 'scopes', 'expires', 'expiry',
  'exp', 'expiration', 'created', 'issued', 'issuer', 'version', 'format', 'length', 'hint', 'label', 'method', 'mode',
  'enabled', 'required', 'url', 'uri', 'provider', 'header', 'location',
]);

/**
 * True for query (and path matrix) parameter names that carry credentials, however a server would spell or nest
 * them: api_key, apiKey, API-KEY, access_token, hub.verify_token, client_secret, password, X-Amz-Signature, and
 * the bracket and dot forms servers read as nested (api_key[], auth[token], credentials.password, token[value],
 * but not auth[type]). Case-insensitive; the name is the decoded one.
 */
export function isCredentialQueryParam(name: string): boolean {
  const text = String(name);
  if (QUERY_CREDENTIALS.has(normalise(text))) return true;
  if (endsLikeCredential(nameWords(text))) return true;
  const segments = text.split(/[[\].]+/).filter((segment) => segment.trim() !== '');
  if (segments.length < 2) return false;
  const lastWords = nameWords(segments[segments.length - 1]);
  if (DESCRIPTOR_WORDS.has(lastWords[lastWords.length - 1] ?? '')) return false;
  return segments.slice(0, -1).some((segment) => {
    // A bare "key" holding other fields is a sort or map key far more often than an API key.
    const words = nameWords(segment);
    if (words.length === 1 && words[0] === 'key') return false;
    return QUERY_CREDENTIALS.has(normalise(segment)) || endsLikeCredential(words);
  });
}
