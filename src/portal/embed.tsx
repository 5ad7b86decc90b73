import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { raw } from 'hono/html';
import { limitSearches } from '../auth/clients';
import { MAX_QUERY_LENGTH, type SearchResult } from '../certificates/search';
import type { Event } from '../db/schema';
import { portalPaths } from '../paths';
import css from '../ui/styles.css';
import embedCss from '../ui/embed.css';
import { searchEvent } from './event-search';
import { t, type Locale, type PortalEnv } from './i18n';
import { SearchResults } from './pages';

const embedPath = /^\/events\/[^/]+\/embed$/;

/**
 * Lets any site frame the search box, and only it: every other page keeps the app's secure
 * headers, which deny framing. Runs outside those headers (mounted before them in index.tsx),
 * so it amends what they set.
 */
export const letSitesFrameEmbed = createMiddleware(async (c, next) => {
  await next();
  if (!embedPath.test(c.req.path)) return;
  c.res.headers.delete('X-Frame-Options');
  const policy = c.res.headers.get('Content-Security-Policy');
  if (policy)
    c.res.headers.set('Content-Security-Policy', policy.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
});

interface EmbedPageProps {
  event: Event;
  query: string;
  results: SearchResult[];
  total?: number;
  more?: boolean;
  error?: string;
  locale: Locale;
}

/**
 * The search form and its results, without the portal's header. Results open the certificate
 * page in a new tab: the organiser's site stays where it was, and the certificate page, which
 * refuses framing, opens at its own address.
 */
function EmbedPage({ event, query, results, total, more, error, locale }: EmbedPageProps) {
  const m = t(locale);
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{m.eventTitle(event.name)}</title>
        <link rel="icon" href="data:," />
        <style>{raw(css)}</style>
        <style>{raw(embedCss)}</style>
      </head>
      <body>
        <main class="embed">
          {/* biome-ignore lint/a11y/useSemanticElements: a form with role="search" is the landmark every browser knows. */}
          <form class="search" method="get" action={portalPaths.embed(event.slug)} role="search">
            <label for="q" hidden>
              {m.searchLabel}
            </label>
            <input
              id="q"
              name="q"
              type="search"
              value={query}
              placeholder={m.searchLabel}
              autocomplete="off"
              maxlength={MAX_QUERY_LENGTH}
            />
            {/* A third-party frame keeps no cookie: the language goes along with each search. */}
            <input type="hidden" name="lang" value={locale} />
            <button type="submit">{m.search}</button>
          </form>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {query && !error && <SearchResults query={query} results={results} total={total} more={more} m={m} newTab />}
        </main>
      </body>
    </html>
  );
}

/** The search box an organiser frames on their own site: `<iframe src="…/events/:slug/embed">`. */
export const embed = new Hono<PortalEnv>().get('/events/:slug/embed', limitSearches, async (c) => {
  const { locale } = c.var;
  const { event, refused, answered } = await searchEvent(c, c.req.param('slug'));
  if (refused) return c.html(<EmbedPage event={event} results={[]} {...refused} locale={locale} />, 400);
  return c.html(<EmbedPage event={event} {...answered} locale={locale} />);
});
