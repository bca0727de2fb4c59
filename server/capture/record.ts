import type { IncomingMessage } from 'node:http';
import type { HeaderPair } from '../../shared/types';
import type { Config } from '../config';
import { clientAddress, isSecure } from '../net/peer';
import type { NewRequest } from '../store';
import type { ReadBody } from './body';
import type { CaptureTarget } from './target';

/** Pairs from Node's flat rawHeaders: order, case and duplicates as received. */
function headerPairs(raw: string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}

/**
 * The request as received, for the store. Nothing is analysed here: the store derives the credential label (and
 * redacts) as it writes, off the path that answers HTTP (store/derive.ts).
 */
export function buildRecord(
  req: IncomingMessage,
  target: CaptureTarget,
  body: ReadBody & { receivedAt: number },
  config: Pick<Config, 'trustProxy'>,
): NewRequest {
  const { address, port } = clientAddress(req, config.trustProxy);
  return {
    binId: target.binId,
    receivedAt: body.receivedAt,
    method: req.method ?? 'GET',
    url: req.url ?? '',
    path: target.path,
    query: target.query,
    httpVersion: req.httpVersion,
    headers: headerPairs(req.rawHeaders),
    // The body has ended: trailers after a chunked body are known.
    ...(req.rawTrailers.length > 0 ? { trailers: headerPairs(req.rawTrailers) } : {}),
    contentType: req.headers['content-type'] ?? null,
    size: body.size,
    truncated: body.truncated,
    body: body.body,
    remoteAddress: address,
    remotePort: port,
    secure: isSecure(req, config.trustProxy),
    // Decided by capture once the body is read.
    status: 200,
    handshake: null,
  };
}
