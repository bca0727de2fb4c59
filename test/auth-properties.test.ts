import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authLabel, decodeBasic, decodeCredentials, redactCredentials, revealSecret } from '../shared/auth';
import type { Finding, HeaderPair } from '../shared/types';

const latin1Text = fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString('latin1'));
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), latin1Text);
const headerName = fc.oneof(
  anyText,
  fc.constantFrom('Authorization', 'proxy-authorization', 'Cookie', 'X-API-Key', 'PRIVATE-TOKEN', 'X-Custom', 'x-zendesk-webhook-signature'),
);
const headerValue = fc.oneof(
  anyText,
  fc.tuple(fc.constantFrom('Basic ', 'Bearer ', 'Digest ', 'AWS4-HMAC-SHA256 ', 'basic  ', 'Token ', ''), anyText).map(([scheme, rest]) => scheme + rest),
  fc.uint8Array({ maxLength: 80 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
);
const headers = fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }) as fc.Arbitrary<HeaderPair[]>;

/** The warnings that say a decoder threw (and decodeCredentials caught it). */
function decoderFailures(warnings: readonly Finding[]): Finding[] {
  return warnings.filter((warning) => warning.code === 'decoder-failed');
}

/** Long enough that it cannot appear by chance in a label, a hex fingerprint or a mask. */
const token = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 16, maxLength: 80 });

describe('decodeCredentials on arbitrary input', () => {
  it('never throws and returns arrays, for any header names and values and any query', () => {
    fc.assert(
      fc.property(headers, anyText, fc.boolean(), fc.oneof(fc.integer(), fc.double()), (pairs, query, secure, now) => {
        const result = decodeCredentials({ headers: pairs, query, secure, now });
        expect(Array.isArray(result.credentials)).toBe(true);
        expect(Array.isArray(result.warnings)).toBe(true);
        // decodeCredentials catches everything: an exception inside a decoder only shows as this warning.
        expect(decoderFailures(result.warnings)).toEqual([]);
        const label = authLabel(result.credentials);
        expect(label === null || typeof label === 'string').toBe(true);
        for (const credential of result.credentials) revealSecret({ headers: pairs, query }, credential);
        expect(Array.isArray(redactCredentials({ headers: pairs, query }).headers)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on values that are not what the types say', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const result = decodeCredentials(junk as Parameters<typeof decodeCredentials>[0]);
        expect(Array.isArray(result.credentials)).toBe(true);
        expect(decoderFailures(result.warnings)).toEqual([]);
        const wrapped = decodeCredentials({ headers: [junk] as HeaderPair[], query: junk as string, secure: true });
        expect(decoderFailures(wrapped.warnings)).toEqual([]);
      }),
    );
  });

  it('reveals, for every credential it reports, a secret whose fingerprint matches', () => {
    fc.assert(
      fc.property(headers, (pairs) => {
        const { credentials } = decodeCredentials({ headers: pairs, query: '', secure: true });
        for (const credential of credentials.filter((c) => c.secret)) {
          expect(revealSecret({ headers: pairs, query: '' }, credential)).not.toBeNull();
        }
      }),
    );
  });
});

describe('Basic user:password round trip', () => {
  const userId = fc.string({ unit: 'grapheme', minLength: 1 }).filter((text) => !text.includes(':') && !/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')));
  const password = fc.string({ unit: 'grapheme', minLength: 1 }).map((text) => `${text}:${text}`);

  it('gives back the username and, through revealSecret, the password with its colons', () => {
    fc.assert(
      fc.property(userId, password, (user, pass) => {
        const encoded = Buffer.from(`${user}:${pass}`, 'utf8').toString('base64');
        const input = { headers: [['Authorization', `Basic ${encoded}`]] as HeaderPair[], query: '' };
        const [credential] = decodeCredentials({ ...input, secure: true }).credentials;
        expect(credential.problems.filter((p) => p.code.startsWith('basic-'))).toEqual([]);
        if (credential.username !== undefined) {
          expect(credential.username).toBe(user.endsWith('/token') ? user.slice(0, -6) : user);
          expect(revealSecret(input, credential)).toBe(pass);
        } else {
          // A user-id that looks like a key is itself hidden (see auth-basic): the password is still the secret.
          expect(decodeBasic(encoded).secret).toBe(pass);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('no clear secret in what decodeCredentials returns', () => {
  it('holds for tokens after Bearer, as Basic passwords, in API-key and other headers, in the query and in cookies', () => {
    fc.assert(
      fc.property(token, fc.constantFrom('', 'ghp_', 'sk_live_', 'glpat-', 'xoxb-'), (secret, prefix) => {
        const value = prefix + secret;
        const input = {
          headers: [
            ['Authorization', `Bearer ${value}`],
            ['Proxy-Authorization', `Basic ${Buffer.from(`someone:${value}`).toString('base64')}`],
            ['X-API-Key', value],
            ['Cookie', `session=${value}`],
            ['X-Anything', value],
          ] as HeaderPair[],
          query: `api_key=${encodeURIComponent(value)}`,
        };
        const json = JSON.stringify(decodeCredentials({ ...input, secure: false }));
        expect(json).not.toContain(value);
        expect(json).not.toContain(secret);
        // X-Anything is left alone by redaction unless its value looks random: only named places are checked.
        const named = { ...input, headers: input.headers.filter(([name]) => name !== 'X-Anything') };
        expect(JSON.stringify(redactCredentials(named))).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });

  it('holds for an API key sent as the Basic user-id with a placeholder password, which revealSecret gives back', () => {
    const key = token.filter((text) => /[A-Za-z]/.test(text) && /[0-9]/.test(text));
    fc.assert(
      fc.property(key, fc.constantFrom('', 'ghp_', 'sk_live_'), fc.constantFrom('X', 'x', '-', 'api_token', 'x-oauth-basic', ''), (secret, prefix, placeholder) => {
        const value = prefix + secret;
        const input = { headers: [['Authorization', `Basic ${Buffer.from(`${value}:${placeholder}`).toString('base64')}`]] as HeaderPair[], query: '' };
        const decoded = decodeCredentials({ ...input, secure: true });
        expect(JSON.stringify(decoded)).not.toContain(secret);
        expect(decoded.credentials[0].username).toBeUndefined();
        const redacted = redactCredentials(input).headers[0][1];
        expect(Buffer.from(redacted.slice('Basic '.length), 'base64').toString()).not.toContain(secret);
        expect(revealSecret(input, decoded.credentials[0])).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('holds for a Basic value with no colon and for Basic values that cannot be decoded', () => {
    fc.assert(
      fc.property(token, (secret) => {
        const headers: HeaderPair[] = [
          ['Authorization', `Basic ${Buffer.from(secret).toString('base64')}`],
          ['Authorization', `Basic ${secret}!`],
          ['Authorization', secret],
        ];
        expect(JSON.stringify(decodeCredentials({ headers, query: '', secure: true }))).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });
});
