import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { limitSearches } from '../auth/clients';
import { certificateResults, publicSearch, searchQuerySchema } from '../certificates/search';
import { countActivity } from '../stats/counter';
import type { AppEnv } from '../env';
import { followRenamedEvent } from '../events/addresses';
import { linkOrigin } from '../paths';
import { openApiDocument } from './openapi';
import { ApiReference } from './reference';

/** The public JSON API. Errors are `{ error }` with a fitting status, shaped by the app's onError. */
export const api = new Hono<AppEnv>()
  // Only the search route: a preflight anywhere else under /v1/events would open the organiser API to every site.
  .use('/v1/events/:slug/search', cors({ origin: '*', allowMethods: ['GET'] }))
  // A renamed event's old address redirects to its current one.
  .use('/v1/events/:slug/search', followRenamedEvent)
  .get('/v1/events/:slug/search', limitSearches, async (c) => {
    const slug = c.req.param('slug');
    const query = searchQuerySchema.safeParse(c.req.query('q') ?? '');
    const searched = await publicSearch(c.var.db, slug, query.success ? query.data : undefined);
    if (!searched) throw new HTTPException(404, { message: `No published event "${slug}".` });
    if (!query.success) throw new HTTPException(400, { message: query.error.issues[0]?.message ?? 'Invalid query.' });
    if (!query.data) throw new HTTPException(400, { message: 'Add a bib number or name as ?q=.' });
    countActivity(c, searched.found.event.id, { did: 'search', query: query.data, found: searched.records.length > 0 });
    const origin = linkOrigin(c.env.PUBLIC_URL, c.req.url);
    const results = await certificateResults(c.var.db, origin, searched.found, searched.records);
    return c.json({ results, total: searched.total, more: searched.more });
  })
  // The API described (OpenAPI 3.1, made from the zod schemas the routes validate with), and the
  // same as a page to read: public, as the README is.
  .get('/v1/openapi.json', (c) =>
    c.json(openApiDocument(linkOrigin(c.env.PUBLIC_URL, c.req.url)), 200, { 'Cache-Control': 'public, max-age=300' }),
  )
  .get('/docs', (c) =>
    c.html(ApiReference({ document: openApiDocument(linkOrigin(c.env.PUBLIC_URL, c.req.url)) }), 200, {
      'Cache-Control': 'public, max-age=300',
    }),
  );
