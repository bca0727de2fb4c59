import type { HeaderPair, SignatureCheck, Source } from '../../shared/types';
import { hasHeaderPrefix, headerValue } from './headers';

/** A sender known by its headers: any of `marks` present (or a User-Agent matching `userAgent`) names it. */
interface KnownSender {
  provider: string;
  /** Header names, or prefixes ending in "-*", any of which identifies the sender. */
  marks: string[];
  userAgent?: RegExp;
  /** Source.details key → header name. */
  details?: Record<string, string>;
}

// Order matters where senders share a convention: the specific ones first, Svix / Standard Webhooks last.
const SENDERS: readonly KnownSender[] = [
  { provider: 'github', marks: ['x-github-*'], userAgent: /^GitHub-Hookshot\//i, details: { event: 'x-github-event', delivery: 'x-github-delivery', hookId: 'x-github-hook-id', targetType: 'x-github-hook-installation-target-type', targetId: 'x-github-hook-installation-target-id' } },
  { provider: 'gitlab', marks: ['x-gitlab-event'], details: { event: 'x-gitlab-event', instance: 'x-gitlab-instance', eventUuid: 'x-gitlab-event-uuid', webhookUuid: 'x-gitlab-webhook-uuid' } },
  { provider: 'stripe', marks: ['stripe-signature'], userAgent: /^Stripe\//i },
  { provider: 'slack', marks: ['x-slack-signature', 'x-slack-request-timestamp'], userAgent: /^Slackbot/i, details: { retryNum: 'x-slack-retry-num', retryReason: 'x-slack-retry-reason' } },
  { provider: 'shopify', marks: ['x-shopify-*'], details: { topic: 'x-shopify-topic', shopDomain: 'x-shopify-shop-domain', apiVersion: 'x-shopify-api-version', webhookId: 'x-shopify-webhook-id', eventId: 'x-shopify-event-id', triggeredAt: 'x-shopify-triggered-at' } },
  { provider: 'sendgrid', marks: ['x-twilio-email-event-webhook-signature'] },
  { provider: 'twilio', marks: ['x-twilio-signature', 'i-twilio-idempotency-token'], userAgent: /^TwilioProxy\//i, details: { idempotencyToken: 'i-twilio-idempotency-token' } },
  { provider: 'hubspot', marks: ['x-hubspot-signature', 'x-hubspot-signature-v3'], details: { signatureVersion: 'x-hubspot-signature-version' } },
  { provider: 'linear', marks: ['linear-signature', 'linear-delivery', 'linear-event'], details: { event: 'linear-event', delivery: 'linear-delivery' } },
  { provider: 'pagerduty', marks: ['x-pagerduty-signature'], userAgent: /^PagerDuty-Webhook\//i, details: { webhookId: 'x-webhook-id', subscription: 'x-webhook-subscription' } },
  { provider: 'twitch', marks: ['twitch-eventsub-*'], details: { messageType: 'twitch-eventsub-message-type', messageId: 'twitch-eventsub-message-id', subscriptionType: 'twitch-eventsub-subscription-type', subscriptionVersion: 'twitch-eventsub-subscription-version' } },
  { provider: 'jira', marks: ['x-atlassian-webhook-identifier'], userAgent: /^Atlassian Webhook/i, details: { identifier: 'x-atlassian-webhook-identifier', retry: 'x-atlassian-webhook-retry' } },
  { provider: 'bitbucket', marks: ['x-hook-uuid'], userAgent: /^Bitbucket-Webhooks\//i, details: { event: 'x-event-key', hookUuid: 'x-hook-uuid', requestUuid: 'x-request-uuid' } },
  { provider: 'intercom', marks: [], userAgent: /^intercom-/i },
  { provider: 'square', marks: ['x-square-hmacsha256-signature', 'x-square-signature'] },
  { provider: 'discord', marks: ['x-signature-ed25519'] },
  { provider: 'paddle', marks: ['paddle-signature'] },
  { provider: 'calendly', marks: ['calendly-webhook-signature'] },
  { provider: 'zoom', marks: ['x-zm-signature'], userAgent: /^Zoom Marketplace/i },
  { provider: 'typeform', marks: ['typeform-signature'], userAgent: /^Typeform/i },
  { provider: 'postmark', marks: [], userAgent: /^Postmark/i },
  { provider: 'svix', marks: ['svix-id', 'svix-signature'], userAgent: /^Svix-Webhooks\//i, details: { messageId: 'svix-id', timestamp: 'svix-timestamp' } },
  { provider: 'standard-webhooks', marks: ['webhook-id', 'webhook-signature'], details: { messageId: 'webhook-id', timestamp: 'webhook-timestamp' } },
];

/**
 * Who sent the request, from its headers: Zendesk first (with its ids, and testDelivery when its signature matched
 * Zendesk's public test secret), then the senders above; failing those, the provider of the first signature check.
 * Null when nothing is recognised.
 */
export function recognizeSource(headers: HeaderPair[], signatures: SignatureCheck[]): Source | null {
  const zendesk = recognizeZendesk(headers, signatures);
  if (zendesk) return zendesk;
  const userAgent = headerValue(headers, 'user-agent') ?? '';
  const sender = SENDERS.find((s) => s.marks.some((m) => hasMark(headers, m)) || (s.userAgent?.test(userAgent) ?? false));
  if (sender) return withDetails({ provider: sender.provider }, headers, sender.details);
  return signatures.length > 0 ? { provider: signatures[0].provider } : null;
}

function recognizeZendesk(headers: HeaderPair[], signatures: SignatureCheck[]): Source | null {
  const userAgent = headerValue(headers, 'user-agent') ?? '';
  if (!hasHeaderPrefix(headers, 'x-zendesk-') && !/^Zendesk Webhook/i.test(userAgent)) return null;
  const source: Source = { provider: 'zendesk' };
  const accountId = headerValue(headers, 'x-zendesk-account-id');
  const webhookId = headerValue(headers, 'x-zendesk-webhook-id');
  const invocationId = headerValue(headers, 'x-zendesk-webhook-invocation-id');
  if (accountId) source.accountId = accountId;
  if (webhookId) source.webhookId = webhookId;
  if (invocationId) source.invocationId = invocationId;
  const test = signatures.some(
    (s) => s.provider === 'zendesk' && s.status === 'verified' && s.secretSource === 'zendesk-test-secret',
  );
  if (test) source.testDelivery = true;
  return source;
}

function hasMark(headers: HeaderPair[], mark: string): boolean {
  return mark.endsWith('-*') ? hasHeaderPrefix(headers, mark.slice(0, -1)) : headerValue(headers, mark) !== undefined;
}

function withDetails(source: Source, headers: HeaderPair[], map: Record<string, string> | undefined): Source {
  const details: Record<string, string> = {};
  for (const [key, name] of Object.entries(map ?? {})) {
    const value = headerValue(headers, name);
    if (value) details[key] = value;
  }
  return Object.keys(details).length > 0 ? { ...source, details } : source;
}
