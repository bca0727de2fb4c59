import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Config } from '../config';
import type { Hub } from '../live/hub';
import type { Store } from '../store';
import { SIGNING_PROVIDERS } from '../verify';
import { BIN_ID_PATTERN } from '../../shared/bin-id';
import { HttpError } from './errors';
import { captureBaseFor } from './peer';
import { toWireBin } from './wire';

export interface RouteDeps {
  config: Readonly<Config>;
  store: Store;
  hub: Hub;
  now: () => number;
}

const MAX_NAME = 200;
const MAX_SECRET = 4096;


function readName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > MAX_NAME) {
    throw new HttpError(400, `"name" must be a string of at most ${MAX_NAME} characters`);
  }
  return value.trim();
}

function readSecrets(value: unknown): Record<string, string | null> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, '"signingSecrets" must be an object of provider id → secret (null removes one)');
  }
  const known = SIGNING_PROVIDERS.map((p) => p.id);
  const secrets: Record<string, string | null> = {};
  for (const [provider, secret] of Object.entries(value)) {
    if (!known.includes(provider)) {
      throw new HttpError(400, `unknown signing provider ${JSON.stringify(provider)}; known: ${known.join(', ')}`);
    }
    if (secret !== null && (typeof secret !== 'string' || secret.length > MAX_SECRET)) {
      throw new HttpError(400, `the secret for ${provider} must be a string of at most ${MAX_SECRET} characters, or null`);
    }
    secrets[provider] = secret;
  }
  return secrets;
}

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A random, unguessable bin id: 128 bits as 22 base64url characters. */
export function randomBinId(): string {
  return randomBytes(16).toString('base64url');
}

/** `/api/bins` and `/api/bins/{binId}`. */
export function binsRouter({ config, store, hub, now }: RouteDeps): Router {
  const router = Router();
  const wire = (req: Request, id: string) => toWireBin(store.getBin(id), captureBaseFor(config, req));

  router.get('/', (req, res) => {
    const base = captureBaseFor(config, req);
    res.json({ bins: store.listBins().map((bin) => toWireBin(bin, base)) });
  });

  router.post('/', (req, res) => {
    const body = bodyOf(req);
    const id = body.id === undefined || body.id === '' ? randomBinId() : body.id;
    if (typeof id !== 'string' || !BIN_ID_PATTERN.test(id)) {
      throw new HttpError(400, 'invalid bin id: use 1–64 characters of A-Z a-z 0-9 _ -');
    }
    const name = readName(body.name) || id;
    store.createBin(id, name, now());
    const bin = wire(req, id);
    hub.broadcast({ type: 'bin', bin });
    res.status(201).json(bin);
  });

  router.get('/:binId', (req, res) => {
    res.json(wire(req, req.params.binId));
  });

  router.patch('/:binId', (req, res) => {
    const body = bodyOf(req);
    const { binId } = req.params;
    store.updateBin(binId, { name: readName(body.name) || undefined, signingSecrets: readSecrets(body.signingSecrets) });
    const bin = wire(req, binId);
    hub.broadcast({ type: 'bin', bin });
    res.json(bin);
  });

  router.delete('/:binId', (req, res) => {
    const { binId } = req.params;
    store.deleteBin(binId);
    hub.broadcast({ type: 'bin-deleted', binId });
    res.status(204).end();
  });

  return router;
}
