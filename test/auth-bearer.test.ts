import { describe, expect, it } from 'vitest';
import { authLabel, decodeCredentials, revealSecret } from '../shared/auth';
import type { HeaderPair } from '../shared/types';

function decodeAuthorization(value: string) {
  const input = { headers: [['Authorization', value]] as HeaderPair[], query: '', secure: true };
  const { credentials } = decodeCredentials(input);
  return { credential: credentials[0], credentials, input };
}

const alnum = (length: number) => 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zQ8wE2rT4yU6iO0pA9sD7fG5hJ3kL1zX'.repeat(4).slice(0, length);
const hex = (length: number) => '0123456789abcdef'.repeat(8).slice(0, length);

const KNOWN: [string, string][] = [
  [`ghp_${alnum(36)}`, 'GitHub personal access token'],
  [`gho_${alnum(36)}`, 'GitHub OAuth access token'],
  [`ghu_${alnum(36)}`, 'GitHub user-to-server token'],
  [`ghs_${alnum(36)}`, 'GitHub server-to-server token'],
  [`ghr_${alnum(36)}`, 'GitHub refresh token'],
  [`github_pat_${alnum(82)}`, 'GitHub fine-grained personal access token'],
  ['xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'Slack bot token'],
  ['xoxp-1234567890-1234567890-1234567890123-abcdef0123456789', 'Slack user token'],
  ['xapp-1-A0123456789-1234567890123-abcdef0123456789', 'Slack app-level token'],
  [`xoxe.xoxp-1-${alnum(60)}`, 'Slack user configuration token'],
  [`xoxe-1-${alnum(60)}`, 'Slack refresh token'],
  [`sk_live_${alnum(24)}`, 'Stripe secret key (live mode)'],
  [`sk_test_${alnum(24)}`, 'Stripe secret key (test mode)'],
  [`rk_live_${alnum(24)}`, 'Stripe restricted key (live mode)'],
  [`rk_test_${alnum(24)}`, 'Stripe restricted key (test mode)'],
  [`sk-proj-${alnum(48)}`, 'OpenAI project API key'],
  [`sk-svcacct-${alnum(48)}`, 'OpenAI service account key'],
  [`sk-admin-${alnum(48)}`, 'OpenAI admin key'],
  [`sk-${alnum(20)}T3BlbkFJ${alnum(20)}`, 'OpenAI API key'],
  [`sk-ant-api03-${alnum(60)}-${alnum(30)}AA`, 'Anthropic API key'],
  [`sk-ant-admin01-${alnum(60)}AA`, 'Anthropic admin key'],
  ['AKIAIOSFODNN7EXAMPLE', 'AWS access key id'],
  ['ASIAIOSFODNN7EXAMPLE', 'AWS temporary (STS) access key id'],
  [`AIza${alnum(35)}`, 'Google API key'],
  [`ya29.${alnum(60)}`, 'Google OAuth access token'],
  [`glpat-${alnum(20)}`, 'GitLab personal access token'],
  [`shpat_${hex(32)}`, 'Shopify access token'],
  [`shpss_${hex(32)}`, 'Shopify shared secret'],
  [`shpca_${hex(32)}`, 'Shopify custom app access token'],
  [`shppa_${hex(32)}`, 'Shopify private app access token'],
  [`npm_${alnum(36)}`, 'npm access token'],
  [`lin_api_${alnum(40)}`, 'Linear API key'],
  [`SG.${alnum(22)}.${alnum(43)}`, 'SendGrid API key'],
  [`dop_v1_${hex(64)}`, 'DigitalOcean personal access token'],
];

describe('Bearer tokens of a known format', () => {
  it.each(KNOWN)('names %s as a %s', (token, label) => {
    const { credential, credentials, input } = decodeAuthorization(`Bearer ${token}`);
    expect(credential).toMatchObject({ scheme: 'Bearer', kind: 'bearer', token: label, label, problems: [] });
    expect(authLabel(credentials)).toBe(`Bearer · ${label}`);
    expect(JSON.stringify(credentials)).not.toContain(token);
    expect(revealSecret(input, credential)).toBe(token);
  });

  it('names a token that has a known prefix but not its shape, and says so', () => {
    const { credential } = decodeAuthorization('Bearer ghp_tooShortForGitHub');
    expect(credential.token).toBe('GitHub personal access token');
    expect(credential.problems.map((p) => p.code)).toEqual(['token-unexpected-shape']);
  });
});

describe('opaque bearer tokens', () => {
  it('labels the length, gives character classes, and fingerprints the token', () => {
    const token = 'a3f5c9e1b7d2'.repeat(4) + 'abcdef';
    const { credential, credentials } = decodeAuthorization(`Bearer ${token}`);
    expect(credential).toMatchObject({ kind: 'bearer', label: 'Opaque bearer token (54 characters)', details: { length: '54', characters: 'lowercase hex' } });
    expect(credential.secret?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(authLabel(credentials)).toBe('Bearer · Opaque bearer token (54 characters)');
  });

  it('describes mixed character classes', () => {
    expect(decodeAuthorization('Bearer Ab3-x_Yz9.Q~').credential.details?.characters).toBe(
      'lowercase letters, uppercase letters, digits and - . _ ~',
    );
  });
});

describe('Authorization syntax around bearer tokens', () => {
  it('accepts any case of the scheme and flags unusual case as info', () => {
    const { credential } = decodeAuthorization(`BEARER ghp_${alnum(36)}`);
    expect(credential.scheme).toBe('Bearer');
    expect(credential.problems).toEqual([expect.objectContaining({ code: 'auth-scheme-case', severity: 'info' })]);
  });

  it('takes lowercase "token" for a GitHub token as written, as GitHub documents it, and notes it for other values', () => {
    const codesOf = (value: string) => decodeAuthorization(value).credential.problems.map((p) => p.code);
    expect(codesOf(`token ghp_${alnum(36)}`)).not.toContain('auth-scheme-case');
    expect(codesOf(`token github_pat_${alnum(82)}`)).not.toContain('auth-scheme-case');
    expect(codesOf(`token ${hex(40)}`)).toContain('auth-scheme-case');
    expect(codesOf(`TOKEN ghp_${alnum(36)}`)).toContain('auth-scheme-case');
  });

  const cases: [string, string, string][] = [
    ['a missing token', 'Bearer', 'bearer-missing-token'],
    ['a quoted token', 'Bearer "abcdef123456"', 'bearer-quoted'],
    ['whitespace inside the token', 'Bearer abc def', 'bearer-whitespace-inside'],
    ['characters a bearer token may not have', 'Bearer abc$def', 'bearer-invalid-characters'],
    ['Basic credentials sent as a bearer token', 'Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'bearer-looks-like-basic'],
    ['the scheme written twice', 'Bearer Bearer abcdef123456', 'auth-duplicated-scheme'],
    ['a tab after the scheme', 'Bearer\tabcdef123456', 'auth-extra-spaces'],
    ['no scheme at all', `ghp_${alnum(36)}`, 'auth-missing-scheme'],
    ['an empty header', '', 'auth-empty'],
  ];
  it.each(cases)('names %s', (_what, value, code) => {
    expect(decodeAuthorization(value).credential.problems.map((p) => p.code)).toContain(code);
  });

  it('reads the token after a duplicated scheme', () => {
    const { credential, input } = decodeAuthorization('Bearer Bearer abcdef123456');
    expect(revealSecret(input, credential)).toBe('abcdef123456');
  });

  it('decodes bare base64 user:password with no scheme as Basic and says Basic was meant', () => {
    const { credential } = decodeAuthorization('QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(credential).toMatchObject({ scheme: null, kind: 'basic', username: 'Aladdin' });
    expect(credential.problems[0].message).toMatch(/Basic/);
  });

  it('reads other schemes as kind other, still naming a known token', () => {
    const { credential } = decodeAuthorization(`token ghp_${alnum(36)}`);
    expect(credential).toMatchObject({ scheme: 'Token', kind: 'other', token: 'GitHub personal access token' });
    expect(decodeAuthorization('Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXagMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCg==').credential).toMatchObject({
      scheme: 'Negotiate',
      kind: 'other',
    });
    expect(decodeAuthorization('Custom a=1, b=2').credential).toMatchObject({ scheme: 'Custom', kind: 'other', label: 'Custom credentials (8 characters)' });
  });
});
