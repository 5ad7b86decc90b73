import { Hono } from 'hono';
import { limitSearches } from '../auth/clients';
import { certificateLinks, findPublicCertificate } from '../certificates/public';
import { certificateResults, publicSearch, searchQuerySchema } from '../certificates/search';
import { followRenamedEvent } from '../events/addresses';
import { listPublishedEvents } from '../events/queries';
import type { AppEnv } from '../env';
import { designFor } from '../render/adapt';
import { certificateNotFound, eventNotFound } from './errors';
import { CertificatePage, EventPage, HomePage } from './pages';
import { removal } from './removal';
import { certificateIdSchema } from '../certificates/rules';
import { linkOrigin } from '../paths';

/** The public portal: event list, search page and certificate page, all server-rendered. */
export const portal = new Hono<AppEnv>()
  // A renamed event's old address, and everything beneath it, redirects to its current one.
  .use('/events/:slug/*', followRenamedEvent)
  .route('/', removal)
  .get('/', async (c) => {
    const events = await listPublishedEvents(c.var.db);
    return c.html(<HomePage events={events} />);
  })
  .get('/events/:slug', limitSearches, async (c) => {
    const slug = c.req.param('slug');
    const raw = c.req.query('q') ?? '';
    const query = searchQuerySchema.safeParse(raw);
    const searched = await publicSearch(c.var.db, slug, query.success ? query.data : undefined);
    if (!searched) throw eventNotFound(slug);
    const { found } = searched;
    if (!query.success) {
      const error = query.error.issues[0]?.message ?? 'Invalid search.';
      return c.html(<EventPage event={found.event} query={raw.slice(0, 200)} results={[]} error={error} />, 400);
    }
    const origin = linkOrigin(c.env.PUBLIC_URL, c.req.url);
    const results = await certificateResults(c.var.db, origin, found, searched.records);
    return c.html(<EventPage event={found.event} query={query.data} results={results} />);
  })
  .get('/events/:slug/certificates/:certificateId', async (c) => {
    const { slug, certificateId } = c.req.param();
    const certificate = certificateIdSchema.safeParse(certificateId).success
      ? await findPublicCertificate(c.var.db, certificateId)
      : undefined;
    if (!certificate || certificate.event.slug !== slug) throw certificateNotFound();
    const links = await certificateLinks(linkOrigin(c.env.PUBLIC_URL, c.req.url), certificate);
    const { layout } = certificate.template;
    return c.html(
      <CertificatePage
        event={certificate.event}
        record={certificate.record}
        links={links}
        size={designFor(layout, 'certificate').page}
        shareSize={designFor(layout, 'share').page}
        nonce={c.get('secureHeadersNonce')}
      />,
    );
  });
