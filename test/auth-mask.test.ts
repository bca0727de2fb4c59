import { describe, expect, it } from 'vitest';
import { maskSecret } from '../shared/auth';
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
