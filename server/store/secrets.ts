import type { BinChanges } from './port';

/** A bin's signing secrets after `changes`: a null or empty value removes the provider's secret. */
export function mergeSecrets(current: Record<string, string>, changes: BinChanges['signingSecrets']): Record<string, string> {
  const secrets = { ...current };
  for (const [provider, secret] of Object.entries(changes ?? {})) {
    if (secret === null || secret === '') delete secrets[provider];
    else secrets[provider] = secret;
  }
  return secrets;
}
