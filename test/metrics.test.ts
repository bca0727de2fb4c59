import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Metrics } from '../server/metrics';
import { StoreUnavailableError } from '../server/store';
import { makeTestApp, startTestServer, type TestApp, type TestServer } from './helpers/app';
import { LiveClient } from './helpers/live';

const TOKEN = 'metrics-test-token-0123456789';
const opened: (TestApp | TestServer)[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

/** The value of a sample line (`name{labels} value`), or undefined when the text has none. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('GET /metrics', () => {
  it('needs the token as the API does, and answers Prometheus text with it', async () => {
    const t = await makeTestApp({ config: { token: TOKEN } });
    opened.push(t);
    expect((await request(t.app).get('/metrics').expect(401)).body.error).toMatch(/access token is needed/);
    await request(t.app).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(res.text).toMatch(/^nodejs_heap_size_used_bytes /m);
  });

  it('counts captures by the status answered, their bytes and durations, and the requests stored, with no bin or path in it', async () => {
    const t = await makeTestApp({ bins: ['secret-bin-name'], config: { maxBody: 10 } });
    opened.push(t);
    await request(t.app).post('/b/secret-bin-name/private/path?q=1').send('12345').expect(200);
    await request(t.app).post('/b/secret-bin-name').send('123').expect(200);
    await request(t.app).post('/b/secret-bin-name').send('x'.repeat(25)).expect(413);
    await request(t.app).post('/b/no-such-bin').send('ignored').expect(404);
    const text = (await request(t.app).get('/metrics').expect(200)).text;
    expect(sample(text, 'hooklens_captures_total{status="200"}')).toBe(2);
    expect(sample(text, 'hooklens_captures_total{status="413"}')).toBe(1);
    expect(sample(text, 'hooklens_captures_total{status="404"}')).toBe(1);
    expect(sample(text, 'hooklens_capture_bytes_total')).toBe(5 + 3 + 25);
    expect(sample(text, 'hooklens_capture_duration_seconds_count')).toBe(4);
    expect(sample(text, 'hooklens_capture_duration_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(sample(text, 'hooklens_requests_stored')).toBe(3);
    for (const captured of ['secret-bin-name', 'no-such-bin', 'private', 'q=1', '12345']) expect(text).not.toContain(captured);
  });

  it('still answers while the database does not, keeping the last count', async () => {
    let count: () => Promise<number> = async () => 7;
    const metrics = new Metrics({ countRequests: () => count(), storedBytes: async () => 1024 });
    metrics.captured(503, 0, 0.001);
    expect(sample(await metrics.registry.metrics(), 'hooklens_requests_stored')).toBe(7);
    count = () => Promise.reject(new StoreUnavailableError('connection refused'));
    let text = await metrics.registry.metrics();
    expect(sample(text, 'hooklens_requests_stored')).toBe(7);
    expect(sample(text, 'hooklens_captures_total{status="503"}')).toBe(1);
    count = () => new Promise(() => {}); // a database that hangs
    text = await metrics.registry.metrics();
    expect(sample(text, 'hooklens_captures_total{status="503"}')).toBe(1);
  });

  it('counts live clients and the messages sent to them', async () => {
    const server = await startTestServer({ bins: ['bin'] });
    opened.push(server);
    const metrics = async () => (await fetch(`${server.url}/metrics`)).text();
    const client = await LiveClient.connect(server.liveUrl);
    client.send({ type: 'subscribe', binId: 'bin' });
    await client.sync();
    await fetch(`${server.url}/b/bin`, { method: 'POST', body: '{}' });
    // The capture, then its bin's new count: nothing more is on its way after that.
    await client.until((m) => m.some((x) => x.type === 'bin'));
    const text = await metrics();
    expect(sample(text, 'hooklens_live_clients')).toBe(1);
    expect(sample(text, 'hooklens_live_messages_total')).toBe(client.messages.length);
    await client.close();
    await vi.waitFor(async () => expect(sample(await metrics(), 'hooklens_live_clients')).toBe(0));
  });
});
