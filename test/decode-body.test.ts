import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../server/http/decode-body';
import { makeTestApp } from './helpers/app';

const text = '{"ticket":{"id":35436,"status":"open"}}';

describe('GET …/requests/{id}/body?decoded', () => {
  it.each([
    ['br', brotliCompressSync(text)],
    ['gzip', gzipSync(text)],
    ['deflate', deflateSync(text)],
    ['deflate', deflateRawSync(text)],
  ])('undoes Content-Encoding: %s, sandboxed; without ?decoded the bytes are as received', async (coding, bytes) => {
    const { app } = await makeTestApp({ bins: ['z'] });
    const { body: { id } } = await request(app).post('/b/z').set('Content-Encoding', coding).set('Content-Type', 'application/octet-stream')
      .send(bytes).expect(200);
    const decoded = await request(app).get(`/api/bins/z/requests/${id}/body?decoded`).buffer(true).parse(binary).expect(200);
    expect((decoded.body as Buffer).toString()).toBe(text);
    expect(decoded.headers['x-hooklens-decoded']).toBe('whole');
    expect(decoded.headers['content-security-policy']).toBe('sandbox');
    const raw = await request(app).get(`/api/bins/z/requests/${id}/body`).buffer(true).parse(binary).expect(200);
    expect((raw.body as Buffer).equals(bytes)).toBe(true);
  });

  it('says why it cannot: no coding (400), bytes that are not what they claim (422)', async () => {
    const { app } = await makeTestApp({ bins: ['z'] });
    const plain = (await request(app).post('/b/z').send('plain').expect(200)).body.id as number;
    expect((await request(app).get(`/api/bins/z/requests/${plain}/body?decoded`).expect(400)).body.error).toMatch(/no single Content-Encoding/);
    const bad = (await request(app).post('/b/z').set('Content-Encoding', 'br').send('not brotli at all').expect(200)).body.id as number;
    expect((await request(app).get(`/api/bins/z/requests/${bad}/body?decoded`).expect(422)).body.error).toMatch(/not valid br/);
  });

  it('stops a body that inflates past the limit there, and says it was cut', async () => {
    const bomb = brotliCompressSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    const { bytes, cut } = await decodeBody(bomb, 'br', 1024 * 1024);
    expect(cut).toBe(true);
    expect(bytes.length).toBe(1024 * 1024);
  });
});

function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
