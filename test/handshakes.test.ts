import { createHmac } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { CapturedRequest, RequestSummary } from '../shared/types';
import { makeTestApp, type TestApp } from './helpers/app';

/** A bin whose own setting answers 500: a handshake is answered whatever the setting. */
async function binAnswering500(secrets: Record<string, string> = {}): Promise<TestApp> {
  const app = await makeTestApp({ bins: ['hooks'] });
  await request(app.app).patch('/api/bins/hooks').send({ response: { status: 500, body: 'down' }, signingSecrets: secrets }).expect(200);
  return app;
}

async function latest(app: TestApp): Promise<RequestSummary> {
  return ((await request(app.app).get('/api/bins/hooks/requests?limit=1').expect(200)).body as { requests: RequestSummary[] }).requests[0];
}

describe('provider handshakes', () => {
  it("answers Slack's url_verification with the challenge, and marks the stored request", async () => {
    const app = await binAnswering500();
    const res = await request(app.app).post('/b/hooks/slack/events')
      .send({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe('sandbox');
    expect(await latest(app)).toMatchObject({ path: '/slack/events', status: 200, handshake: 'slack' });
  });

  it("answers Zoom's endpoint.url_validation with the token signed by the bin's Zoom secret", async () => {
    const app = await binAnswering500({ zoom: 'zoom-secret-token' });
    const res = await request(app.app).post('/b/hooks').send({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680, event: 'endpoint.url_validation' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: createHmac('sha256', 'zoom-secret-token').update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
    });
    expect(await latest(app)).toMatchObject({ handshake: 'zoom', status: 200 });
  });

  it("leaves Zoom's check to the bin's setting when the bin has no Zoom secret (it could not be answered right)", async () => {
    const app = await binAnswering500();
    const res = await request(app.app).post('/b/hooks').send({ payload: { plainToken: 'abc' }, event: 'endpoint.url_validation' });
    expect(res.status).toBe(500);
    const stored = await latest(app);
    expect(stored.status).toBe(500);
    expect(stored.handshake).toBeUndefined();
  });

  it("answers Meta's hub.challenge on a GET with hub.mode=subscribe", async () => {
    const app = await binAnswering500();
    const res = await request(app.app).get('/b/hooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock');
    expect(res.status).toBe(200);
    expect(res.text).toBe('1158201444');
    expect(await latest(app)).toMatchObject({ method: 'GET', handshake: 'meta' });
    // Not a subscription check: the setting answers.
    await request(app.app).get('/b/hooks/meta?hub.mode=unsubscribe&hub.challenge=1').expect(500);
  });

  it("answers Microsoft Graph's validationToken, decoded, as text", async () => {
    const app = await binAnswering500();
    const res = await request(app.app).post('/b/hooks/graph?validationToken=Validation%3A%20Testing%20client%20application%20reachability')
      .set('Content-Type', 'text/plain; charset=utf-8').send('');
    expect(res.status).toBe(200);
    expect(res.text).toBe('Validation: Testing client application reachability');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(await latest(app)).toMatchObject({ handshake: 'microsoft-graph', query: 'validationToken=Validation%3A%20Testing%20client%20application%20reachability' });
  });

  it("answers Twitch's webhook_callback_verification with the challenge", async () => {
    const app = await binAnswering500();
    const res = await request(app.app).post('/b/hooks/twitch')
      .set('Twitch-Eventsub-Message-Type', 'webhook_callback_verification')
      .send({ challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { id: 'f1c2a387-161a-49f9-a165-0f21d7a4e1c4', type: 'channel.follow' } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('pogchamp-kappa-360noscope-vohiyo');
    expect(await latest(app)).toMatchObject({ handshake: 'twitch' });
  });

  it('leaves look-alikes to the setting: another Slack event, a Twitch notification, a challenge that is not a string', async () => {
    const app = await binAnswering500();
    await request(app.app).post('/b/hooks').send({ type: 'event_callback', event: { text: 'url_verification' } }).expect(500);
    await request(app.app).post('/b/hooks').send({ type: 'url_verification', challenge: { nested: true } }).expect(500);
    await request(app.app).post('/b/hooks').set('Twitch-Eventsub-Message-Type', 'notification').send({ challenge: 'x' }).expect(500);
    await request(app.app).post('/b/hooks').set('Content-Type', 'application/json').send('{"type":"url_verification", broken').expect(500);
    const { requests } = (await request(app.app).get('/api/bins/hooks/requests').expect(200)).body as { requests: RequestSummary[] };
    expect(requests.map((r) => [r.status, r.handshake])).toEqual(Array(4).fill([500, undefined]));
  });

  it('echoes a hostile challenge only as sandboxed text', async () => {
    const app = await binAnswering500();
    const res = await request(app.app).post('/b/hooks').send({ type: 'url_verification', challenge: '<script>alert(1)</script>' });
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe('sandbox');
  });
});

describe('delivery attempts', () => {
  it("groups Zendesk's retries by invocation id: the list and the detail say which attempt each is", async () => {
    const { app } = await makeTestApp({ bins: ['hooks'] });
    const send = (invocation: string) => request(app).post('/b/hooks').set('X-Zendesk-Webhook-Invocation-Id', invocation)
      .set('X-Zendesk-Webhook-Id', '01GZ').send({ ticket: 1 }).expect(200);
    const first = await send('8350205582');
    await send('8350205582');
    await send('9999999999');
    const { requests } = (await request(app).get('/api/bins/hooks/requests').expect(200)).body as { requests: RequestSummary[] };
    expect(requests.map((r) => r.delivery)).toEqual([
      { provider: 'zendesk', id: '9999999999', attempt: 1 },
      { provider: 'zendesk', id: '8350205582', attempt: 2 },
      { provider: 'zendesk', id: '8350205582', attempt: 1 },
    ]);
    const detail = (await request(app).get(`/api/bins/hooks/requests/${first.body.id}`).expect(200)).body as CapturedRequest;
    expect(detail.delivery).toEqual({ provider: 'zendesk', id: '8350205582', attempt: 1 });
  });

  it('counts GitHub redeliveries and Standard Webhooks retries too, and nothing for a request without a delivery id', async () => {
    const { app } = await makeTestApp({ bins: ['hooks'] });
    for (let i = 0; i < 3; i++) await request(app).post('/b/hooks').set('X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958').send({}).expect(200);
    await request(app).post('/b/hooks').set('webhook-id', 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W').send({}).expect(200);
    await request(app).post('/b/hooks').send({}).expect(200);
    const { requests } = (await request(app).get('/api/bins/hooks/requests').expect(200)).body as { requests: RequestSummary[] };
    expect(requests.map((r) => r.delivery && `${r.delivery.provider} ${r.delivery.attempt}`))
      .toEqual([undefined, 'standard-webhooks 1', 'github 3', 'github 2', 'github 1']);
  });
});
