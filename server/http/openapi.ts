import { SIGNING_PROVIDERS } from '../verify';

/**
 * The OpenAPI 3.1 document of every `/api` route, the live stream's upgrade and `/metrics`, served at
 * `GET /api/openapi.json`. Its schemas mirror the wire types of shared/types.ts; test/openapi.test.ts keeps the two
 * together: every route of the router must be here (and nothing else), and real answers of every route must validate
 * against these schemas, which allow no property they do not name.
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const string: Schema = { type: 'string' };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  additionalProperties: false,
});
const json = (schema: Schema, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ref('Error'), description);

/** What a request's summary says; the whole request says more. */
const summaryProperties: Record<string, Schema> = {
  id: { type: 'integer', minimum: 1 },
  binId: string,
  receivedAt: { type: 'string', format: 'date-time' },
  method: string,
  path: string,
  query: string,
  contentType: nullable(string),
  size: { type: 'integer', minimum: 0 },
  remoteAddress: string,
  authLabel: nullable(string),
  redacted: { const: true },
  signature: { ...nullable({ enum: ['verified', 'mismatch', 'stale', 'no-secret', 'malformed'] }), description: 'the most telling signature check; null: none' },
  status: { type: 'integer', minimum: 100, maximum: 599, description: 'what capture answered' },
  handshake: { ...string, description: 'the provider whose endpoint check capture answered (slack, zoom, meta, microsoft-graph, twitch)' },
  delivery: object({ provider: string, id: string, attempt: { type: 'integer', minimum: 1 } }),
};
const summaryOptional = ['redacted', 'handshake', 'delivery'];

const schemas: Record<string, Schema> = {
  Error: object({ error: string }),
  Health: object({ ok: { const: true }, version: string }),
  Ready: object({ ok: { const: true } }),
  Session: object({ authRequired: { type: 'boolean' }, authenticated: { type: 'boolean' } }),
  Bin: object({
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    name: string,
    createdAt: { type: 'string', format: 'date-time' },
    captureUrl: { ...string, description: 'absolute in REST answers; a path (/b/{id}) in live `bin` messages' },
    requestCount: { type: 'integer', minimum: 0 },
    lastRequestAt: nullable({ type: 'string', format: 'date-time' }),
    signingSecrets: { type: 'array', items: string, description: 'providers that have a secret; never the values' },
    response: nullable(ref('BinResponse')),
    relayUrl: { ...string, description: 'smee-compatible relay URL (no token, this bin only); a path in live `bin` messages' },
  }, ['relayUrl']),
  BinResponse: object({
    status: { type: 'integer', minimum: 100, maximum: 599, not: { const: 101 }, default: 200 },
    headers: { type: 'array', items: ref('HeaderPair'), maxItems: 50, description: 'sent in this order and case; {id} is replaced; no Content-Length, Transfer-Encoding or Connection' },
    body: { anyOf: [{ ...string, description: 'UTF-8 text; {id} is replaced' }, object({ base64: string })], description: 'absent: {"ok":true,"id":…}' },
    delayMs: { type: 'integer', minimum: 0, maximum: 30000, default: 0 },
  }, ['status', 'headers', 'body', 'delayMs']),
  BinList: object({ bins: { type: 'array', items: ref('Bin') } }),
  RequestSummary: object(summaryProperties, summaryOptional),
  RequestPage: object({
    requests: { type: 'array', items: ref('RequestSummary') },
    hasMore: { type: 'boolean' },
    total: { type: 'integer', minimum: 0, description: 'how many requests match q, whatever the page bounds; without q, the bin\'s count' },
  }, ['total']),
  HeaderPair: { type: 'array', prefixItems: [string, string], minItems: 2, maxItems: 2 },
  CapturedBody: object({ base64: string, text: nullable(string), truncated: { type: 'boolean' }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } }),
  CapturedRequest: object({
    ...summaryProperties,
    url: string,
    httpVersion: string,
    headers: { type: 'array', items: ref('HeaderPair') },
    trailers: { type: 'array', items: ref('HeaderPair'), description: 'trailer fields after a chunked body; absent when none' },
    body: ref('CapturedBody'),
    analysis: ref('Analysis'),
  }, [...summaryOptional, 'trailers']),
  Finding: object({ code: string, severity: { enum: ['info', 'warning', 'error'] }, message: string }),
  MaskedSecret: object({ masked: string, length: { type: 'integer', minimum: 0 }, sha256: string }),
  JwtInfo: object({
    header: { type: 'object' }, payload: { type: 'object' }, issuedAt: string, expiresAt: string, notBefore: string,
    expired: { type: 'boolean' },
  }, ['issuedAt', 'expiresAt', 'notBefore', 'expired']),
  Credential: object({
    location: object({ in: { enum: ['header', 'query'] }, name: string }),
    scheme: nullable(string),
    kind: { enum: ['basic', 'zendesk-api-token', 'jwt', 'jwe', 'bearer', 'api-key', 'digest', 'aws-sigv4', 'other'] },
    label: string,
    username: string,
    secret: ref('MaskedSecret'),
    token: string,
    jwt: ref('JwtInfo'),
    details: { type: 'object', additionalProperties: string },
    problems: { type: 'array', items: ref('Finding') },
  }, ['username', 'secret', 'token', 'jwt', 'details']),
  SignatureCheck: object({
    provider: string,
    header: string,
    status: { enum: ['verified', 'mismatch', 'stale', 'no-secret', 'malformed'] },
    secretSource: { enum: ['zendesk-test-secret', 'bin'] },
    message: string,
  }, ['secretSource']),
  Source: object({
    provider: string, accountId: string, webhookId: string, invocationId: string, testDelivery: { type: 'boolean' },
    details: { type: 'object', additionalProperties: string },
  }, ['accountId', 'webhookId', 'invocationId', 'testDelivery', 'details']),
  Analysis: object({
    credentials: { type: 'array', items: ref('Credential') },
    signatures: { type: 'array', items: ref('SignatureCheck') },
    source: nullable(ref('Source')),
    warnings: { type: 'array', items: ref('Finding') },
  }),
  NewBin: object({ id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' }, name: { type: 'string', maxLength: 200 } }, ['id', 'name']),
  BinChanges: object({
    name: { type: 'string', maxLength: 200 },
    signingSecrets: {
      type: 'object',
      description: 'provider id → secret (or public key); null removes one',
      propertyNames: { enum: SIGNING_PROVIDERS.map((p) => p.id) },
      additionalProperties: nullable({ type: 'string', maxLength: 4096 }),
    },
    response: nullable(ref('BinResponse')),
  }, ['name', 'signingSecrets', 'response']),
  SignIn: object({ token: string }),
  Har: {
    type: 'object',
    description: 'HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): one entry per request, newest first; entry.comment names the hooklens request id',
    required: ['log'],
    additionalProperties: false,
    properties: {
      log: {
        type: 'object',
        required: ['version', 'creator', 'entries'],
        properties: {
          version: { const: '1.2' },
          creator: object({ name: { const: 'hooklens' }, version: string }),
          entries: { type: 'array', items: { type: 'object', required: ['startedDateTime', 'time', 'request', 'response', 'cache', 'timings', 'comment'] } },
          comment: { ...string, description: 'with ids: the ids left out because the bin does not hold them' },
        },
      },
    },
  },
  ReplayTarget: object({ url: { type: 'string', format: 'uri', description: 'absolute http or https URL; the captured sub-path and query are appended' } }),
  SendTest: object({
    method: { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$", description: 'default POST' },
    path: { type: 'string', pattern: '^/', maxLength: 2048, description: 'the sub-path after /b/{binId}, with an optional ?query; default /' },
    headers: { type: 'array', maxItems: 100, items: ref('HeaderPair'), description: 'stored as given: order, case, duplicates; no CR or LF' },
    body: { type: 'string', description: 'stored as UTF-8 bytes, at most 256 KB' },
  }, ['method', 'path', 'headers', 'body']),
  ReplayAnswer: object({
    status: { type: 'integer', minimum: 100, maximum: 999, description: 'the target\'s status; a 3xx is not followed' },
    headers: { type: 'array', items: ref('HeaderPair'), description: 'the target\'s headers in order and case, values as latin1' },
    body: object({ base64: string, truncated: { type: 'boolean', description: 'the body went past 1 MB; the first 1 MB is kept' } }),
    ms: { type: 'integer', minimum: 0 },
  }),
};

const binId = { name: 'binId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } };
const requestId = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } };
const relayKey = { name: 'key', in: 'path', required: true, description: 'the bin\'s relay key (see Bin.relayUrl)', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,128}$' } };
const idQuery = (name: string, description: string) => ({ name, in: 'query', required: false, description, schema: { type: 'integer', minimum: 0 } });
const bearer = [{ bearer: [] }, { session: [] }];
const denied = { 401: error('no token, a wrong one, or (open loopback mode) a non-loopback Host'), 403: error('a state change from another site'), 429: error('too many failed sign-in attempts from this address') };
const unavailable = { 503: error('the database is unavailable; try again shortly') };
const notFound = { 404: error('no such bin or request') };
const sandboxed = (description: string, type: string) => ({ description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } });

const paths = {
  '/api/health': { get: { summary: 'Liveness: the process answers', security: [], responses: { 200: json(ref('Health'), 'alive') } } },
  '/api/ready': {
    get: { summary: 'Readiness: the database (and on PostgreSQL the live bus) answers', security: [],
      responses: { 200: json(ref('Ready'), 'ready'), 503: error('not ready, and why') } },
  },
  '/api/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } } } },
  '/api/session': {
    get: { summary: 'Whether a token is needed, and whether this caller has it', security: [], responses: { 200: json(ref('Session'), 'the state'), 429: denied[429] } },
    post: { summary: 'Sign in: sets the HttpOnly session cookie', security: [], requestBody: { required: true, content: { 'application/json': { schema: ref('SignIn') } } },
      responses: { 204: { description: 'signed in (Set-Cookie)' }, 400: error('not JSON'), ...denied } },
    delete: { summary: 'Sign out: clears the session cookie', security: [], responses: { 204: { description: 'signed out' }, 403: denied[403] } },
  },
  '/api/backup': {
    get: {
      summary: 'An online backup of the embedded (SQLite) database, as a file to download; captures go on meanwhile', security: bearer,
      responses: { 200: sandboxed('a SQLite database file', 'application/octet-stream'), 400: error('on PostgreSQL: back it up with pg_dump'), ...denied, ...unavailable },
    },
  },
  '/api/bins': {
    get: { summary: 'Every bin, newest first', security: bearer, responses: { 200: json(ref('BinList'), 'the bins'), ...denied, ...unavailable } },
    post: {
      summary: 'Create a bin (a random unguessable id without "id")', security: bearer,
      requestBody: { content: { 'application/json': { schema: ref('NewBin') } } },
      responses: { 201: json(ref('Bin'), 'created'), 400: error('invalid id or name'), 409: error('id taken'), 415: error('a body that is not JSON'), ...denied, ...unavailable },
    },
  },
  '/api/bins/{binId}': {
    parameters: [binId],
    get: { summary: 'One bin', security: bearer, responses: { 200: json(ref('Bin'), 'the bin'), ...notFound, ...denied, ...unavailable } },
    patch: {
      summary: 'Rename, set signing secrets (write-only), or set what the capture URL answers (null: the default)', security: bearer,
      requestBody: { required: true, content: { 'application/json': { schema: ref('BinChanges') } } },
      responses: { 200: json(ref('Bin'), 'the changed bin'), 400: error('an invalid field, named'), 415: error('a body that is not JSON'), ...notFound, ...denied, ...unavailable },
    },
    delete: { summary: 'Delete the bin and its requests', security: bearer, responses: { 204: { description: 'deleted' }, ...notFound, ...denied, ...unavailable } },
  },
  '/api/bins/{binId}/relay-key': {
    parameters: [binId],
    post: {
      summary: 'A new relay key: the old relay URL stops working', security: bearer,
      responses: { 200: json(ref('Bin'), 'the bin with its new relayUrl'), ...notFound, ...denied, ...unavailable },
    },
  },
  '/api/bins/{binId}/requests': {
    parameters: [binId],
    get: {
      summary: 'Requests, newest first, paged by id; with q, only those that match, and how many do', security: bearer,
      parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        idQuery('before', 'only ids below this one'), idQuery('after', 'only ids above this one'),
        {
          name: 'q', in: 'query', required: false, schema: { type: 'string', maxLength: 1000 },
          description: 'a search: terms that must all match, separated by spaces. A word matches a whole word or the start ' +
            'of one (letters and digits; case-insensitive) in the method, path, query, headers or body text; "a phrase" ' +
            'those words in order; method:POST, path:/hooks/* (* any run, ? one character), header:name, ' +
            'header:name=value, auth:<credential kind or none>, sig:<verified|mismatch|stale|no-secret|malformed|none>, ' +
            'provider:zendesk, after:/before:<ISO date or date-time>; - before a term excludes it',
        }],
      responses: {
        200: json(ref('RequestPage'), 'a page'), 400: error('a bad limit, before or after, or a query that cannot be read (what and where)'),
        ...notFound, ...denied, ...unavailable,
      },
    },
    delete: { summary: 'Empty the bin', security: bearer, responses: { 204: { description: 'emptied' }, ...notFound, ...denied, ...unavailable } },
  },
  '/api/bins/{binId}/requests/{id}': {
    parameters: [binId, requestId],
    get: { summary: 'One request, whole, with its analysis (credentials, signatures, source)', security: bearer,
      responses: { 200: json(ref('CapturedRequest'), 'the request'), 400: error('a bad id'), ...notFound, ...denied, ...unavailable } },
    delete: { summary: 'Delete one request', security: bearer, responses: { 204: { description: 'deleted' }, ...notFound, ...denied, ...unavailable } },
  },
  '/api/bins/{binId}/requests/{id}/raw': {
    parameters: [binId, requestId],
    get: { summary: 'The request as received: request line, headers in order, blank line, body bytes (sandboxed)', security: bearer,
      responses: { 200: sandboxed('the message', 'text/plain'), 400: error('a bad id'), ...notFound, ...denied, ...unavailable } },
  },
  '/api/bins/{binId}/requests/{id}/body': {
    parameters: [binId, requestId],
    get: { summary: 'The body bytes exactly, as an attachment (sandboxed); with ?decoded, its Content-Encoding undone', security: bearer,
      parameters: [{ name: 'decoded', in: 'query', required: false, description: 'undo the body\'s Content-Encoding (gzip, deflate, br); at most 16 MB, X-Hooklens-Decoded: cut past it', schema: { type: 'string' } }],
      responses: { 200: sandboxed('the body', 'application/octet-stream'), 400: error('a bad id, or ?decoded for a body with no single known coding'),
        422: error('?decoded: the bytes are not valid for their coding'), ...notFound, ...denied, ...unavailable } },
  },
  '/api/bins/{binId}/requests/{id}/replay': {
    parameters: [binId, requestId],
    post: {
      summary: 'Send the captured request again, from the server, to a URL; answers the target\'s answer', security: bearer,
      description: 'Method, headers (order and case; Host the target\'s; hop-by-hop ones dropped; Content-Length the real one) and ' +
        'body bytes as stored. Refused before connecting: schemes other than http and https, names that do not resolve, and ' +
        'targets that are or resolve to loopback, private, link-local, unique-local, unspecified, carrier-grade NAT, multicast ' +
        'or reserved addresses (IPv4-mapped forms too) unless --replay-allow lists them. 10 s in all.',
      requestBody: { required: true, content: { 'application/json': { schema: ref('ReplayTarget') } } },
      responses: {
        200: json(ref('ReplayAnswer'), 'the target\'s answer'), 400: error('a bad id or body, or a refused target, and why'),
        415: error('a body that is not JSON'), ...notFound, ...denied,
        502: error('the connection failed, or the answer was not HTTP'), 504: error('no whole answer within 10 s'), ...unavailable,
      },
    },
  },
  '/api/bins/{binId}/send-test': {
    parameters: [binId],
    post: {
      summary: 'Store a test request into the bin, as if it had arrived at its capture URL; answers its id', security: bearer,
      description: 'Headers (order, case, duplicates), method, path and body as given, remote address "hooklens (send-test)". ' +
        'Nothing is sent over the network: there is no target to give ("url" is refused).',
      requestBody: { required: true, content: { 'application/json': { schema: ref('SendTest') } } },
      responses: {
        201: json(object({ id: { type: 'integer', minimum: 1 } }), 'stored'), 400: error('a bad field, named'),
        415: error('a body that is not JSON'), 404: error('no such bin'), ...denied, ...unavailable,
      },
    },
  },
  '/api/bins/{binId}/requests/{id}/curl': {
    parameters: [binId, requestId],
    get: {
      summary: 'The request as one bash command (curl) that sends it again, byte for byte', security: bearer,
      description: 'Method, request-target, headers in order and case (Host the destination\'s, Content-Length the body\'s length, ' +
        'curl\'s own User-Agent and Accept removed) and body bytes as stored. ASCII whatever the request holds: values in ' +
        'single quotes, or $\'…\' with \\xHH escapes; the body on curl\'s standard input from printf (text) or base64 -d.',
      parameters: [{ name: 'to', in: 'query', required: false, description: 'send it to this http(s) URL instead of the capture URL; ' +
        'the captured sub-path and query are appended as hooklens forward does', schema: { type: 'string', format: 'uri' } }],
      responses: {
        200: { description: 'the command', content: { 'text/plain': { schema: string } } },
        400: error('a bad id, or a "to" that is not an absolute http(s) URL'), ...notFound, ...denied, ...unavailable,
      },
    },
  },
  '/api/bins/{binId}/har': {
    parameters: [binId],
    get: {
      summary: 'The bin\'s requests, or those listed, as a HAR 1.2 document to download (streamed), newest first', security: bearer,
      parameters: [{ name: 'ids', in: 'query', required: false, description: 'at most 1000 request ids, comma-separated; ids the bin ' +
        'does not hold are left out and named in log.comment', schema: { type: 'string', pattern: '^\\d+(,\\d+)*$' } }],
      responses: {
        200: json(ref('Har'), 'the document, as an attachment (<binId>.har)'),
        400: error('bad ids, or more than 1000'), 404: error('no such bin'), ...denied, ...unavailable,
      },
    },
  },
  '/api/live': {
    get: {
      summary: 'The live stream: a WebSocket upgrade (see the contract\'s "Live stream" for the messages)', security: bearer,
      parameters: [{ name: 'Upgrade', in: 'header', required: true, schema: { const: 'websocket' } }],
      responses: { 101: { description: 'switching to the WebSocket protocol' }, ...denied, 503: error('the database is unavailable') },
    },
  },
  '/relay/{key}': {
    parameters: [relayKey],
    get: {
      summary: 'The bin\'s smee-compatible relay: Server-Sent Events for smee-client and hooklens forward; the key is the credential',
      description: 'A `ready` event (its id: the request id it starts after), a `ping` every 30 s, then one `message` per capture, ' +
        'its id the request id, its data the headers as keys (lowercased, no hop-by-hop ones) plus `body` (parsed JSON, else ' +
        'the text), `query` (an object) and `timestamp` (ms). Captures with a greater id than Last-Event-ID (or `after`) come ' +
        'first. The stream ends when the bin is deleted, its key rotated, or the client reads too slowly; resume with Last-Event-ID.',
      security: [],
      parameters: [idQuery('after', 'send the stored captures with greater ids first'),
        { name: 'Last-Event-ID', in: 'header', required: false, description: 'as `after`, and preferred to it', schema: { type: 'integer', minimum: 0 } }],
      responses: {
        200: { description: 'the event stream', content: { 'text/event-stream': { schema: string } } },
        400: error('a bad after or Last-Event-ID'), 404: error('no such relay key (the bin deleted, or its key rotated)'), ...unavailable,
      },
    },
  },
  '/relay/{key}/requests/{id}/raw': {
    parameters: [relayKey, requestId],
    get: { summary: 'A capture of the relay\'s bin as received, as /api/bins/{binId}/requests/{id}/raw answers it (sandboxed)', security: [],
      responses: { 200: sandboxed('the message', 'text/plain'), 400: error('a bad id'), 404: error('no such relay key, or no such request in its bin'), ...unavailable } },
  },
  '/metrics': {
    get: { summary: 'Prometheus metrics (text format)', security: bearer,
      responses: { 200: { description: 'the metrics', content: { 'text/plain': { schema: string } } }, ...denied } },
  },
};

/** The document, for a server whose version is `version`. */
export function openApiDocument(version: string): object {
  return {
    openapi: '3.1.0',
    info: { title: 'hooklens', version, description: 'A self-hosted webhook inspector. Capture URLs (ANY /b/{binId}[/...]) take any request and are not part of this API.' },
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'the access token' },
        session: { type: 'apiKey', in: 'cookie', name: 'hooklens_session', description: 'set by POST /api/session' },
      },
    },
  };
}
