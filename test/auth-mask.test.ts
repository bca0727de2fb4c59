import { describe, expect, it } from 'vitest';
import { decodeCredentials, maskQuery, maskSecret } from '../shared/auth';
import { sha256Hex } from '../shared/auth/sha256';

describe('maskSecret', () => {
  it('shows the first and last 4 characters of a long secret', () => {
    expect(maskSecret('6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv')).toEqual({
      masked: `6wiI${'•'.repeat(32)}2akv`,
      length: 40,
      sha256: sha256Hex('6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv'),
    });
  });

  it('shows fewer characters of shorter secrets and none of very short ones', () => {
    expect(maskSecret('abcdefghijkl').masked).toBe('ab••••••••kl');
    expect(maskSecret('abcdefgh').masked).toBe('a••••••h');
    expect(maskSecret('abcdefg').masked).toBe('•••••••');
    expect(maskSecret('').masked).toBe('');
  });

  it('counts code points, so an emoji is neither split nor counted twice', () => {
    expect(maskSecret('🔑🔑🔑🔑abcdefghijkl🔒🔒🔒🔒')).toMatchObject({ length: 20, masked: `🔑🔑🔑🔑${'•'.repeat(12)}🔒🔒🔒🔒` });
  });

  it('fingerprints the UTF-8 of the value', () => {
    expect(maskSecret('123£').sha256).toBe('cc455b7ec4897e2ced4269cb6442e8a40f83e95d083fdc6d31996d6ed540a021');
  });
});

describe('maskQuery', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl';
  const ghp = `ghp_${'a1B2c3D4e5F6'.repeat(3)}`;
  const named = ['refresh_token', 'id_token', 'jwt', 'bearer', 'private_token', 'passwd', 'sessionid', 'session_token', 'X-Amz-Security-Token', 'api_key', 'token'];

  it.each(named)('masks the value of %s', (name) => {
    const secret = 'Zq8Lw2Nf7Rt4Vx9B';
    const masked = maskQuery(`page=2&${name}=${secret}`);
    expect(masked).toBe(`page=2&${name}=${maskSecret(secret).masked}`);
    expect(masked).not.toContain(secret);
  });

  it('masks values shaped like a JWT or a known token under any name, and every parameter of that name', () => {
    const masked = maskQuery(`t=${ghp}&x=${jwt}&x=second&q=hello`);
    expect(masked).not.toContain(ghp);
    expect(masked).not.toContain(jwt);
    expect(masked).not.toContain('second');
    expect(masked).toContain('q=hello');
  });

  it('masks exactly the parameters decodeCredentials reports', () => {
    const query = `a=1&Token=abc123456789&t=${ghp}&empty=&flag&next=%2Fhome&jwt=${jwt}`;
    const reported = new Set(decodeCredentials({ headers: [], query, secure: true }).credentials.map((c) => c.location.name.toLowerCase()));
    const kept = maskQuery(query)
      .split('&')
      .filter((part, i) => part === query.split('&')[i])
      .map((part) => part.split('=')[0].toLowerCase());
    expect([...reported].sort()).toEqual(['jwt', 't', 'token']);
    for (const name of reported) expect(kept).not.toContain(name);
    expect(kept).toEqual(['a', 'empty', 'flag', 'next']);
  });

  it('leaves a query without credentials as written, and never throws', () => {
    expect(maskQuery('a=%20b&c&d=')).toBe('a=%20b&c&d=');
    expect(maskQuery('')).toBe('');
    for (const junk of [null, undefined, 42, {}]) expect(() => maskQuery(junk as unknown as string)).not.toThrow();
  });
});
