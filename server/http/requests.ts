import { Router, type Request, type Response } from 'express';
import { analyzeRequest } from '../analysis';
import type { RouteDeps } from './bins';
import { bodyCoding, decodeBody } from './decode-body';
import { HttpError } from './errors';
import { parseSearch, SearchSyntaxError, type SearchQuery } from '../search/parse';
import type { FullRequestRecord } from '../store';
import { rawMessage, toSummary, writeCapturedRequest } from '../wire';

const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 50;

/** A query parameter as a positive integer id, or undefined when absent; 400 otherwise. */
function optionalId(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw new HttpError(400, `"${name}" must be a request id (a non-negative integer)`);
  }
  return Number(value);
}

/** The search in `q`, or undefined without one; 400 naming what is wrong in it and where. */
function optionalSearch(value: unknown): SearchQuery | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new HttpError(400, '"q" must be given once, as text');
  try {
    return parseSearch(value);
  } catch (err) {
    if (err instanceof SearchSyntaxError) throw new HttpError(400, err.message);
    throw err;
  }
}

function pathId(req: Request): number {
  const id = optionalId(req.params.id, 'id');
  if (id === undefined) throw new HttpError(400, 'a request id is needed');
  return id;
}

/** Captured content must never run in the viewer's origin, whatever its bytes. */
function sandbox(res: Response): void {
  res.set({ 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': 'sandbox', 'Cache-Control': 'no-store' });
}

/** Answers with the request as received (see rawMessage), sandboxed: for `/raw` here and on the relay URL. */
export function sendRaw(res: Response, request: FullRequestRecord): void {
  sandbox(res);
  res.type('text/plain; charset=utf-8');
  res.send(rawMessage(request));
}

/** `/api/bins/{binId}/requests...` */
export function requestsRouter({ config, bins, requests, now }: RouteDeps): Router {
  const router = Router({ mergeParams: true });
  const binIdOf = (req: Request): string => (req.params as Record<string, string>).binId;

  router.get('/', async (req, res) => {
    const rawLimit = req.query.limit ?? String(DEFAULT_LIMIT);
    const limit = typeof rawLimit === 'string' && /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : 0;
    if (limit < 1 || limit > MAX_LIMIT) throw new HttpError(400, `"limit" must be from 1 to ${MAX_LIMIT}`);
    const page = await requests.list(binIdOf(req), {
      limit,
      before: optionalId(req.query.before, 'before'),
      after: optionalId(req.query.after, 'after'),
      search: optionalSearch(req.query.q),
    });
    res.json({ requests: page.requests.map(toSummary), hasMore: page.hasMore, total: page.total });
  });

  router.delete('/', async (req, res) => {
    await requests.clear(binIdOf(req));
    res.status(204).end();
  });

  router.get('/:id', async (req, res) => {
    const binId = binIdOf(req);
    const [bin, request] = await Promise.all([bins.get(binId), requests.get(binId, pathId(req))]);
    // URL-signing providers sign the URL the sender called: --public-url, or else what the captured request's own
    // Host and X-Forwarded-* headers say (server/verify rebuilds it) — never the host this API call came to.
    const analysis = analyzeRequest(request, { secrets: bin.signingSecrets, now: now(), publicBase: config.publicUrl });
    res.type('application/json');
    await writeCapturedRequest(res, request, analysis);
  });

  router.get('/:id/raw', async (req, res) => {
    sendRaw(res, await requests.get(binIdOf(req), pathId(req)));
  });

  router.get('/:id/body', async (req, res) => {
    const request = await requests.get(binIdOf(req), pathId(req));
    // ?decoded: the body with its Content-Encoding undone (the viewer's view of br, which browsers do not decode).
    let body = request.body;
    if (req.query.decoded !== undefined) {
      const coding = bodyCoding(request.headers);
      if (coding === null) throw new HttpError(400, 'the body has no single Content-Encoding of gzip, deflate or br to undo');
      const decoded = await decodeBody(request.body, coding).catch((err: Error) => {
        throw new HttpError(422, `the body is not valid ${coding}: ${err.message}`);
      });
      body = decoded.bytes;
      res.set('X-Hooklens-Decoded', decoded.cut ? 'cut' : 'whole');
    }
    sandbox(res);
    res.set({
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="request-${request.id}.bin"`,
    });
    res.send(body);
  });

  router.delete('/:id', async (req, res) => {
    await requests.delete(binIdOf(req), pathId(req));
    res.status(204).end();
  });

  return router;
}
