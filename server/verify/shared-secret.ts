import { createHash, timingSafeEqual } from 'node:crypto';
import type { SignatureCheck } from '../../shared/types';
import { fingerprint } from './check';
import { findHeader, headerValue } from './headers';
import type { VerifyInput } from './types';

/**
 * Senders that prove themselves with the secret itself, sent in clear: GitLab's `X-Gitlab-Token`, and Postmark's
 * Basic credentials (set in the webhook URL). Compared in constant time; messages name both by fingerprint only.
 */
export function verifySharedSecrets(input: VerifyInput): SignatureCheck[] {
  return [...checkGitLab(input), ...checkPostmark(input)];
}

function checkGitLab(input: VerifyInput): SignatureCheck[] {
  const found = findHeader(input.headers, 'x-gitlab-token');
  if (!found) return [];
  const [header, value] = found;
  return [compareSecret('gitlab', 'GitLab', header, value.trim(), input, "the webhook's secret token")];
}

/** Postmark's requests carry `User-Agent: Postmark`; its Basic credentials are checked when the bin has them. */
function checkPostmark(input: VerifyInput): SignatureCheck[] {
  if (!/^Postmark/i.test(headerValue(input.headers, 'user-agent') ?? '')) return [];
  const found = findHeader(input.headers, 'authorization');
  const [header, value] = found ?? ['Authorization', ''];
  const match = /^Basic\s+(\S+)$/i.exec(value.trim());
  if (!match) {
    if (!input.secrets.postmark) return [];
    const message = `Postmark sent no Basic credentials, but this bin expects them: put them in the webhook's URL (https://user:password@…) in Postmark.`;
    return [{ provider: 'postmark', header, status: 'mismatch', secretSource: 'bin', message }];
  }
  const credentials = Buffer.from(match[1], 'base64').toString('utf8');
  return [compareSecret('postmark', 'Postmark', header, credentials, input, 'the Basic user-id:password')];
}

function compareSecret(provider: string, name: string, header: string, sent: string, input: VerifyInput, what: string): SignatureCheck {
  const secret = input.secrets[provider];
  if (!secret) {
    const message = `${header} carries ${what}, but this bin has no ${name} secret to compare it with: add it to the bin's signing secrets.`;
    return { provider, header, status: 'no-secret', message };
  }
  const base = { provider, header, secretSource: 'bin' as const };
  // Hashing first gives equal lengths for the constant-time comparison.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  if (timingSafeEqual(digest(sent), digest(secret))) {
    return { ...base, status: 'verified', message: `${header} carries ${what}, equal to the bin's ${name} secret.` };
  }
  const message = `${header} carries ${what} (${sent.length} characters, ${fingerprint(sent)}); the bin's ${name} secret (${fingerprint(secret)}) differs.`;
  return { ...base, status: 'mismatch', message };
}
