import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { limitSearches } from '../auth/clients';
import { certificateLinks, findPublicCertificate } from '../certificates/public';
import { followRenamedEvent } from '../events/addresses';
import { listPublishedEvents } from '../events/queries';
import { designFor } from '../render/adapt';
import { certificateNotFound } from './errors';
import { searchEvent } from './event-search';
import { portalLanguage, t, type PortalEnv } from './i18n';
import { CertificatePage, EventPage, HomePage, MessagePage, type Where } from './pages';
import { removal } from './removal';
import { look } from './look';
import { sites } from './sites';
import { activity } from './activity';
import { countActivity } from '../stats/counter';
import { deepLinkNotice, deepLinks } from './deep-links';
import { embed } from './embed';
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
  .route('/', look)
  .route('/', sites)
  .route('/', activity)
  .route('/', deepLinks)
  .route('/', embed)
  .get('/', async (c) => {
    const events = await listPublishedEvents(c.var.db);
    return c.html(<HomePage events={events} {...where(c)} />);
  })
  .get('/events/:slug', limitSearches, async (c) => {
    const { event, sent, refused, answered } = await searchEvent(c, c.req.param('slug'));
    if (refused) return c.html(<EventPage event={event} results={[]} {...refused} {...where(c)} />, 400);
    return c.html(
      <EventPage event={event} {...answered} searched={sent !== undefined} error={deepLinkNotice(c)} {...where(c)} />,
    );
  })
  .get('/events/:slug/certificates/:certificateId', async (c) => {
    const { slug, certificateId } = c.req.param();
    const certificate = certificateIdSchema.safeParse(certificateId).success
      ? await findPublicCertificate(c.var.db, certificateId)
      : undefined;
    if (!certificate || certificate.event.slug !== slug) throw certificateNotFound(c.var.locale);
    countActivity(c, certificate.event.id, { did: 'view' });
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
