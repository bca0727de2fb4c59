import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const SECRET = 'hubspot-client-secret-0000';
const NOW = 1_700_000_000_000;
const URL_PUBLIC = 'https://hooks.example.com/b/bin/hubspot?portal=1';
const BODY = '[{"eventId":1,"subscriptionType":"contact.creation"}]';

// Computed with node:crypto following HubSpot's @hubspot/api-client: method + URL + body + timestamp (ms).
function sign(ts: number, url = URL_PUBLIC, body = BODY): string {
  return createHmac('sha256', SECRET).update(`POST${url}${body}${ts}`).digest('base64');
}

function request(headers: HeaderPair[], over: Partial<VerifyInput> = {}): VerifyInput {
  return {
    method: 'POST', url: '/b/bin/hubspot?portal=1', headers: [['Host', 'hooks.example.com'], ...headers],
    body: Buffer.from(BODY), bodyTruncated: false, secrets: { hubspot: SECRET }, now: NOW, publicUrl: URL_PUBLIC, ...over,
  };
}

function hubspot(ts: number, signature = sign(ts)): HeaderPair[] {
  return [['X-HubSpot-Signature-v3', signature], ['X-HubSpot-Request-Timestamp', String(ts)]];
}

describe('HubSpot v3 signatures', () => {
  it('verifies method + public URL + body + timestamp', () => {
    const [check] = verifySignatures(request(hubspot(NOW - 1000)));
    expect(check).toMatchObject({ provider: 'hubspot', header: 'X-HubSpot-Signature-v3', status: 'verified' });
    expect(check.message).toContain(`method + the public URL ${URL_PUBLIC} + body`);
  });

  it('verifies a URL signed with the escapes decoded that HubSpot documents', () => {
    const url = 'https://hooks.example.com/b/bin/hubspot?next=%2Fdone%3Aok';
    const signature = sign(NOW, 'https://hooks.example.com/b/bin/hubspot?next=/done:ok');
    expect(verifySignatures(request(hubspot(NOW, signature), { publicUrl: url }))[0].status).toBe('verified');
  });

  it('reports stale when the timestamp is an hour old', () => {
    const [check] = verifySignatures(request(hubspot(NOW - 3_600_000)));
    expect(check.status).toBe('stale');
    expect(check.message).toContain("3600 s old, outside HubSpot's 300 s tolerance");
  });

  it('reports a mismatch that says HubSpot signs the public URL', () => {
    const [check] = verifySignatures(request(hubspot(NOW), { publicUrl: 'http://127.0.0.1:8080/b/bin/hubspot?portal=1' }));
    expect(check.status).toBe('mismatch');
    expect(check.message).toContain('HubSpot signs the public URL');
  });

  it('answers malformed without the timestamp header, and no-secret without a secret', () => {
    expect(verifySignatures(request([['X-HubSpot-Signature-v3', sign(NOW)]]))[0].status).toBe('malformed');
    expect(verifySignatures(request(hubspot(NOW), { secrets: {} }))[0].status).toBe('no-secret');
  });

  it('recognises HubSpot as the source', () => {
    expect(recognizeSource(hubspot(NOW), [])).toEqual({ provider: 'hubspot' });
  });
});
