/** Names for people of the analysis's codes: credential kinds, providers, signature statuses. */
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

/**
 * The providers a bin can hold a signing secret for (server/verify's SIGNING_PROVIDERS; web/ cannot import server
 * code, so the list is kept here too).
 */
export const SIGNING_PROVIDERS = [
  'zendesk',
  'github',
  'stripe',
  'slack',
  'shopify',
  'standard-webhooks',
  'twilio',
  'hubspot',
  'linear',
  'pagerduty',
  'twitch',
  'intercom',
] as const;

const PROVIDER_NAMES: Record<string, string> = {
  zendesk: 'Zendesk',
  github: 'GitHub',
  stripe: 'Stripe',
  slack: 'Slack',
  shopify: 'Shopify',
  'standard-webhooks': 'Standard Webhooks',
  twilio: 'Twilio',
  hubspot: 'HubSpot',
  linear: 'Linear',
  pagerduty: 'PagerDuty',
  twitch: 'Twitch',
  intercom: 'Intercom',
  jira: 'Jira',
  svix: 'Svix',
};

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
