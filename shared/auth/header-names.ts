/**
 * Which header and query-parameter names carry credentials, which carry signatures (proof of a secret, not the
 * secret), and which never carry secrets, so that a value's shape is only judged where it could be one.
 */

/** Authorization-style headers: a scheme then credentials. */
const AUTHORIZATION_HEADERS = new Set(['authorization', 'proxy-authorization']);

/** Headers that hold an API key or token as their whole value. */
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

/** Names ending like these hold a credential too, e.g. "X-Shopify-Access-Token", "X-Acme-Api-Key". */
const API_KEY_NAME_SHAPE = /(^|[-_])(api[-_]?key|api[-_]?token|access[-_]?token|auth[-_]?token|token|secret|password|passwd|access[-_]?key|subscription[-_]?key)$/;

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

/** True for Authorization and Proxy-Authorization (scheme + credentials), any case. */
export function isAuthorizationHeaderName(name: string): boolean {
  return AUTHORIZATION_HEADERS.has(normalise(name));
}

/** True when the header carries a signature (x-zendesk-webhook-signature, stripe-signature, x-hub-signature-256, …). */
export function isSignatureHeaderName(name: string): boolean {
  return SIGNATURE_NAME.test(normalise(name));
}

/** True when the header's whole value is an API key or token by its name (X-API-Key, PRIVATE-TOKEN, …). */
export function isApiKeyHeaderName(name: string): boolean {
  const lower = normalise(name);
  if (isSignatureHeaderName(lower) || AUTHORIZATION_HEADERS.has(lower)) return false;
  return API_KEY_HEADERS.has(lower) || (API_KEY_NAME_SHAPE.test(lower) && !lower.startsWith('x-zendesk-'));
}

/**
 * True when a header of this name carries a credential: Authorization, Proxy-Authorization, Cookie, and
 * API-key headers by name (X-API-Key, api-key, X-Auth-Token, PRIVATE-TOKEN, X-Gitlab-Token, …). Signature
 * headers are not credentials. Case-insensitive. A header of another name may still carry a secret, which only
 * its value can tell (decodeCredentials looks).
 */
export function isCredentialHeaderName(name: string): boolean {
  const lower = normalise(name);
  return AUTHORIZATION_HEADERS.has(lower) || lower === 'cookie' || isApiKeyHeaderName(lower);
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

const QUERY_CREDENTIALS = new Set([
  'api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'accesstoken', 'auth', 'auth_token', 'authtoken',
  'id_token', 'refresh_token', 'private_token', 'client_secret', 'secret', 'password', 'passwd', 'pwd', 'jwt',
  'bearer', 'x-api-key', 'x_api_key', 'x-amz-security-token', 'x-amz-signature', 'sessionid', 'session_token',
]);

/**
 * True for query parameter names that carry credentials (api_key, apikey, key, token, access_token, auth_token,
 * client_secret, password, X-Amz-Signature, …). Case-insensitive.
 */
export function isCredentialQueryParam(name: string): boolean {
  return QUERY_CREDENTIALS.has(normalise(name));
}
