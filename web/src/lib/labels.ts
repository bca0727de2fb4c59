/** Names for people of the analysis's codes: credential kinds, providers, signature statuses. */
import { SIGNING_PROVIDERS as PROVIDERS } from '../../../shared/providers';
import type { CredentialKind, SignatureStatus } from '../../../shared/types';

const KIND_NAMES: Record<CredentialKind, string> = {
  basic: 'Basic credentials',
  'zendesk-api-token': 'Zendesk API token',
  jwt: 'JWT',
  jwe: 'JWE (encrypted JWT)',
  bearer: 'Bearer token',
  'api-key': 'API key',
  digest: 'Digest',
  'aws-sigv4': 'AWS Signature V4',
  other: 'Other credential',
};

/** "Zendesk API token" for 'zendesk-api-token'; an unknown kind as it is. */
export function kindName(kind: string): string {
  return (KIND_NAMES as Record<string, string>)[kind] ?? kind;
}

/** The providers a bin can hold a signing secret for, in the settings form's order: the server's own list. */
export const SIGNING_PROVIDERS: readonly string[] = PROVIDERS.map((p) => p.id);

const PROVIDER_NAMES: Record<string, string> = {
  ...Object.fromEntries(PROVIDERS.map((p) => [p.id, p.name])),
  svix: 'Svix',
};

/** Where a person finds the provider's signing secret and what it looks like. */
export function secretHint(provider: string): string {
  return PROVIDERS.find((p) => p.id === provider)?.secretHint ?? '';
}

/** Whether the provider's key is a public key (set like a secret, write-only all the same). */
export function isPublicKey(provider: string): boolean {
  return PROVIDERS.find((p) => p.id === provider)?.publicKey === true;
}

/** "signing secret" or "public key", for the settings form. */
export function keyNoun(provider: string): string {
  return isPublicKey(provider) ? 'public key' : 'signing secret';
}

/** "GitHub" for 'github'; an unknown provider as it is. */
export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

const STATUS_NAMES: Record<SignatureStatus, string> = {
  verified: 'verified',
  mismatch: 'mismatch',
  stale: 'stale',
  'no-secret': 'no secret',
  malformed: 'malformed',
};

/** The badge text of a signature status. */
export function statusName(status: string): string {
  return (STATUS_NAMES as Record<string, string>)[status] ?? status;
}

/** "2xx"…"5xx" for a status, the class its badge is coloured by; "1xx" for informational answers. */
export function statusClass(status: number): string {
  return `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx`;
}

const HANDSHAKE_NAMES: Record<string, string> = {
  slack: 'Slack',
  zoom: 'Zoom',
  meta: 'Meta',
  'microsoft-graph': 'Microsoft Graph',
  twitch: 'Twitch',
};

/** "Slack endpoint check" for a request capture answered as a provider's endpoint check ('slack'). */
export function handshakeName(provider: string): string {
  return `${HANDSHAKE_NAMES[provider] ?? providerName(provider)} endpoint check`;
}

/** What the provider calls one delivery: Zendesk an "invocation", GitHub and the others a "delivery". */
export function deliveryNoun(provider: string): string {
  return provider === 'zendesk' ? 'invocation' : 'delivery';
}

/** "attempt 2 of invocation 8350205582": which attempt of the provider's delivery a request is. */
export function attemptText(delivery: { provider: string; id: string; attempt: number }): string {
  return `attempt ${delivery.attempt} of ${deliveryNoun(delivery.provider)} ${delivery.id}`;
}
