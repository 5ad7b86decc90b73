import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { atCurrentSlug } from '../paths';
import { renamedEvent } from './queries';
import { slugSchema } from './rules';

/**
 * A permanent redirect from a renamed event's old address to the same place at its current one:
 * 301 for GET and HEAD, which every crawler and unfurler knows, 308 for the rest, so a client
 * sends the same method and body again.
 */
export function currentSlugRedirect(c: Context, formerSlug: string, slug: string) {
  const location = atCurrentSlug(new URL(c.req.url), formerSlug, slug);
  if (!location) return undefined;
  return { location, status: c.req.method === 'GET' || c.req.method === 'HEAD' ? (301 as const) : (308 as const) };
}

/**
 * For public routes under `/events/:slug` (and the public search API): what would be a 404 at an
 * address a published event had before it was renamed is a redirect to that event's current
 * address. Nothing is asked of D1 for addresses that answer; an unpublished event's new address
 * is not told.
 */
export const followRenamedEvent = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.status !== 404) return;
  const slug = c.req.param('slug');
  if (!slug || !slugSchema.safeParse(slug).success) return;
  const event = await renamedEvent(c.var.db, slug);
  if (!event?.published) return;
  const moved = currentSlugRedirect(c, slug, event.slug);
  if (!moved) return;
  // Replacing the answer keeps its headers (CORS on the search API), but not its body. Cached for
  // an hour only: the organiser may give the old address to another of their events.
  c.res = new Response(null, {
    status: moved.status,
    headers: { Location: moved.location, 'Cache-Control': 'public, max-age=3600' },
  });
});
