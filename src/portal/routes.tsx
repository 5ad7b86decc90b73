import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { limitSearches } from '../auth/clients';
import { certificateLinks, findPublicCertificate } from '../certificates/public';
import { certificateResults, MAX_QUERY_LENGTH, publicSearch, searchQuerySchema } from '../certificates/search';
import { followRenamedEvent } from '../events/addresses';
import { listPublishedEvents } from '../events/queries';
import { designFor } from '../render/adapt';
import { certificateNotFound, eventNotFound } from './errors';
import { portalLanguage, t, type PortalEnv } from './i18n';
import { CertificatePage, EventPage, HomePage, MessagePage, type Where } from './pages';
import { removal } from './removal';
import { certificateIdSchema } from '../certificates/rules';
import { linkOrigin } from '../paths';

/** The page's language, and its address for the language switcher. */
const where = (c: Context<PortalEnv>): Where => {
  const url = new URL(c.req.url);
  return { locale: c.var.locale, path: url.pathname + url.search };
};

/** The public portal: event list, search page and certificate page, all server-rendered, in the runner's language. */
export const portal = new Hono<PortalEnv>()
  .use(portalLanguage)
  // A renamed event's old address, and everything beneath it, redirects to its current one.
  .use('/events/:slug/*', followRenamedEvent)
  .route('/', removal)
  .get('/', async (c) => {
    const events = await listPublishedEvents(c.var.db);
    return c.html(<HomePage events={events} {...where(c)} />);
  })
  .get('/events/:slug', limitSearches, async (c) => {
    const slug = c.req.param('slug');
    const m = t(c.var.locale);
    const sent = c.req.query('q');
    const raw = sent ?? '';
    const query = searchQuerySchema.safeParse(raw);
    const searched = await publicSearch(c.var.db, slug, query.success ? query.data : undefined);
    if (!searched) throw eventNotFound(slug, c.var.locale);
    const { found } = searched;
    if (!query.success) {
      // The schema's messages are the API's, in English; the page says the same in the runner's language.
      const tooLong = query.error.issues.some((issue) => issue.code === 'too_big');
      const error = tooLong ? m.searchTooLong(MAX_QUERY_LENGTH) : m.searchControlCharacters;
      return c.html(
        <EventPage
          event={found.event}
          query={raw.slice(0, MAX_QUERY_LENGTH)}
          results={[]}
          error={error}
          {...where(c)}
        />,
        400,
      );
    }
    const origin = linkOrigin(c.env.PUBLIC_URL, c.req.url);
    const results = await certificateResults(c.var.db, origin, found, searched.records);
    return c.html(
      <EventPage
        event={found.event}
        query={query.data}
        results={results}
        total={searched.total}
        more={searched.more}
        searched={sent !== undefined}
        {...where(c)}
      />,
    );
  })
  .get('/events/:slug/certificates/:certificateId', async (c) => {
    const { slug, certificateId } = c.req.param();
    const certificate = certificateIdSchema.safeParse(certificateId).success
      ? await findPublicCertificate(c.var.db, certificateId)
      : undefined;
    if (!certificate || certificate.event.slug !== slug) throw certificateNotFound(c.var.locale);
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
        {...where(c)}
      />,
    );
  })
  // Not-found pages and refusals in the runner's language; anything else is the app's onError's to answer.
  .onError((err, c) => {
    if (!(err instanceof HTTPException) || err.status >= 500) throw err;
    const m = t(c.var.locale);
    // The search limit's refusal is worded in English for the API (auth/clients.ts).
    const message = err.status === 429 ? m.tooManySearches : err.message;
    return c.html(<MessagePage title={m.errorTitle(err.status)} message={message} {...where(c)} />, err.status);
  });
