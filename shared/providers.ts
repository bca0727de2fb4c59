/** A provider whose signatures hooklens checks, as the viewer's settings form lists it. */
export interface SigningProvider {
  /** The key in a bin's signingSecrets and SignatureCheck.provider. */
  id: string;
  name: string;
  /** Where the person finds the secret and what it looks like. */
  secretHint: string;
  /** A public key (Ed25519, ECDSA) rather than a shared secret; set and kept the same way, write-only. */
  publicKey?: true;
}

/** Provider ids a bin may hold a signing secret for, in the order the settings form shows them. */
export const SIGNING_PROVIDERS: readonly SigningProvider[] = [
  { id: 'zendesk', name: 'Zendesk', secretHint: "The webhook's signing secret (Admin Center › Apps and integrations › Webhooks › the webhook › Reveal secret); used as text, not decoded. Test deliveries from the webhook builder verify without it." },
  { id: 'github', name: 'GitHub', secretHint: "The webhook's secret, as typed in the repository, organisation or app webhook settings." },
  { id: 'stripe', name: 'Stripe', secretHint: "The endpoint's signing secret, starting whsec_ (Developers › Webhooks › the endpoint, or the Stripe CLI's output)." },
  { id: 'slack', name: 'Slack', secretHint: "The app's Signing Secret (Basic Information › App Credentials)." },
  { id: 'shopify', name: 'Shopify', secretHint: "The app's client secret, or for webhooks made in the admin the key shown under Settings › Notifications › Webhooks." },
  { id: 'standard-webhooks', name: 'Standard Webhooks / Svix', secretHint: 'The endpoint secret, whsec_ followed by base64 (Svix and other Standard Webhooks senders).' },
  { id: 'twilio', name: 'Twilio', secretHint: "The account's Auth Token (Console › Account info). Twilio signs the public URL it sent the request to." },
  { id: 'hubspot', name: 'HubSpot', secretHint: "The app's client secret (app settings › Auth). HubSpot v3 signs the public URL." },
  { id: 'linear', name: 'Linear', secretHint: "The webhook's signing secret (Settings › API › Webhooks › the webhook)." },
  { id: 'pagerduty', name: 'PagerDuty', secretHint: "The webhook subscription's secret, shown once when the v3 webhook was created." },
  { id: 'twitch', name: 'Twitch EventSub', secretHint: 'The secret you passed when creating the EventSub subscription.' },
  { id: 'intercom', name: 'Intercom', secretHint: "The app's client secret (Developer Hub › the app › Basic information)." },
  { id: 'jira', name: 'Jira', secretHint: "The webhook's secret (System › WebHooks › the webhook)." },
  { id: 'square', name: 'Square', secretHint: "The webhook subscription's signature key (Developer Dashboard › Webhooks). Square signs the public URL." },
  { id: 'standard-webhooks-public-key', name: 'Standard Webhooks public key (v1a)', publicKey: true, secretHint: "The sender's Ed25519 public key for v1a signatures, whpk_ followed by base64, as the sender publishes it." },
  { id: 'discord', name: 'Discord', publicKey: true, secretHint: "The application's public key, 64 hex characters (Developer Portal › the application › General Information › Public Key)." },
  { id: 'sendgrid', name: 'SendGrid', publicKey: true, secretHint: 'The Event Webhook verification key, base64 (Settings › Mail Settings › Event Webhooks › the webhook › Signature Verification).' },
  { id: 'paddle', name: 'Paddle', secretHint: "The notification destination's secret key, starting pdl_ntfset_ (Developer Tools › Notifications › the destination › Secret key)." },
  { id: 'mailgun', name: 'Mailgun', secretHint: 'The HTTP webhook signing key (Sending › Webhooks › HTTP webhook signing key); it signs the timestamp and token in the body.' },
  { id: 'gitlab', name: 'GitLab', secretHint: "The webhook's secret token (the project or group › Settings › Webhooks); GitLab sends it in clear as X-Gitlab-Token." },
  { id: 'bitbucket', name: 'Bitbucket', secretHint: "The webhook's secret (the repository › Repository settings › Webhooks), Bitbucket Cloud or Server/Data Center." },
  { id: 'typeform', name: 'Typeform', secretHint: "The webhook's secret (the form › Connect › Webhooks › Edit › Secret)." },
  { id: 'calendly', name: 'Calendly', secretHint: 'The signing_key you passed when creating the webhook subscription through the API.' },
  { id: 'zoom', name: 'Zoom', secretHint: "The app's Secret Token (App Marketplace › the app › Features › Access › Secret Token)." },
  { id: 'postmark', name: 'Postmark', secretHint: 'The Basic credentials in the webhook URL, written user-id:password (Postmark puts them in https://user:password@… and sends them as Basic).' },
];
