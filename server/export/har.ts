/**
 * A bin's captures as a HAR 1.2 document (http://www.softwareishard.com/blog/har-12-spec/), written as it is read:
 * the store is read a page at a time and each piece is written when the reader can take it, so a bin of any size
 * is exported holding about one page (and one body) at a time.
 */
import { isUtf8 } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { Writable } from 'node:stream';
import type { RequestService } from '../services/requests';
import type { FullRequestRecord, RequestRecord } from '../store';
import { drained, readableHeaders } from '../wire';
import { captureDestination, originForm } from './destination';

/** Summaries read per page of a whole bin's export. */
const PAGE_ROWS = 200;
/** Body bytes (as received) read at once; a larger body is read alone. */
const PAGE_BYTES = 4 * 1024 * 1024;
/** Body bytes per piece written: a multiple of 3, so that base64 pieces join without padding. */
const BODY_PIECE = 48 * 1024;

type Reader = Pick<RequestService, 'list' | 'getMany'>;

/**
 * Every request of the bin, newest first, with its body: the summaries a page at a time, the bodies of a page in
 * groups of about PAGE_BYTES. Requests stored after the first page are not included; those removed meanwhile are
 * left out. Rejects with NotFoundError for an unknown bin.
 */
export async function* requestsOfBin(requests: Reader, binId: string): AsyncGenerator<FullRequestRecord> {
  let before: number | undefined;
  for (;;) {
    const page = await requests.list(binId, { limit: PAGE_ROWS, before });
    for (const group of bySize(page.requests)) yield* await requests.getMany(binId, group);
    if (!page.hasMore || page.requests.length === 0) return;
    before = page.requests.at(-1)!.id;
  }
}

/**
 * The bin's requests among `ids`, newest first, one at a time (a body may be as large as --max-body); the ids the
 * bin does not hold are pushed to `missing`.
 */
export async function* requestsByIds(requests: Reader, binId: string, ids: readonly number[], missing: number[]): AsyncGenerator<FullRequestRecord> {
  for (const id of [...new Set(ids)].sort((a, b) => b - a)) {
    const [record] = await requests.getMany(binId, [id]);
    if (record) yield record;
    else missing.push(id);
  }
}

/** Ids of consecutive summaries whose bodies (as received) add up to about PAGE_BYTES, each group at least one. */
function bySize(summaries: readonly RequestRecord[]): number[][] {
  const groups: number[][] = [];
  let bytes = Infinity;
  for (const { id, size } of summaries) {
    if (bytes + size > PAGE_BYTES) {
      groups.push([]);
      bytes = 0;
    }
    groups.at(-1)!.push(id);
    bytes += size;
  }
  return groups;
}

export interface HarOptions {
  /** The base of capture URLs for the caller: --public-url, or its own scheme and Host. */
  captureBase: string;
  /** hooklens's version, for `log.creator`. */
  version: string;
  /** `log.comment`, asked once every entry is written; none when it answers undefined. */
  comment?: () => string | undefined;
}

/**
 * Writes the HAR document of `records` to `out`, one entry after the other in their order, waiting whenever `out`
 * cannot take more; then ends `out`. Nothing is written before the first record is read, so that a store that
 * fails at once still lets the caller answer with an error. Rejects with the store's error from a later read: the
 * document is then unfinished, and the caller must destroy `out`. Resolves early when `out` closes first.
 */
export async function writeHar(out: Writable, records: AsyncIterable<FullRequestRecord>, options: HarOptions): Promise<void> {
  const write = async (piece: string): Promise<void> => {
    if (!out.write(piece)) await drained(out);
  };
  const head = JSON.stringify({ log: { version: '1.2', creator: { name: 'hooklens', version: options.version }, entries: [] } });
  let first = true;
  for await (const record of records) {
    if (out.destroyed) return;
    await write(first ? head.slice(0, -3) : ',');
    first = false;
    for (const piece of entryPieces(record, options.captureBase)) {
      if (out.destroyed) return;
      await write(piece);
    }
  }
  if (out.destroyed) return;
  const comment = options.comment?.();
  await write(`${first ? head.slice(0, -3) : ''}]${comment === undefined ? '' : `,"comment":${JSON.stringify(comment)}`}}}`);
  out.end();
}

/** One entry as JSON pieces: the request last, its postData last, its text written a piece at a time. */
function* entryPieces(r: FullRequestRecord, captureBase: string): Generator<string> {
  const json = JSON.stringify(harEntry(r, captureBase));
  if (r.body.length === 0) return yield json;
  const text = isUtf8(r.body);
  const postData = { mimeType: r.contentType === null ? '' : readable(r.contentType), ...(text ? {} : { encoding: 'base64' }) };
  // The entry ends with the request's "}" and its own: the postData goes in before them.
  yield `${json.slice(0, -2)},"postData":${JSON.stringify(postData).slice(0, -1)},"text":"`;
  if (!text) {
    for (let at = 0; at < r.body.length; at += BODY_PIECE) yield r.body.toString('base64', at, at + BODY_PIECE);
  } else {
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    for (let at = 0; at < r.body.length; at += BODY_PIECE) {
      yield JSON.stringify(decoder.decode(r.body.subarray(at, at + BODY_PIECE), { stream: true })).slice(1, -1);
    }
    yield JSON.stringify(decoder.decode()).slice(1, -1);
  }
  yield '"}}}';
}

interface NameValue {
  name: string;
  value: string;
}

/** The entry without its postData; `request` is the last key (entryPieces relies on it). */
function harEntry(r: FullRequestRecord, captureBase: string) {
  const { origin, target } = captureDestination(captureBase, originForm(r.url));
  const headers = readableHeaders(r.headers);
  const httpVersion = `HTTP/${r.httpVersion}`;
  // The request line and header lines as received, and the blank line: one byte a character.
  const headersSize = `${r.method} ${r.url} ${httpVersion}\r\n`.length
    + r.headers.reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0) + 2;
  return {
    startedDateTime: new Date(r.receivedAt).toISOString(),
    // hooklens keeps when a request arrived, not how long it took.
    time: 0,
    comment: `hooklens request ${r.id}`,
    _hooklens: {
      id: r.id, binId: r.binId, remoteAddress: r.remoteAddress, size: r.size, truncated: r.truncated, sha256: r.bodySha256,
      ...(r.trailers ? { trailers: readableHeaders(r.trailers).map(([name, value]) => ({ name, value })) } : {}),
    },
    response: {
      status: r.status,
      statusText: STATUS_CODES[r.status] ?? '',
      httpVersion,
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: '' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      comment: 'the status capture answered; hooklens does not keep the headers and body it sent',
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
    request: {
      method: r.method,
      url: origin + uriSafe(target),
      httpVersion,
      cookies: cookiesOf(headers),
      headers: headers.map(([name, value]): NameValue => ({ name, value })),
      queryString: queryOf(r.query),
      headersSize,
      bodySize: r.body.length,
    },
  };
}

/**
 * A request-target as a URI: characters RFC 3986 allows, and whole %HH escapes, as they are; any other byte
 * (a space, `"`, `#`, `%` without two hex digits, a byte above 0x7f…) percent-encoded.
 */
export function uriSafe(target: string): string {
  return target.replace(/%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/g, (match) => {
    if (match.length === 3) return match;
    const code = match.charCodeAt(0);
    const bytes = code <= 0xff ? [code] : [...Buffer.from(match, 'utf8')];
    return bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  });
}

/** The query's parameters, in order, decoded as a form decodes them (`+` a space), UTF-8 when valid else latin1. */
function queryOf(query: string): NameValue[] {
  return query.split('&').filter((part) => part !== '').map((part) => {
    const equals = part.indexOf('=');
    const [name, value] = equals === -1 ? [part, ''] : [part.slice(0, equals), part.slice(equals + 1)];
    return { name: percentDecoded(name), value: percentDecoded(value) };
  });
}

function percentDecoded(text: string): string {
  const bytes = Buffer.from(text.replace(/\+/g, ' ').replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

/** The cookies of every Cookie header, in order. */
function cookiesOf(headers: readonly (readonly [string, string])[]): NameValue[] {
  return headers.filter(([name]) => name.toLowerCase() === 'cookie').flatMap(([, value]) =>
    value.split(';').map((part) => part.trim()).filter((part) => part !== '').map((part) => {
      const equals = part.indexOf('=');
      return equals === -1 ? { name: part, value: '' } : { name: part.slice(0, equals), value: part.slice(equals + 1) };
    }));
}

/** A latin1 header value as text: decoded when its bytes are UTF-8 (see readableHeaders). */
function readable(value: string): string {
  return readableHeaders([['', value]])[0][1];
}
