import { Router } from 'express';
import type { Access } from '../access';
import { HttpError } from './errors';

/** `/api/session`: sign in with the token (sets the HttpOnly session cookie), sign out, and ask the state. */
export function sessionRouter(access: Access): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    // The same check as every other call, so that a wrong Bearer token sent here counts as a failed attempt
    // too: otherwise this route would be an unlimited oracle for guessing the token.
    const refusal = await access.check(req);
    if (refusal?.status === 429) throw new HttpError(refusal.status, refusal.message);
    res.json({ authRequired: access.required, authenticated: refusal === null });
  });

  router.post('/', async (req, res) => {
    const token: unknown = (req.body as { token?: unknown } | undefined)?.token;
    const result = await access.signIn(req, token);
    if ('status' in result) throw new HttpError(result.status, result.message);
    res.setHeader('Set-Cookie', access.cookieHeader(req, result.cookie));
    res.status(204).end();
  });

  router.delete('/', async (req, res) => {
    await access.signOut(req);
    res.setHeader('Set-Cookie', access.cookieHeader(req, null));
    res.status(204).end();
  });

  return router;
}
