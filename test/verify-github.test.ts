import { createHmac } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const SECRET = "It's a Secret to Everybody";

function request(headers: HeaderPair[], body: string | Buffer, secrets: Record<string, string> = {}): VerifyInput {
  return {
    method: 'POST', url: '/b/bin', headers, body: Buffer.from(body), bodyTruncated: false,
    secrets, now: Date.now(), publicUrl: null,
  };
}

const github: HeaderPair[] = [['X-GitHub-Event', 'push'], ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'], ['X-GitHub-Hook-ID', '292430182']];

describe('GitHub signatures', () => {
  it('verifies the published X-Hub-Signature-256 vector', () => {
    const sig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const [check] = verifySignatures(request([['X-Hub-Signature-256', sig]], 'Hello, World!', { github: SECRET }));
    expect(check).toMatchObject({ provider: 'github', header: 'X-Hub-Signature-256', status: 'verified', secretSource: 'bin' });
    expect(check.message).toBe("HMAC-SHA256 of body (13 bytes) with the bin's secret, hex, matches X-Hub-Signature-256.");
  });

  it('verifies what @octokit/webhooks-methods signs', async () => {
    const body = '{"action":"opened","number":1}';
    const headers: HeaderPair[] = [...github, ['X-Hub-Signature-256', await sign('octo-secret', body)]];
    expect(verifySignatures(request(headers, body, { github: 'octo-secret' }))[0].status).toBe('verified');
  });

  it('reports a mismatch when one body byte is flipped, showing both digests', async () => {
    const body = '{"action":"opened","number":1}';
    const signature = await sign('octo-secret', body);
    const flipped = Buffer.from(body);
    flipped[5] ^= 1;
    const [check] = verifySignatures(request([...github, ['X-Hub-Signature-256', signature]], flipped, { github: 'octo-secret' }));
    expect(check.status).toBe('mismatch');
    expect(check.message).toContain(signature.slice('sha256='.length));
    expect(check.message).toContain('they differ');
  });

  it('answers no-secret when the bin has no GitHub secret', async () => {
    const [check] = verifySignatures(request([...github, ['X-Hub-Signature-256', await sign('s', 'x')]], 'x'));
    expect(check).toMatchObject({ provider: 'github', status: 'no-secret' });
  });

  it('answers malformed for a garbage header and says what was expected', () => {
    const [check] = verifySignatures(request([['X-Hub-Signature-256', 'md5=nope']], 'x', { github: 's' }));
    expect(check.status).toBe('malformed');
    expect(check.message).toContain('sha256=<64 hex characters>');
  });

  it('checks the legacy sha1 X-Hub-Signature as GitHub when GitHub headers are beside it', () => {
    const body = 'Hello, World!';
    const sha1 = `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`;
    const checks = verifySignatures(request([...github, ['X-Hub-Signature', sha1]], body, { github: SECRET }));
    expect(checks).toEqual([expect.objectContaining({ provider: 'github', header: 'X-Hub-Signature', status: 'verified' })]);
    expect(checks[0].message).toContain('HMAC-SHA1 of body (13 bytes)');
  });
});

describe('X-Hub-Signature shared by Intercom and Jira', () => {
  const body = '{"type":"notification_event"}';
  const sha1 = `sha1=${createHmac('sha1', 'intercom-secret').update(body).digest('hex')}`;

  it('checks it as Intercom when the User-Agent is Intercom', () => {
    const headers: HeaderPair[] = [['User-Agent', 'intercom-parrot-service-client/1.0'], ['X-Hub-Signature', sha1]];
    expect(verifySignatures(request(headers, body, { intercom: 'intercom-secret' }))[0]).toMatchObject({ provider: 'intercom', status: 'verified' });
  });

  it('checks a sha256= value as Jira', () => {
    const sig = `sha256=${createHmac('sha256', 'jira-secret').update(body).digest('hex')}`;
    const headers: HeaderPair[] = [['X-Atlassian-Webhook-Identifier', '1234'], ['X-Hub-Signature', sig]];
    expect(verifySignatures(request(headers, body, { jira: 'jira-secret' }))[0]).toMatchObject({ provider: 'jira', status: 'verified' });
  });

  it('names both candidates when nothing says who sent a sha1 value and the bin has no secret', () => {
    const [check] = verifySignatures(request([['X-Hub-Signature', sha1]], body));
    expect(check.status).toBe('no-secret');
    expect(check.message).toContain('GitHub or Intercom');
  });

  it('tries each candidate that has a secret when nothing says who sent it', () => {
    const [check] = verifySignatures(request([['X-Hub-Signature', sha1]], body, { github: 'unrelated', intercom: 'intercom-secret' }));
    expect(check).toMatchObject({ provider: 'intercom', status: 'verified' });
  });
});

describe('GitHub source', () => {
  it('reports the event, delivery and hook id', () => {
    expect(recognizeSource(github, [])).toEqual({
      provider: 'github',
      details: { event: 'push', delivery: '72d3162e-cc78-11e3-81ab-4c9367dc0958', hookId: '292430182' },
    });
  });
});
