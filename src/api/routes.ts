import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { limitSearches } from '../auth/clients';
import { findPublicEvent } from '../certificates/public';
import { searchCertificates, searchQuerySchema } from '../certificates/search';
import type { AppEnv } from '../env';
import { slugSchema } from '../events/rules';
import { linkOrigin } from '../paths';

/** The public JSON API. Errors are `{ error }` with a fitting status, shaped by the app's onError. */
export const api = new Hono<AppEnv>()
  // Only the search route: a preflight anywhere else under /v1/events would open the organiser API to every site.
  .use('/v1/events/:slug/search', cors({ origin: '*', allowMethods: ['GET'] }))
  .get('/v1/events/:slug/search', limitSearches, async (c) => {
    const slug = c.req.param('slug');
    const found = slugSchema.safeParse(slug).success ? await findPublicEvent(c.var.db, slug) : undefined;
    if (!found) throw new HTTPException(404, { message: `No published event "${slug}".` });
    const query = searchQuerySchema.safeParse(c.req.query('q') ?? '');
    if (!query.success) throw new HTTPException(400, { message: query.error.issues[0]?.message ?? 'Invalid query.' });
    if (!query.data) throw new HTTPException(400, { message: 'Add a bib number or name as ?q=.' });
    const results = await searchCertificates(
      c.var.db,
      linkOrigin(c.env.PUBLIC_URL, c.req.url),
      found,
      query.data,
      c.env.PUBLIC_URL,
    );
    return c.json({ results });
  });
