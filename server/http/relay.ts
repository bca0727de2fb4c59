import { Router, type Request } from 'express';
import type { RelayStreams } from '../live/relay';
import type { BinService } from '../services/bins';
import type { RequestService } from '../services/requests';
import { NotFoundError, type BinRecord } from '../store';
import { HttpError } from './errors';
import { sendRaw } from './requests';

export interface RelayRouteDeps {
  bins: BinService;
  requests: RequestService;
  streams: RelayStreams;
}

/** What newRelayKey makes (base64url); anything else is not looked up. */
const RELAY_KEY = /^[A-Za-z0-9_-]{16,128}$/;
const NO_SUCH_RELAY = 'no such relay URL: the bin was deleted or its relay key was rotated';

/** A request id in a query parameter or header; undefined when absent or empty; 400 otherwise. */
function idFrom(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) throw new HttpError(400, `${name} must be a request id (a non-negative integer)`);
  return Number(value);
}

/**
 * Where a stream resumes: after `Last-Event-ID` (what an EventSource sends when it reconnects, newer than the URL it
 * reconnects to), else after `?after=`; undefined: from now on.
 */
function resumeAfter(req: Request): number | undefined {
  return idFrom(req.get('Last-Event-ID')?.trim(), 'Last-Event-ID') ?? idFrom(req.query.after, '"after"');
}

/**
 * `/relay/{key}`: the bin's smee-compatible relay, for `smee-client` and `hooklens forward`. The key is the only
 * credential: no token, and only that bin's captures. Mounted outside /api and its access check; every answer but
 * the stream is JSON, its 404s too.
 */
export function relayRouter({ bins, requests, streams }: RelayRouteDeps): Router {
  const router = Router();

  const binOf = async (key: string): Promise<BinRecord> => {
    if (!RELAY_KEY.test(key)) throw new HttpError(404, NO_SUCH_RELAY);
    return bins.byRelayKey(key).catch((err: unknown) => {
      throw err instanceof NotFoundError ? new HttpError(404, NO_SUCH_RELAY) : err;
    });
  };

  router.get('/:key', async (req, res) => {
    const bin = await binOf(req.params.key);
    const after = resumeAfter(req);
    // A stream would never end for a request whose answer has no body.
    if (req.method === 'HEAD') return void res.status(200).type('text/event-stream').set('Cache-Control', 'no-cache').end();
    streams.open(res, bin, after);
  });

  router.get('/:key/requests/:id/raw', async (req, res) => {
    const bin = await binOf(req.params.key);
    const id = idFrom(req.params.id, 'the request id');
    if (id === undefined) throw new HttpError(400, 'a request id is needed');
    sendRaw(res, await requests.get(bin.id, id));
  });

  router.all('/:key', (_req, res) => {
    res.set('Allow', 'GET, HEAD');
    throw new HttpError(405, 'a relay URL is read with GET (Server-Sent Events); send requests to the bin\'s capture URL');
  });
  router.use(() => {
    throw new HttpError(404, NO_SUCH_RELAY);
  });
  return router;
}
