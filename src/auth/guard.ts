import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { OrganiserEnv } from '../env';
import { adminPaths } from '../paths';
import { currentSession } from './session';
import { organiserForToken } from './tokens';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Admin pages: anonymous requests go to sign-in; every state-changing request must carry the
 * session's CSRF token, as a `_csrf` form field or an `X-CSRF-Token` header.
 */
export const requireSignIn = createMiddleware<OrganiserEnv>(async (c, next) => {
  const session = await currentSession(c, c.var.db);
  if (!session) {
    if (!safeMethods.has(c.req.method)) throw new HTTPException(401, { message: 'Sign in first.' });
    return c.redirect(adminPaths.signIn(c.req.path));
  }
  if (!safeMethods.has(c.req.method)) {
    const header = c.req.header('X-CSRF-Token');
    const sent = header ?? (await c.req.parseBody())['_csrf'];
    if (sent !== session.csrfToken) {
      throw new HTTPException(403, { message: 'This form has expired. Reload the page and try again.' });
    }
  }
  c.set('organiser', session.organiser);
  c.set('csrfToken', session.csrfToken);
  await next();
});

/** Organiser API requests carry `Authorization: Bearer <token>`; anything else is a 401. */
export const requireToken = createMiddleware<OrganiserEnv>(async (c, next) => {
  const token = c.req.header('Authorization')?.match(/^Bearer\s+(\S+)$/)?.[1];
  const organiser = token ? await organiserForToken(c.var.db, token) : undefined;
  if (!organiser) {
    c.header('WWW-Authenticate', 'Bearer');
    throw new HTTPException(401, { message: 'Send a valid API token as "Authorization: Bearer <token>".' });
  }
  c.set('organiser', organiser);
  await next();
});
