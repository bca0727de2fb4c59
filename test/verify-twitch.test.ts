import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HeaderPair } from '../shared/types';
import { recognizeSource, verifySignatures } from '../server/verify';
import type { VerifyInput } from '../server/verify';

const SECRET = 'twitch-subscription-secret';
const ID = 'e76c6bd4-55c9-4987-8304-da1588d8988b';
const TS = '2023-07-19T14:56:51.634234626Z';
const BODY = '{"subscription":{"type":"channel.follow"}}';
const SIGNED = Date.parse(TS);

function headers(signature = `sha256=${createHmac('sha256', SECRET).update(ID + TS + BODY).digest('hex')}`): HeaderPair[] {
  return [
    ['Twitch-Eventsub-Message-Id', ID],
    ['Twitch-Eventsub-Message-Timestamp', TS],
    ['Twitch-Eventsub-Message-Signature', signature],
    ['Twitch-Eventsub-Message-Type', 'notification'],
  ];
}

function request(h: HeaderPair[], over: Partial<VerifyInput> = {}): VerifyInput {
  return { method: 'POST', url: '/b/bin', headers: h, body: Buffer.from(BODY), bodyTruncated: false, secrets: { twitch: SECRET }, now: SIGNED + 1000, publicUrl: null, ...over };
}

describe('Twitch EventSub signatures', () => {
  it('verifies HMAC-SHA256 of message id + timestamp + body', () => {
    const [check] = verifySignatures(request(headers()));
    expect(check).toMatchObject({ provider: 'twitch', status: 'verified' });
    expect(check.message).toContain('message id + timestamp + body');
  });

  it('reports stale past 10 minutes', () => {
    expect(verifySignatures(request(headers(), { now: SIGNED + 3_600_000 }))[0].status).toBe('stale');
  });

  it('answers malformed for a signature without the sha256= prefix', () => {
    expect(verifySignatures(request(headers('abc')))[0].status).toBe('malformed');
  });

  it('recognises Twitch with the message and subscription type', () => {
    expect(recognizeSource(headers(), [])).toEqual({ provider: 'twitch', details: { messageType: 'notification', messageId: ID } });
  });
});
