/**
 * Webhook signature checks and sender recognition. Everything here is pure: the clock, the secrets and the public
 * URL come in through VerifyInput.
 */
import type { SignatureCheck } from '../../shared/types';
import { verifyDiscord, verifySendGrid } from './discord';
import { verifyGitHubFamily } from './github';
import { verifyHubSpot } from './hubspot';
import { verifyMailgun } from './mailgun';
import { verifyPaddle } from './paddle';
import { verifySharedSecrets } from './shared-secret';
import { verifyRawBodySchemes } from './simple-hmac';
import { verifySlackStyle } from './slack';
import { verifySquare } from './square';
import { verifyStandardWebhooks } from './standard-webhooks';
import { verifyStripeStyle } from './stripe';
import { verifyTwilio } from './twilio';
import { verifyTwitch } from './twitch';
import type { ProviderVerifier, VerifyInput } from './types';
import { verifyZendesk } from './zendesk';

export type { VerifyInput } from './types';
export { recognizeSource } from './source';
export { SIGNING_PROVIDERS } from '../../shared/providers';
export type { SigningProvider } from '../../shared/providers';
export { ZENDESK_TEST_SECRET } from './zendesk';

const VERIFIERS: readonly [provider: string, verify: ProviderVerifier][] = [
  ['zendesk', verifyZendesk],
  ['github', verifyGitHubFamily],
  ['stripe', verifyStripeStyle],
  ['slack', verifySlackStyle],
  ['standard-webhooks', verifyStandardWebhooks],
  ['twilio', verifyTwilio],
  ['hubspot', verifyHubSpot],
  ['twitch', verifyTwitch],
  ['square', verifySquare],
  ['raw-body', verifyRawBodySchemes],
  ['discord', verifyDiscord],
  ['sendgrid', verifySendGrid],
  ['paddle', verifyPaddle],
  ['mailgun', verifyMailgun],
  ['shared-secret', verifySharedSecrets],
];

/**
 * Every signature the request carries, each checked, in a fixed provider order; [] when it carries none. Never
 * throws: a verifier that fails unexpectedly yields a malformed check naming the error instead of hiding the others.
 */
export function verifySignatures(input: VerifyInput): SignatureCheck[] {
  return VERIFIERS.flatMap(([provider, verify]) => {
    try {
      return verify(input);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return [{ provider, header: '', status: 'malformed' as const, message: `The ${provider} check failed unexpectedly: ${reason}.` }];
    }
  });
}
