import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { events } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { currentSession } from './session';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Admin pages: anonymous requests go to sign-in; every state-changing request must carry the
 * session's CSRF token, as a `_csrf` form field or an `X-CSRF-Token` header.
 */
export const requireSignIn = createMiddleware<OrganiserEnv>(async (c, next) => {
  const session = await currentSession(c, c.var.db);
  if (!session) {
    if (!safeMethods.has(c.req.method)) throw new HTTPException(401, { message: 'Sign in first.' });
    return c.redirect(`/admin/sign-in?next=${encodeURIComponent(c.req.path)}`);
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

/** The signed-in organiser's event from the `:eventId` param. Someone else's event is a 404, not a 403. */
export async function ownEvent(c: Context<OrganiserEnv>) {
  const id = Number(c.req.param('eventId'));
  const event = Number.isSafeInteger(id)
    ? await c.var.db.query.events.findFirst({
        where: and(eq(events.id, id), eq(events.organiserId, c.var.organiser.id)),
      })
    : undefined;
  if (!event) throw new HTTPException(404, { message: 'There is no such event among yours.' });
  return event;
}
