import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** Decoded output past this is cut off (`X-Hooklens-Decoded: cut`): a small body may inflate to gigabytes. */
export const DECODED_LIMIT = 16 * 1024 * 1024;

/** The decoders of the Content-Encoding values hooklens undoes. */
const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The one coding the headers name (the viewer undoes a single coding), or null for none, several or another. */
export function bodyCoding(headers: readonly [string, string][]): string | null {
  const codings = headers.filter(([name]) => name.toLowerCase() === 'content-encoding')
    .flatMap(([, value]) => value.split(',')).map((coding) => coding.trim().toLowerCase()).filter(Boolean);
  return codings.length === 1 && codings[0] in DECODERS ? codings[0] : null;
}

/**
 * The body with its Content-Encoding undone, at most `limit` bytes (`cut` when there was more). HTTP's "deflate" is
 * zlib-wrapped, but some senders send it raw: that is tried when the zlib form fails. Rejects on corrupt data.
 */
export async function decodeBody(body: Buffer, coding: string, limit = DECODED_LIMIT): Promise<{ bytes: Buffer; cut: boolean }> {
  try {
    return await run(DECODERS[coding](), body, limit);
  } catch (err) {
    if (coding !== 'deflate') throw err;
    return run(createInflateRaw(), body, limit);
  }
}

function run(decoder: Transform, body: Buffer, limit: number): Promise<{ bytes: Buffer; cut: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    decoder.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= limit) {
        decoder.destroy();
        resolve({ bytes: Buffer.concat(chunks).subarray(0, limit), cut: true });
      }
    });
    decoder.on('end', () => resolve({ bytes: Buffer.concat(chunks), cut: false }));
    decoder.on('error', reject);
    decoder.end(body);
  });
}
