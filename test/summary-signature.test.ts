import { createHmac } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { RequestSummary } from '../shared/types';
import { makeTestApp } from './helpers/app';

describe('RequestSummary.signature', () => {
  it('says the most telling check in the list, null without a signature, and follows a secret added later', async () => {
    const { app } = await makeTestApp({ bins: ['gh'] });
    const body = '{"zen":"Keep it logically awesome."}';
    const signature = `sha256=${createHmac('sha256', 'later-secret').update(body).digest('hex')}`;
    await request(app).post('/b/gh').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature)
      .set('X-GitHub-Event', 'ping').send(body).expect(200);
    await request(app).post('/b/gh').send('{}').expect(200);
    const list = async () => ((await request(app).get('/api/bins/gh/requests').expect(200)).body as { requests: RequestSummary[] })
      .requests.map((r) => r.signature);
    expect(await list()).toEqual([null, 'no-secret']);
    await request(app).patch('/api/bins/gh').send({ signingSecrets: { github: 'later-secret' } }).expect(200);
    // The bin's requests are rechecked in the background.
    await expect.poll(list, { timeout: 5_000 }).toEqual([null, 'verified']);
  });
});
