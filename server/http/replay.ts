import { Router, type Request } from 'express';
import type { ReplayService } from '../replay/service';
import type { RequestService } from '../services/requests';
import { HttpError } from './errors';

export interface ReplayRouteDeps {
  requests: RequestService;
  replay: ReplayService;
}

/** What each failure of a replay answers: a refused target is the caller's to fix; the others are the target's. */
const STATUS = { refused: 400, timeout: 504, unreachable: 502 } as const;

function requestIdOf(req: Request): number {
  const id = (req.params as Record<string, string>).id;
  if (!/^\d{1,15}$/.test(id)) throw new HttpError(400, '"id" must be a request id (a non-negative integer)');
  return Number(id);
}

/** `POST /api/bins/{binId}/requests/{id}/replay {"url"}`: sends the captured request again, from the server. */
export function replayRouter({ requests, replay }: ReplayRouteDeps): Router {
  const router = Router({ mergeParams: true });

  router.post('/:id/replay', async (req, res) => {
    const url = (req.body as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string') throw new HttpError(400, '"url" must be a string: the absolute http or https URL to send the request to');
    const record = await requests.get((req.params as Record<string, string>).binId, requestIdOf(req));
    const outcome = await replay.replay(record, url);
    // Answered here, not thrown: a target that fails is no internal error for the error handler to log as one.
    if (!outcome.ok) return void res.status(STATUS[outcome.reason]).json({ error: outcome.message });
    res.json(outcome.answer);
  });

  return router;
}
