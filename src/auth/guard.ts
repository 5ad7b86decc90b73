import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { OrganiserEnv } from '../env';
import { adminPaths } from '../paths';
import { currentSession } from './session';
import { tokenHolder } from './tokens';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A form's fields, or 400 for a body that is no form at all (broken multipart, say); routes reuse the parse. */
export async function readableForm(c: Context) {
  try {
    return await c.req.parseBody();
  } catch {
    throw new HTTPException(400, { message: 'The form could not be read. Reload the page and try again.' });
  }
}

/**
 * What only an organiser sees (admin pages, exports, API answers, a new token) is kept by no
 * cache: not a shared one, not the browser's history after sign-out. A route may still set its own.
 */
const keepOutOfCaches = (c: Context) => c.header('Cache-Control', 'no-store');

/** For the sign-in page, which no guard stands in front of. */
export const noStore = createMiddleware(async (c, next) => {
  keepOutOfCaches(c);
  await next();
});

/**
 * Admin pages: anonymous requests go to sign-in; every state-changing request must carry the
 * session's CSRF token, as a `_csrf` form field or an `X-CSRF-Token` header.
 */
export const requireSignIn = createMiddleware<OrganiserEnv>(async (c, next) => {
  keepOutOfCaches(c);
  const session = await currentSession(c, c.var.db);
  if (!session) {
    if (!safeMethods.has(c.req.method)) throw new HTTPException(401, { message: 'Sign in first.' });
    return c.redirect(adminPaths.signIn(c.req.path));
  }
  if (!safeMethods.has(c.req.method)) {
    const header = c.req.header('X-CSRF-Token');
    const sent = header ?? (await readableForm(c))['_csrf'];
    if (sent !== session.csrfToken) {
      throw new HTTPException(403, { message: 'This form has expired. Reload the page and try again.' });
    }
  }
  c.set('organiser', session.organiser);
  c.set('csrfToken', session.csrfToken);
  await next();
});

/**
 * Organiser API requests carry `Authorization: Bearer <token>`; anything else is a 401. Sets
 * `c.var.apiToken`, whose `eventId` the ownership gate and `requireTokenForAllEvents` obey.
 */
export const requireToken = createMiddleware<OrganiserEnv>(async (c, next) => {
  keepOutOfCaches(c);
  const token = c.req.header('Authorization')?.match(/^Bearer\s+(\S+)$/)?.[1];
  const holder = token ? await tokenHolder(c.var.db, token) : undefined;
  if (holder === 'expired') {
    c.header('WWW-Authenticate', 'Bearer error="invalid_token", error_description="The token has expired"');
    throw new HTTPException(401, {
      message: 'This API token has expired. Create a new one in the admin under API tokens.',
    });
  }
  if (!holder) {
    c.header('WWW-Authenticate', 'Bearer');
    throw new HTTPException(401, { message: 'Send a valid API token as "Authorization: Bearer <token>".' });
  }
  c.set('organiser', holder.organiser);
  c.set('apiToken', holder.token);
  await next();
});

/**
 * Organiser API routes beyond one event (creating an event): a token made for one event gets
 * 403. Routes of an event refuse it other events in the ownership gate, as 404s.
 */
export const requireTokenForAllEvents = createMiddleware<OrganiserEnv>(async (c, next) => {
  if (c.var.apiToken?.eventId != null) {
    throw new HTTPException(403, {
      message: 'This API token is for one event only, so it cannot create events. Use a token for all your events.',
    });
  }
  await next();
});
