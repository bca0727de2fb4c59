import { EncryptJWT, SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { authLabel, decodeCredentials } from '../shared/auth';
import type { Credential } from '../shared/types';

const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const KEY = new TextEncoder().encode('your-256-bit-secret-that-is-long-enough');

function bearer(token: string, now = NOW): Credential {
  return decodeCredentials({ headers: [['Authorization', `Bearer ${token}`]], query: '', secure: true, now }).credentials[0];
}

describe('JWT bearer tokens', () => {
  it('decodes the jwt.io token: HS256, its claims, iat 2018-01-18T01:30:22Z', () => {
    const credential = bearer(JWT_IO);
    expect(credential).toMatchObject({ kind: 'jwt', label: 'JWT (HS256)', problems: [] });
    expect(credential.jwt).toEqual({
      header: { alg: 'HS256', typ: 'JWT' },
      payload: { sub: '1234567890', name: 'John Doe', iat: 1516239022 },
      issuedAt: '2018-01-18T01:30:22Z',
    });
    expect(authLabel([credential])).toBe('Bearer · JWT (HS256)');
  });

  it("agrees with jose's decodeJwt and decodeProtectedHeader on tokens SignJWT made", async () => {
    const token = await new SignJWT({ name: 'Zoë', roles: ['admin', 'agent'], nested: { a: [1, 2] } })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1', typ: 'JWT' })
      .setIssuer('https://issuer.example')
      .setSubject('user-42')
      .setAudience(['api', 'web'])
      .setIssuedAt(NOW / 1000 - 60)
      .setNotBefore(NOW / 1000 - 60)
      .setExpirationTime(NOW / 1000 + 3600)
      .sign(KEY);
    const credential = bearer(token);
    expect(credential.jwt?.payload).toEqual(decodeJwt(token));
    expect(credential.jwt?.header).toEqual(decodeProtectedHeader(token));
    expect(credential.jwt).toMatchObject({
      issuedAt: '2025-01-01T11:59:00Z',
      notBefore: '2025-01-01T11:59:00Z',
      expiresAt: '2025-01-01T13:00:00Z',
      expired: false,
    });
    expect(credential.details).toMatchObject({ alg: 'HS256', kid: 'key-1', iss: 'https://issuer.example', sub: 'user-42', aud: 'api, web', validity: 'valid for 1 hour more' });
    expect(credential.problems).toEqual([]);
  });

  it('agrees with jose for every signing algorithm name it is given', async () => {
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const token = await new SignJWT({ n: alg }).setProtectedHeader({ alg }).sign(new Uint8Array(64).fill(7));
      const credential = bearer(token);
      expect(credential.label).toBe(`JWT (${alg})`);
      expect(credential.jwt?.payload).toEqual(decodeJwt(token));
      expect(credential.jwt?.header).toEqual(decodeProtectedHeader(token));
    }
  });

  it('says an expired token is expired, relative to now', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(NOW / 1000 - 3 * 86400).sign(KEY);
    const credential = bearer(token);
    expect(credential.jwt).toMatchObject({ expired: true, expiresAt: '2024-12-29T12:00:00Z' });
    expect(credential.details?.validity).toBe('expired 3 days ago');
    expect(credential.problems.map((p) => p.code)).toEqual(['jwt-expired']);
    expect(bearer(token, NOW - 4 * 86400_000).jwt?.expired).toBe(false);
  });

  it('warns about a token that is not valid yet', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setNotBefore(NOW / 1000 + 600).sign(KEY);
    expect(bearer(token).problems.map((p) => p.code)).toEqual(['jwt-not-yet-valid']);
  });

  it('flags alg none as an error', () => {
    const token = new UnsecuredJWT({ sub: 'x' }).encode();
    const credential = bearer(token);
    expect(credential.label).toBe('JWT (none)');
    expect(credential.problems).toEqual([expect.objectContaining({ code: 'jwt-alg-none', severity: 'error' })]);
  });

  it('flags a missing signature and an unreadable header', () => {
    expect(bearer(`${JWT_IO.split('.').slice(0, 2).join('.')}.`).problems.map((p) => p.code)).toEqual(['jwt-missing-signature']);
    expect(bearer('eyJub3QganNvbg.eyJzdWIiOiIxIn0.c2ln').problems.map((p) => p.code)).toEqual(['jwt-bad-header']);
  });

  it('reports a time claim that is not a number', () => {
    const header = Buffer.from('{"alg":"HS256"}').toString('base64url');
    const payload = Buffer.from('{"exp":"tomorrow","iat":1e300}').toString('base64url');
    const credential = bearer(`${header}.${payload}.c2ln`);
    expect(credential.problems.map((p) => p.code)).toEqual(['jwt-bad-time-claim', 'jwt-bad-time-claim']);
    expect(credential.jwt?.expiresAt).toBeUndefined();
  });

  it('reads only the header of a five-segment JWE', async () => {
    const token = await new EncryptJWT({ secret: 'hidden' })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'enc-1' })
      .encrypt(new Uint8Array(32).fill(1));
    const credential = bearer(token);
    expect(token.split('.')).toHaveLength(5);
    expect(credential).toMatchObject({ kind: 'jwe', label: 'JWE (dir, A256GCM)', jwt: { header: decodeProtectedHeader(token), payload: {} } });
    expect(JSON.stringify(credential)).not.toContain('hidden');
  });

  it('never puts the token itself in what it reports', async () => {
    const token = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'HS256' }).sign(KEY);
    const json = JSON.stringify(bearer(token));
    expect(json).not.toContain(token);
    expect(json).not.toContain(token.split('.')[2]);
  });
});
