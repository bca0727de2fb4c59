import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex, useNativeSha256 } from '../shared/auth/sha256';

function nodeSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 digests of "", "abc" and the two-block message', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('hashes text as UTF-8', () => {
    expect(sha256Hex('123£')).toBe(nodeSha256(Buffer.from('123£', 'utf8')));
  });

  it('agrees with node:crypto at every length around the block and padding boundaries', () => {
    for (let length = 0; length <= 130; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
      expect(sha256Hex(bytes)).toBe(nodeSha256(bytes));
    }
  });

  it('agrees with node:crypto on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(sha256Hex(bytes)).toBe(nodeSha256(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with node:crypto on arbitrary Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(sha256Hex(text)).toBe(nodeSha256(Buffer.from(text, 'utf8')));
      }),
      { numRuns: 300 },
    );
  });

  // Last: from here on this file's sha256Hex is the native one, as on the server.
  it('gives the same fingerprints through a native hasher, for any text (lone surrogates too)', () => {
    const texts = fc.sample(fc.string({ unit: 'binary' }), 300).concat(['\ud800', 'a\udfffb', '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv']);
    const plain = texts.map((text) => sha256Hex(text));
    let calls = 0;
    useNativeSha256((bytes) => {
      calls++;
      return nodeSha256(Buffer.from(bytes));
    });
    expect(texts.map((text) => sha256Hex(text))).toEqual(plain);
    expect(calls).toBe(texts.length);
  });
});
