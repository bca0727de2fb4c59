import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ConflictError, NotFoundError, StoreUnavailableError } from '../store';

/** An error with the status and the message, for a person, that the API answers with. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Any /api path no route took: a JSON 404, never the viewer's HTML. */
export const apiNotFound: RequestHandler = (req) => {
  throw new HttpError(404, `no such API call: ${req.method} ${req.baseUrl}${req.path}`);
};

/** Registered last: turns every error into `{ error }` with a fitting status. Never echoes header values. */
export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  const [status, message] = describe(err);
  if (status >= 500 && status !== 503) console.error('hooklens: internal error:', err instanceof Error ? err.stack : err);
  if (res.headersSent) return void res.destroy();
  if (status === 503) res.set('Retry-After', '5');
  res.status(status).json({ error: message });
};

function describe(err: unknown): [number, string] {
  if (err instanceof HttpError) return [err.status, err.message];
  if (err instanceof NotFoundError) return [404, err.message];
  if (err instanceof ConflictError) return [409, err.message];
  if (err instanceof StoreUnavailableError) return [503, 'the database is unavailable; try again shortly'];
  // body-parser's errors carry a status and a type; their messages may quote the body, so say it in our words.
  const e = err as { status?: number; type?: string };
  if (e && e.type === 'entity.parse.failed') return [400, 'the request body is not valid JSON (a JSON object is expected)'];
  if (e && e.type === 'entity.too.large') return [413, 'the request body is too large for this API call'];
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) return [e.status, 'the request could not be read'];
  return [500, 'internal error; the server log has the details'];
}
