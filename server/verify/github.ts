import type { HeaderPair, SignatureCheck } from '../../shared/types';
import { malformed, noSecret } from './check';
import { findHeader, hasHeaderPrefix, headerValue } from './headers';
import { checkRawBody } from './simple-hmac';
import type { RawBodyScheme } from './simple-hmac';
import type { VerifyInput } from './types';

const hex = { encoding: 'hex' } as const;
const GITHUB_SHA256: RawBodyScheme = { provider: 'github', name: 'GitHub', header: 'x-hub-signature-256', algorithm: 'sha256', prefix: 'sha256=', ...hex };
const GITHUB_SHA1: RawBodyScheme = { provider: 'github', name: 'GitHub', header: 'x-hub-signature', algorithm: 'sha1', prefix: 'sha1=', ...hex };
const INTERCOM: RawBodyScheme = { provider: 'intercom', name: 'Intercom', header: 'x-hub-signature', algorithm: 'sha1', prefix: 'sha1=', ...hex };
const JIRA: RawBodyScheme = { provider: 'jira', name: 'Jira', header: 'x-hub-signature', algorithm: 'sha256', prefix: 'sha256=', ...hex };
const BITBUCKET: RawBodyScheme = { provider: 'bitbucket', name: 'Bitbucket', header: 'x-hub-signature', algorithm: 'sha256', prefix: 'sha256=', ...hex };

/**
 * GitHub's `X-Hub-Signature-256` and the `X-Hub-Signature` header that GitHub (legacy sha1), Intercom (sha1), Jira
 * and Bitbucket (Cloud and Server/Data Center, sha256) share. Who sent `X-Hub-Signature` is read from its prefix and the neighbouring headers; when they
 * do not say, each candidate with a secret on the bin is tried and the first match wins.
 */
export function verifyGitHubFamily(input: VerifyInput): SignatureCheck[] {
  const checks: SignatureCheck[] = [];
  const sha256 = findHeader(input.headers, GITHUB_SHA256.header);
  if (sha256) checks.push(checkRawBody(GITHUB_SHA256, input, sha256));
  const shared = findHeader(input.headers, 'x-hub-signature');
  if (shared) checks.push(checkHubSignature(input, shared));
  return checks;
}

function checkHubSignature(input: VerifyInput, found: HeaderPair): SignatureCheck {
  const [header, value] = found;
  const candidates = hubSignatureSenders(input, value.trim());
  if (candidates.length === 0) {
    return malformed('github', header, 'sha1=<40 hex characters> (GitHub, Intercom) or sha256=<64 hex characters> (Jira, Bitbucket)', value);
  }
  const withSecret = candidates.filter((s) => input.secrets[s.provider]);
  if (withSecret.length === 0) {
    if (candidates.length === 1) return noSecret(candidates[0].provider, candidates[0].name, header);
    const names = candidates.map((s) => s.name).join(' or ');
    return {
      provider: candidates[0].provider,
      header,
      status: 'no-secret',
      message: `${header} is present and could be from ${names}; this bin has a signing secret for neither: add one to verify the signature.`,
    };
  }
  const results = withSecret.map((s) => checkRawBody(s, input, found));
  return results.find((r) => r.status === 'verified' || r.status === 'stale') ?? results[0];
}

function hubSignatureSenders(input: VerifyInput, value: string): RawBodyScheme[] {
  const userAgent = headerValue(input.headers, 'user-agent') ?? '';
  if (value.startsWith('sha256=')) {
    if (findHeader(input.headers, 'x-atlassian-webhook-identifier')) return [JIRA];
    const bitbucket = ['x-event-key', 'x-hook-uuid', 'x-request-uuid'].some((h) => findHeader(input.headers, h));
    return bitbucket || /^Bitbucket/i.test(userAgent) ? [BITBUCKET] : [JIRA, BITBUCKET];
  }
  if (!value.startsWith('sha1=')) return [];
  if (hasHeaderPrefix(input.headers, 'x-github-') || /^github-hookshot/i.test(userAgent)) return [GITHUB_SHA1];
  if (/intercom/i.test(userAgent)) return [INTERCOM];
  return [GITHUB_SHA1, INTERCOM];
}
