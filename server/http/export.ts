import { Router, type Request } from 'express';
import type { RouteDeps } from './bins';
import { HttpError } from './errors';
import { captureBaseFor } from '../net/peer';
import { curlCommand } from '../export/curl';
import { captureDestination, DestinationError, forwardDestination, type Destination } from '../export/destination';
import { requestsByIds, requestsOfBin, writeHar } from '../export/har';
import type { FullRequestRecord } from '../store';
import packageJson from '../../package.json' with { type: 'json' };

/** Ids one `ids=` may list. */
const MAX_IDS = 1000;

function binIdOf(req: Request): string {
  return (req.params as Record<string, string>).binId;
}

function requestIdOf(req: Request): number {
  const id = (req.params as Record<string, string>).id;
  if (!/^\d{1,15}$/.test(id)) throw new HttpError(400, '"id" must be a request id (a non-negative integer)');
  return Number(id);
}

/** `ids=1,2,3` (or repeated): at most MAX_IDS request ids; null when absent. */
function readIds(value: unknown): number[] | null {
  if (value === undefined) return null;
  const values: unknown[] = Array.isArray(value) ? value : [value];
  const parts = values.every((v) => typeof v === 'string') ? values.join(',').split(',') : [''];
  if (parts.some((part) => !/^\d{1,15}$/.test(part))) {
    throw new HttpError(400, '"ids" must be request ids (non-negative integers) separated by commas');
  }
  if (parts.length > MAX_IDS) throw new HttpError(400, `"ids" may list at most ${MAX_IDS} request ids`);
  return parts.map(Number);
}

/**
 * `/api/bins/{binId}/...` exports: a request as a cURL command (`requests/{id}/curl`), the bin or some of its
 * requests as a HAR document (`har`).
 */
export function exportRouter({ config, bins, requests }: RouteDeps): Router {
  const router = Router({ mergeParams: true });

  router.get('/requests/:id/curl', async (req, res) => {
    const to = req.query.to;
    if (to !== undefined && typeof to !== 'string') throw new HttpError(400, '"to" must be one URL');
    const record = await requests.get(binIdOf(req), requestIdOf(req));
    let destination: Destination;
    try {
      destination = to === undefined ? captureDestination(captureBaseFor(config, req), record.url) : forwardDestination(record, to);
    } catch (err) {
      if (err instanceof DestinationError) throw new HttpError(400, err.message);
      throw err;
    }
    res.type('text/plain; charset=utf-8').send(curlCommand(record, destination));
  });

  router.get('/har', async (req, res) => {
    const binId = binIdOf(req);
    const ids = readIds(req.query.ids);
    await bins.get(binId);
    const missing: number[] = [];
    const records: AsyncIterable<FullRequestRecord> = ids === null ? requestsOfBin(requests, binId) : requestsByIds(requests, binId, ids, missing);
    res.set({
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${binId}.har"`,
      // Captured content, although in JSON: never to be run in the viewer's origin.
      'Content-Security-Policy': 'sandbox',
    });
    await writeHar(res, records, {
      captureBase: captureBaseFor(config, req),
      version: packageJson.version,
      comment: () => (missing.length === 0 ? undefined
        : `not in the bin (never captured there, or removed since), left out: ${missing.sort((a, b) => b - a).join(', ')}`),
    });
  });

  return router;
}
