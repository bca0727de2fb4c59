import { Router, type Request } from 'express';
import type { Config } from '../config';
import type { BinService } from '../services/bins';
import { randomBinId } from '../services/bins';
import type { RequestService } from '../services/requests';
import { SIGNING_PROVIDERS } from '../verify';
import { BIN_ID_PATTERN } from '../../shared/bin-id';
import type { BinResponse } from '../../shared/types';
import { HttpError } from './errors';
import { captureBaseFor } from '../net/peer';
import { toWireBin } from '../wire';
import { parseBinResponse, ResponseSettingError } from '../capture/response';
import { newRelayKey } from '../store/rows';

export interface RouteDeps {
  config: Readonly<Config>;
  bins: BinService;
  requests: RequestService;
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

/** `"response"` of a PATCH: absent leaves it, null restores the default, else a setting checked field by field. */
function readResponse(body: Record<string, unknown>): BinResponse | null | undefined {
  if (!('response' in body)) return undefined;
  try {
    return parseBinResponse(body.response);
  } catch (err) {
    if (err instanceof ResponseSettingError) throw new HttpError(400, err.message);
    throw err;
  }
}

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** `/api/bins` and `/api/bins/{binId}`. */
export function binsRouter({ config, bins }: RouteDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const base = captureBaseFor(config, req);
    res.json({ bins: (await bins.list()).map((bin) => toWireBin(bin, base)) });
  });

  router.post('/', async (req, res) => {
    const body = bodyOf(req);
    const id = body.id === undefined ? randomBinId() : body.id;
    if (typeof id !== 'string' || !BIN_ID_PATTERN.test(id)) {
      throw new HttpError(400, 'invalid bin id: use 1–64 characters of A-Z a-z 0-9 _ -, or leave "id" out for a random one');
    }
    const name = readName(body.name) || id;
    res.status(201).json(toWireBin(await bins.create(id, name), captureBaseFor(config, req)));
  });

  router.get('/:binId', async (req, res) => {
    res.json(toWireBin(await bins.get(req.params.binId), captureBaseFor(config, req)));
  });

  router.patch('/:binId', async (req, res) => {
    const body = bodyOf(req);
    const changes = {
      name: readName(body.name) || undefined,
      signingSecrets: readSecrets(body.signingSecrets),
      response: readResponse(body),
    };
    res.json(toWireBin(await bins.update(req.params.binId, changes), captureBaseFor(config, req)));
  });

  router.post('/:binId/relay-key', async (req, res) => {
    res.json(toWireBin(await bins.update(req.params.binId, { relayKey: newRelayKey() }), captureBaseFor(config, req)));
  });

  router.delete('/:binId', async (req, res) => {
    await bins.delete(req.params.binId);
    res.status(204).end();
  });

  return router;
}
