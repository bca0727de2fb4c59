import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import type { Access } from './access';
import { createCaptureHandler } from './capture/handler';
import { parseCaptureTarget } from './capture/target';
import type { Config } from './config';
import type { Metrics } from './metrics';
import type { Store } from './store';
import { backupRouter } from './http/backup';
import type { Hub } from './bus/hub';
import { createRelayStreams } from './live/relay';
import { relayRouter } from './http/relay';
import type { BinService } from './services/bins';
import type { RequestService } from './services/requests';
import { binsRouter } from './http/bins';
import { openApiDocument } from './http/openapi';
import { apiNotFound, errorHandler, HttpError } from './http/errors';
import { requestsRouter } from './http/requests';
import { replayRouter } from './http/replay';
import { exportRouter } from './http/export';
import { ReplayService } from './replay/service';
import { sessionRouter } from './http/session';
import { sendTestRouter } from './http/send-test';
import packageJson from '../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;

export interface AppDeps {
  config: Readonly<Config>;
  bins: BinService;
  requests: RequestService;
  access: Access;
  /** Resolves when the database answers; rejects with the reason otherwise (readiness). */
  ready: () => Promise<void>;
  /** Served at /metrics, and fed by capture. */
  metrics: Metrics;
  /** The store, for GET /api/backup only (an online copy of an embedded database). */
  store: Pick<Store, 'backupTo'>;
  /** The clock, injectable for tests. */
  now?: () => number;
  /** Folder of the built viewer; defaults to dist/web. */
  viewerDir?: string;
  /** Where the one-line capture log goes (credential query values redacted); none when absent. */
  log?: (line: string) => void;
  /** Body bytes all captures in flight may hold (default: 256 MB, at least two full bodies). */
  bodyBudget?: number;
  /** Server-side replay; default: to what --replay-allow allows, by the system resolver, on real connections. */
  replay?: ReplayService;
  /** This process's live fan-out: relay streams (/relay/{key}) follow their bin through it. */
  hub: Hub;
  /** Captures waiting for a slow relay client past which its stream is closed (bytes of their summaries). */
  sendBufferLimit?: number;
  /** How often relay streams are pinged (ms); 30 s by default. */
  heartbeatMs?: number;
}

/**
 * What createApp returns: the Node request handler, its /api router so that tests can list every route, and the
 * function that ends every relay stream (for a graceful stop: a stream is a request that never finishes).
 */
export type AppHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  readonly api: Router;
  readonly closeRelays: () => void;
  /** Sends at once the capture answers that wait out a bin's delay (their requests are stored): for a graceful stop. */
  readonly hurryCaptures: () => void;
};

/** The built viewer: dist/web, whether this runs from the sources (server/) or built (dist/server/). */
const DEFAULT_VIEWER_DIR = basename(dirname(import.meta.dirname)) === 'dist'
  ? join(import.meta.dirname, '..', 'web')
  : join(import.meta.dirname, '..', 'dist', 'web');

/** The viewer runs no inline script and talks only to its own origin; nothing may frame it. */
const VIEWER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // blob: for the body's image preview, drawn from the captured bytes (never a sender's URL).
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': VIEWER_CSP,
  });
  next();
};

/**
 * Builds the request handler: capture under /b/, the JSON API under /api, the viewer for the rest.
 * Never listens; server/index.ts does.
 */
export function createApp(deps: AppDeps): AppHandler {
  const { config, bins, requests, access } = deps;
  const now = deps.now ?? Date.now;
  const capture = createCaptureHandler({ config, bins, requests, now, log: deps.log, bodyBudget: deps.bodyBudget, metrics: deps.metrics });
  const routeDeps = { config, bins, requests, now };

  const app = express();
  app.disable('x-powered-by');
  // One hop: the proxy's own entry of X-Forwarded-*, not what the client wrote before it.
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('etag', false);
  app.use(securityHeaders);

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // 1 MB: room for a bin response's body (at most 256 KB, as base64 or escaped text).
  const json = express.json({ limit: '1mb' });
  api.get('/health', (_req, res) => void res.json({ ok: true, version: VERSION }));
  const openApi = openApiDocument(VERSION);
  api.get('/openapi.json', (_req, res) => void res.json(openApi));
  // Readiness, for a load balancer: 503 while the database does not answer, so that it routes elsewhere.
  api.get('/ready', async (_req, res) => {
    try {
      await deps.ready();
      res.json({ ok: true });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      res.status(503).set('Retry-After', '5').json({ error: `not ready: the database does not answer (${reason})` });
    }
  });
  // What the API answers holds captured credentials: never kept in a browser's or a proxy's cache.
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // A state change from another site's page: refuse it even when a cookie would let it through. Before the
  // session routes too, so that another site cannot sign its visitors out, nor spend their failed attempts.
  api.use((req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !access.isSameOrigin(req)) {
      throw new HttpError(403, 'cross-site requests are not accepted');
    }
    next();
  });
  api.use('/session', json, sessionRouter(access));
  api.use(async (req, _res, next) => {
    const refusal = await access.check(req);
    if (refusal) throw new HttpError(refusal.status, refusal.message);
    next();
  });
  // Bodies are read only after the origin and access checks, which answer first. A body sent as anything but JSON
  // would be silently ignored: say so instead.
  api.use(json);
  api.use((req, _res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      throw new HttpError(415, 'send the body as JSON, with Content-Type: application/json');
    }
    next();
  });
  api.use('/backup', backupRouter(deps.store));
  api.use('/bins', binsRouter(routeDeps));
  api.use('/bins/:binId/requests', requestsRouter(routeDeps));
  api.use('/bins/:binId', exportRouter(routeDeps));
  api.use('/bins/:binId', sendTestRouter(routeDeps));
  api.use('/bins/:binId/requests', replayRouter({ requests, replay: deps.replay ?? new ReplayService({ allow: config.replayAllow }) }));
  api.use(apiNotFound);
  app.use('/api', api);
  // The relay key is the credential, as the bin id is for capture: no token, and nothing but that bin.
  const relays = createRelayStreams({
    bins, requests, hub: deps.hub, metrics: deps.metrics, sendBufferLimit: deps.sendBufferLimit, heartbeatMs: deps.heartbeatMs,
  });
  app.use('/relay', relayRouter({ bins, requests, streams: relays }));
  // Prometheus: under the same access rules as the API (a scraper sends the Bearer token).
  app.get('/metrics', async (req, res) => {
    const refusal = await access.check(req);
    if (refusal) throw new HttpError(refusal.status, refusal.message);
    res.set({ 'Content-Type': deps.metrics.registry.contentType, 'Cache-Control': 'no-store' });
    res.send(await deps.metrics.render());
  });

  const viewerDir = deps.viewerDir ?? DEFAULT_VIEWER_DIR;
  app.use(express.static(viewerDir, { index: 'index.html', maxAge: 0 }));
  // The viewer's own routes (/bins/..., /builder) are client-side: answer them with its page.
  app.get(/.*/, (_req, res) => {
    const page = join(viewerDir, 'index.html');
    if (existsSync(page)) return void res.sendFile(page);
    res.status(503).type('text/plain').send('The viewer is not built: run `npm run build` (npm start does it for you).\n');
  });
  app.use(errorHandler);

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '';
    if (parseCaptureTarget(url) !== null) capture(req, res);
    else app(req, res);
  };
  return Object.assign(handle, { api, closeRelays: () => relays.close(), hurryCaptures: capture.hurry });
}
