import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { EventEnv } from '../env';
import { currentSlugRedirect } from '../events/addresses';
import { findOrganiserEvent, findOrganiserEventBySlug, renamedEvent } from '../events/queries';

/**
 * The gate in front of every admin page of an event (`/admin/events/:eventId/*`): it sets
 * `c.var.event` to the signed-in organiser's event. Someone else's event is a 404, not a 403.
 */
export const ownEventById = createMiddleware<EventEnv>(async (c, next) => {
  const id = Number(c.req.param('eventId'));
  const event = Number.isSafeInteger(id) ? await findOrganiserEvent(c.var.db, c.var.organiser.id, id) : undefined;
  if (!event) throw new HTTPException(404, { message: 'There is no such event among yours.' });
  c.set('event', event);
  await next();
});

/**
 * The same gate for the organiser API (`/api/v1/events/:slug/*`), by the event's address. An
 * address one of the organiser's events had before it was renamed redirects to its current one.
 * A token made for one event finds no other: the organiser's other events are 404s to it too.
 */
export const ownEventBySlug = createMiddleware<EventEnv>(async (c, next) => {
  const slug = c.req.param('slug') ?? '';
  const { db, organiser, apiToken } = c.var;
  const tokenMay = (eventId: number | undefined) => apiToken?.eventId == null || apiToken.eventId === eventId;
  const event = await findOrganiserEventBySlug(db, organiser.id, slug);
  if (!event) {
    const renamed = await renamedEvent(db, slug);
    const moved =
      renamed?.organiserId === organiser.id &&
      (apiToken?.eventId == null || tokenMay((await findOrganiserEventBySlug(db, organiser.id, renamed.slug))?.id)) &&
      currentSlugRedirect(c, slug, renamed.slug);
    if (moved) return c.redirect(moved.location, moved.status);
  }
  if (!event || !tokenMay(event.id)) throw new HTTPException(404, { message: `You have no event "${slug}".` });
  c.set('event', event);
  await next();
});
