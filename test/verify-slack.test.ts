import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TS = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

function request(headers: HeaderPair[], over: Partial<VerifyInput> = {}): VerifyInput {
  return {
    method: 'POST', url: '/b/bin', headers, body: Buffer.from(BODY), bodyTruncated: false,
    secrets: { slack: SECRET }, now: Number(TS) * 1000 + 5000, publicUrl: null, ...over,
  };
}

const slackHeaders: HeaderPair[] = [['X-Slack-Request-Timestamp', TS], ['X-Slack-Signature', SIGNATURE]];

describe('Slack signatures', () => {
  it('verifies the published vector near its timestamp', () => {
    const [check] = verifySignatures(request(slackHeaders));
    expect(check).toMatchObject({ provider: 'slack', header: 'X-Slack-Signature', status: 'verified' });
    expect(check.message).toContain('HMAC-SHA256 of "v0:" + timestamp + ":" + body (362 bytes)');
  });

  it('reports the published vector as stale with a real clock', () => {
    const [check] = verifySignatures(request(slackHeaders, { now: Date.now() }));
    expect(check.status).toBe('stale');
    expect(check.message).toMatch(/^Signature matches, but the timestamp is \d+ s old, outside Slack's 300 s tolerance/);
  });

  it('reports a mismatch when the body differs', () => {
    expect(verifySignatures(request(slackHeaders, { body: Buffer.from(`${BODY}&x=1`) }))[0].status).toBe('mismatch');
  });

  it('answers no-secret without a Slack secret', () => {
    expect(verifySignatures(request(slackHeaders, { secrets: {} }))[0].status).toBe('no-secret');
  });

  it('answers malformed without a timestamp header', () => {
    const [check] = verifySignatures(request([['X-Slack-Signature', SIGNATURE]]));
    expect(check.status).toBe('malformed');
    expect(check.message).toContain('X-Slack-Request-Timestamp');
  });

  it('answers malformed for another version prefix', () => {
    const v1 = `v1=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
    const [check] = verifySignatures(request([['X-Slack-Request-Timestamp', TS], ['X-Slack-Signature', v1]]));
    expect(check.status).toBe('malformed');
    expect(check.message).toContain('v0=<64 hex characters>');
  });

  it('recognises Slack as the source', () => {
    expect(recognizeSource([...slackHeaders, ['X-Slack-Retry-Num', '1']], [])).toEqual({ provider: 'slack', details: { retryNum: '1' } });
  });
});
