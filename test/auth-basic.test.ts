import { describe, expect, it } from 'vitest';
import { decodeBasic, decodeCredentials, revealSecret } from '../shared/auth';
import type { HeaderPair } from '../shared/types';

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function decodeHeader(value: string, secure = true) {
  const input = { headers: [['Authorization', value]] as HeaderPair[], query: '', secure };
  const result = decodeCredentials(input);
  return { ...result, credential: result.credentials[0], input };
}

function codes(value: string): string[] {
  return decodeHeader(value).credential.problems.map((problem) => problem.code);
}

describe('Basic credentials: published vectors', () => {
  it('reads Aladdin:open sesame', () => {
    const { credential, input } = decodeHeader('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(credential).toMatchObject({ scheme: 'Basic', kind: 'basic', username: 'Aladdin', label: 'Basic credentials for Aladdin', problems: [] });
    expect(credential.secret).toMatchObject({ length: 11 });
    expect(revealSecret(input, credential)).toBe('open sesame');
  });

  it('reads test:123£ encoded as UTF-8', () => {
    const { credential, input } = decodeHeader('Basic dGVzdDoxMjPCow==');
    expect(credential).toMatchObject({ username: 'test', problems: [] });
    expect(revealSecret(input, credential)).toBe('123£');
  });

  it('reads the Zendesk API token of jdoe@example.com as an admin credential', () => {
    const { credential, warnings, input } = decodeHeader('Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2');
    expect(credential).toMatchObject({
      kind: 'zendesk-api-token',
      username: 'jdoe@example.com',
      label: 'Zendesk API token for jdoe@example.com',
      problems: [],
    });
    expect(credential.details?.access).toMatch(/admin/);
    expect(credential.secret?.masked).toBe('6wiI••••••••••••••••••••••••••••••••2akv');
    expect(warnings.map((w) => w.code)).toContain('zendesk-api-token-admin');
    expect(revealSecret(input, credential)).toBe('6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv');
  });
});

describe('Basic credentials: user-ids and passwords', () => {
  it('calls email:password a Zendesk-style password', () => {
    expect(decodeHeader(`Basic ${b64('jdoe@example.com:hunter22')}`).credential).toMatchObject({
      kind: 'basic',
      username: 'jdoe@example.com',
      label: 'Zendesk-style password for jdoe@example.com',
    });
  });

  it('splits at the first colon, so the password keeps its colons', () => {
    const { credential, input } = decodeHeader(`Basic ${b64('user:pa:ss:word')}`);
    expect(credential.username).toBe('user');
    expect(revealSecret(input, credential)).toBe('pa:ss:word');
  });

  it('reads bytes that are not UTF-8 as Latin-1 and shows the user-id hex', () => {
    const latin1 = Buffer.from('jösé:123£', 'latin1').toString('base64');
    const { credential, input } = decodeHeader(`Basic ${latin1}`);
    expect(credential.username).toBe('jösé');
    expect(credential.details?.usernameHex).toBe('6a f6 73 e9');
    expect(credential.problems.map((p) => p.code)).toEqual(['basic-not-utf8']);
    expect(revealSecret(input, credential)).toBe('123£');
    expect(credential.secret?.sha256).toBe('e621e104bb5d9c81c7f93ac95b8d21839836aefdc9261c719e6d0cc6aa88da7e');
  });

  it('does not show a Stripe key sent as the user-id with an empty password', () => {
    const key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
    const { credential, input } = decodeHeader(`Basic ${b64(`${key}:`)}`);
    expect(credential.username).toBeUndefined();
    expect(credential.token).toBe('Stripe secret key (test mode)');
    expect(JSON.stringify(credential)).not.toContain(key);
    expect(revealSecret(input, credential)).toBe(key);
  });

  it('reads a Freshdesk-style API key sent as the user-id with the placeholder password X as the secret', () => {
    const key = 'Fr3shd3skApiK3yAbCdEfGh';
    const { credential, input } = decodeHeader(`Basic ${b64(`${key}:X`)}`);
    expect(credential).toMatchObject({ kind: 'basic', scheme: 'Basic', label: 'API key as Basic user-id (password placeholder)' });
    expect(credential.username).toBeUndefined();
    expect(credential.secret).toMatchObject({ length: key.length, masked: 'Fr3s•••••••••••••••EfGh' });
    expect(credential.problems.map((p) => p.code)).toEqual(['basic-key-as-user-id']);
    expect(JSON.stringify(credential)).not.toContain(key);
    expect(revealSecret(input, credential)).toBe(key);
  });

  it.each(['x', 'X', '-', 'api_token', 'x-oauth-basic', '12', ''])('hides a key-shaped user-id when the password is the placeholder "%s"', (placeholder) => {
    const key = 'a1B2c3D4e5F6g7H8';
    const { credential, input } = decodeHeader(`Basic ${b64(`${key}:${placeholder}`)}`);
    expect(credential.username).toBeUndefined();
    expect(credential.label).toMatch(/^API key as Basic user-id \(password (placeholder|empty)\)$/);
    expect(JSON.stringify(credential)).not.toContain(key);
    expect(revealSecret(input, credential)).toBe(key);
  });

  it('names a known token sent as the user-id with a placeholder password, and reveals the token', () => {
    const key = `ghp_${'a1B2c3D4e5F6'.repeat(3)}`;
    const { credential, input } = decodeHeader(`Basic ${b64(`${key}:x-oauth-basic`)}`);
    expect(credential).toMatchObject({ label: 'GitHub personal access token as Basic user-id (password placeholder)', token: 'GitHub personal access token' });
    expect(credential.username).toBeUndefined();
    expect(revealSecret(input, credential)).toBe(key);
  });

  it('hides a high-entropy user-id even with a real password, which stays the secret', () => {
    const key = 'Zq8Lw2Nf7Rt4Vx9Bk3Hm6Jp1Sd5Gc0Ya';
    const { credential, input } = decodeHeader(`Basic ${b64(`${key}:the-real-password`)}`);
    expect(credential.username).toBeUndefined();
    expect(JSON.stringify(credential)).not.toContain(key);
    expect(revealSecret(input, credential)).toBe('the-real-password');
  });

  it('keeps ordinary user-ids as usernames with short or placeholder passwords', () => {
    expect(decodeHeader(`Basic ${b64('Aladdin:x')}`).credential).toMatchObject({ username: 'Aladdin', label: 'Basic credentials for Aladdin' });
    expect(decodeHeader(`Basic ${b64('jdoe@example.com:X')}`).credential).toMatchObject({ username: 'jdoe@example.com' });
    expect(decodeHeader(`Basic ${b64('deployment-robot:X')}`).credential).toMatchObject({ username: 'deployment-robot' });
  });

  it('warns about Basic over plain http, not over https', () => {
    const value = 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==';
    expect(decodeHeader(value, false).warnings.map((w) => w.code)).toContain('basic-over-http');
    expect(decodeHeader(value, true).warnings.map((w) => w.code)).not.toContain('basic-over-http');
  });

  it('says over plain http what can be read: the password, the API token, or the credentials', () => {
    const overHttp = (value: string) => decodeHeader(value, false).warnings.find((w) => w.code === 'basic-over-http')?.message;
    expect(overHttp('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toContain('can read the password.');
    expect(overHttp(`Basic ${b64('jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv')}`)).toContain('can read the API token.');
    const notAPassword = [
      ['an empty pair', 'Basic Og=='],
      ['an empty password', `Basic ${b64('Aladdin:')}`],
      ['credentials that cannot be decoded', 'Basic QWxh!GRpbjpvcGVuIHNlc2FtZQ=='],
      ['an API key as the user-id', `Basic ${b64('Zq8Lw2Nf7Rt4Vx9Bk3Hm6Jp1Sd5Gc0Ya:X')}`],
    ];
    for (const [what, value] of notAPassword) {
      const message = overHttp(value);
      expect(message, what).toContain('can read the credentials.');
      expect(message, what).not.toContain('read the password');
    }
  });

  it('says how many spaces follow the scheme in a sentence that agrees with them', () => {
    const message = (value: string) => decodeHeader(value).credential.problems.find((p) => p.code === 'auth-extra-spaces')?.message;
    expect(message('Basic   QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toMatch(/^There are 3 spaces between the scheme and the credentials;/);
    expect(message('Basic\tQWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toMatch(/^There is a tab between the scheme and the credentials;/);
  });

  it('reads Proxy-Authorization like Authorization', () => {
    const result = decodeCredentials({ headers: [['Proxy-Authorization', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==']], query: '', secure: true });
    expect(result.credentials[0]).toMatchObject({ location: { in: 'header', name: 'Proxy-Authorization' }, username: 'Aladdin' });
  });
});

describe('Basic credentials: every malformed case has its own problem code', () => {
  const cases: [string, string, string][] = [
    ['no colon after decoding', `Basic ${b64('justatoken')}`, 'basic-no-colon'],
    ['a character outside the base64 alphabet', 'Basic QWxh!GRpbjpvcGVuIHNlc2FtZQ==', 'basic-invalid-base64'],
    ['the base64url alphabet', `Basic ${Buffer.from('user:>>>???').toString('base64url')}`, 'basic-base64url'],
    ['too many "=" for the length', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ===', 'basic-bad-padding'],
    ['a length that is not a multiple of 4', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ', 'basic-length-not-multiple-of-4'],
    ['bytes that are not UTF-8', `Basic ${Buffer.from('test:123£', 'latin1').toString('base64')}`, 'basic-not-utf8'],
    ['extra spaces after the scheme', 'Basic   QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'auth-extra-spaces'],
    ['whitespace inside the credentials', 'Basic QWxhZGRp bjpvcGVuIHNlc2FtZQ==', 'basic-whitespace-inside'],
    ['empty credentials (Og== is just ":")', 'Basic Og==', 'basic-empty'],
    ['double-encoded base64', `Basic ${b64(b64('Aladdin:open sesame'))}`, 'basic-double-encoded'],
    ['nothing after the scheme', 'Basic', 'basic-missing-credentials'],
    ['user-id:password sent without encoding', 'Basic Aladdin:open sesame', 'basic-not-encoded'],
    ['an empty password', `Basic ${b64('Aladdin:')}`, 'basic-empty-password'],
    ['an empty user-id', `Basic ${b64(':open sesame')}`, 'basic-empty-username'],
    ['"=" in the middle', 'Basic QQ==QQ==', 'basic-bad-padding'],
  ];
  it.each(cases)('names %s', (_what, value, code) => {
    expect(codes(value)).toContain(code);
  });

  it('still decodes what it can: base64url, missing padding, inner whitespace, double encoding', () => {
    expect(decodeHeader(`Basic ${Buffer.from('user:>>>???').toString('base64url')}`).credential.username).toBe('user');
    expect(decodeHeader('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ').credential.username).toBe('Aladdin');
    expect(decodeHeader('Basic QWxhZGRp bjpvcGVuIHNlc2FtZQ==').credential.username).toBe('Aladdin');
    const doubled = decodeHeader(`Basic ${b64(b64('Aladdin:open sesame'))}`);
    expect(doubled.credential.username).toBe('Aladdin');
    expect(revealSecret(doubled.input, doubled.credential)).toBe('open sesame');
  });

  it('does not echo a value that has no colon, in clear or in its problems', () => {
    const { credential, input } = decodeHeader(`Basic ${b64('supersecretvalue123')}`);
    expect(JSON.stringify(credential)).not.toContain('supersecretvalue123');
    expect(credential.secret?.length).toBe(19);
    expect(revealSecret(input, credential)).toBe('supersecretvalue123');
  });

  it('suggests Bearer for a JWT sent after Basic', () => {
    const { credential } = decodeHeader('Basic eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln');
    expect(credential.problems[0].code).toBe('basic-invalid-base64');
    expect(credential.problems[0].message).toMatch(/Bearer/);
  });

  it('reports no problem and keeps the clear password in decodeBasic, the internal helper', () => {
    expect(decodeBasic('QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toMatchObject({ username: 'Aladdin', secret: 'open sesame', problems: [] });
  });
});
