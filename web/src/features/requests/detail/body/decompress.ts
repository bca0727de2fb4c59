/**
 * Content-Encoding undone in the browser with DecompressionStream: gzip and deflate everywhere it exists, br where
 * the browser's DecompressionStream knows "brotli" (feature-detected; no library). The output is capped, so a
 * small body that inflates to gigabytes (a zip bomb) stops at the cap.
 */

/** What decoding can be asked for: the Content-Encoding values hooklens decodes. */
export type Coding = 'gzip' | 'deflate' | 'br';

/** Decoded output past this is cut off (and said to be). */
export const DECOMPRESSED_LIMIT = 16 * 1024 * 1024;

/** The body's coding from its Content-Encoding header (the last one, lower-cased), or null for none or another. */
export function contentCoding(headers: readonly (readonly [string, string])[]): Coding | null {
  const values = headers.filter(([name]) => name.toLowerCase() === 'content-encoding').map(([, value]) => value);
  const codings = values.join(',').split(',').map((coding) => coding.trim().toLowerCase()).filter(Boolean);
  // Only a single coding is undone: "gzip, br" would need both in reverse, which senders do not do.
  if (codings.length !== 1) return null;
  const coding = codings[0] === 'x-gzip' ? 'gzip' : codings[0];
  return coding === 'gzip' || coding === 'deflate' || coding === 'br' ? coding : null;
}

/** The result of decoding: the bytes (cut at the limit), or why they could not be had. */
export type Decompressed = { bytes: Uint8Array; cut: boolean } | { error: string };

function stream(format: string): DecompressionStream | null {
  try {
    return new DecompressionStream(format as CompressionFormat);
  } catch {
    return null;
  }
}

async function run(bytes: Uint8Array, format: string, limit: number): Promise<Decompressed> {
  const decompressor = stream(format);
  if (decompressor === null) return { error: `this browser's DecompressionStream does not decode ${format}` };
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(decompressor).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (total >= limit) {
        await reader.cancel();
        return { bytes: join(chunks, limit), cut: true };
      }
    }
  } catch (failure) {
    return { error: failure instanceof Error ? failure.message : String(failure) };
  }
  return { bytes: join(chunks, total), cut: false };
}

function join(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= length) break;
    const piece = chunk.subarray(0, length - at);
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/**
 * Undoes `coding`. HTTP's "deflate" is zlib-wrapped, but some senders send raw deflate: that is tried when the
 * zlib form fails. Never throws.
 */
export async function decompress(bytes: Uint8Array, coding: Coding, limit = DECOMPRESSED_LIMIT): Promise<Decompressed> {
  if (coding === 'gzip') return run(bytes, 'gzip', limit);
  if (coding === 'br') return run(bytes, 'brotli', limit);
  const zlib = await run(bytes, 'deflate', limit);
  if (!('error' in zlib)) return zlib;
  const raw = await run(bytes, 'deflate-raw', limit);
  return 'error' in raw ? zlib : raw;
}
