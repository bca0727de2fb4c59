import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const KEY = 'square-signature-key';
const URL_PUBLIC = 'https://hooks.example.com/b/bin/square';
const BODY = '{"type":"payment.updated"}';

function request(signature: string, publicUrl: string | null = URL_PUBLIC): VerifyInput {
  return {
    method: 'POST', url: '/b/bin/square', headers: [['Host', 'hooks.example.com'], ['x-square-hmacsha256-signature', signature]],
    body: Buffer.from(BODY), bodyTruncated: false, secrets: { square: KEY }, now: 0, publicUrl,
  };
}

describe('Square signatures', () => {
  const signature = createHmac('sha256', KEY).update(URL_PUBLIC + BODY).digest('base64');

  it('verifies base64 HMAC-SHA256 of the notification URL + body', () => {
    expect(verifySignatures(request(signature))[0]).toMatchObject({ provider: 'square', status: 'verified' });
  });

  it('reports a mismatch that says Square signs the public URL', () => {
    const [check] = verifySignatures(request(signature, 'https://elsewhere.example/b/bin/square'));
    expect(check.status).toBe('mismatch');
    expect(check.message).toContain('Square signs the public URL');
  });
});
