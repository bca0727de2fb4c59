import type { Delivery, HeaderPair } from '../../shared/types';

/**
 * Headers that carry a provider's delivery id, which its retries (and redeliveries) send again: lower-case name →
 * provider. Zendesk retries a failed delivery with the same invocation id; GitHub redeliveries keep their GUID;
 * Standard Webhooks (and Svix, its origin) keep `webhook-id`; Shopify and Twilio keep theirs.
 */
const DELIVERY_HEADERS = new Map<string, string>([
  ['x-zendesk-webhook-invocation-id', 'zendesk'],
  ['x-github-delivery', 'github'],
  ['webhook-id', 'standard-webhooks'],
  ['svix-id', 'svix'],
  ['x-shopify-webhook-id', 'shopify'],
  ['i-twilio-idempotency-token', 'twilio'],
]);

/** Longer values are not ids a provider sends; they are left unmatched rather than indexed. */
const MAX_ID = 200;

/** The first delivery id the headers carry, or null. */
export function deliveryKey(headers: readonly HeaderPair[]): Omit<Delivery, 'attempt'> | null {
  for (const [name, value] of headers) {
    // Every name in the table is 7 characters or more: most headers are passed over without lower-casing.
    if (name.length < 7) continue;
    const provider = DELIVERY_HEADERS.get(name.toLowerCase());
    const id = value.trim();
    if (provider && id !== '' && id.length <= MAX_ID) return { provider, id };
  }
  return null;
}
