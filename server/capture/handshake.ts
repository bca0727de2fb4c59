import { createHmac } from 'node:crypto';
import type { NewRequest } from '../store';
import { answer, type Answer } from './response';

/** A provider's endpoint check, answered whatever the bin's response so that the provider accepts the bin. */
export interface Handshake {
  provider: string;
  answer: Answer;
}

/** Bodies past this size are not endpoint checks (they are a few hundred bytes): not parsed. */
const MAX_CHECK_BODY = 16 * 1024;
/** A challenge is echoed back; one past this length is not a provider's. */
const MAX_CHALLENGE = 2048;

type Request = Pick<NewRequest, 'method' | 'query' | 'headers' | 'body' | 'truncated'>;

/**
 * The endpoint check this request is, with its answer, or null (nearly always: a few byte searches decide). Slack's
 * `url_verification`, Zoom's `endpoint.url_validation` (answered with the bin's Zoom secret token; without one it is
 * not answered), Meta's `hub.challenge`, Microsoft Graph's `validationToken` and Twitch's
 * `webhook_callback_verification`. The challenge goes back as text under the sandbox headers, like every answer.
 */
export function handshakeFor(request: Request, secrets: Readonly<Record<string, string>>): Handshake | null {
  if (request.query !== '') {
    const fromQuery = queryHandshake(request);
    if (fromQuery) return fromQuery;
  }
  if (request.truncated || request.body.length > MAX_CHECK_BODY || request.body.length === 0) return null;
  if (request.body.includes('url_verification')) {
    const body = jsonObject(request.body);
    if (body?.type === 'url_verification') return challengeAnswer('slack', body.challenge);
  }
  if (request.body.includes('endpoint.url_validation') && secrets.zoom) {
    const body = jsonObject(request.body);
    const plainToken = (body?.payload as Record<string, unknown> | undefined)?.plainToken;
    if (body?.event === 'endpoint.url_validation' && isChallenge(plainToken)) {
      const encryptedToken = createHmac('sha256', secrets.zoom).update(plainToken).digest('hex');
      return { provider: 'zoom', answer: json({ plainToken, encryptedToken }) };
    }
  }
  if (isTwitchVerification(request)) {
    const body = jsonObject(request.body);
    return challengeAnswer('twitch', body?.challenge);
  }
  return null;
}

/** Meta (`hub.mode=subscribe&hub.challenge=…`, a GET) and Microsoft Graph (`validationToken=…`). */
function queryHandshake({ method, query }: Request): Handshake | null {
  if (!query.includes('hub.challenge') && !query.includes('validationToken')) return null;
  const params = new URLSearchParams(query);
  if (method === 'GET' && params.get('hub.mode') === 'subscribe' && params.has('hub.challenge')) {
    return challengeAnswer('meta', params.get('hub.challenge'));
  }
  if (params.has('validationToken')) return challengeAnswer('microsoft-graph', params.get('validationToken'));
  return null;
}

function isTwitchVerification({ headers }: Request): boolean {
  return headers.some(([name, value]) => name.length === 28 && name.toLowerCase() === 'twitch-eventsub-message-type'
    && value.trim() === 'webhook_callback_verification');
}

function challengeAnswer(provider: string, challenge: unknown): Handshake | null {
  if (!isChallenge(challenge)) return null;
  return { provider, answer: answer(200, ['Content-Type', 'text/plain; charset=utf-8'], Buffer.from(challenge)) };
}

function isChallenge(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CHALLENGE;
}

function json(value: object): Answer {
  return answer(200, ['Content-Type', 'application/json'], Buffer.from(JSON.stringify(value)));
}

function jsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : null;
  } catch {
    return null;
  }
}
