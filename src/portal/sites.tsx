import { Hono } from 'hono';
import type { Database } from '../db/client';
import type { Env } from '../env';
import { findSite, siteEvents } from '../events/hostnames';
import { LOOPBACK_HOSTS, portalPaths, siteOrigin } from '../paths';
import type { PortalEnv } from './i18n';
import { HomePage } from './pages';

/** PUBLIC_URL's hostname; a malformed one is the app's to refuse (paths.ts), with its own message. */
function hostnameOf(publicUrl: string): string | undefined {
  try {
    return new URL(publicUrl).hostname;
  } catch {
    return undefined;
  }
}

/**
 * A request on a hostname an organiser configured (src/events/hostnames.ts), as the app should
 * see it: its links on that hostname (PUBLIC_URL is the site's origin for this request), and `/`
 * the event's search page or the organiser's list of events. Any other host goes on unchanged:
 * a Host header no organiser configured never decides where links point.
 */
export async function onSite(request: Request, env: Env, db: Database): Promise<[Request, Env] | Response> {
  const url = new URL(request.url);
  const portalHost = hostnameOf(env.PUBLIC_URL);
  if (url.hostname === portalHost || LOOPBACK_HOSTS.has(url.hostname)) return [request, env];
  const site = await findSite(db, url.hostname).catch((error: unknown) => {
    // Unanswered, the host is served as any unknown one: the portal, its links on PUBLIC_URL.
    console.error('looking up a hostname failed', error);
    return undefined;
  });
  if (!site) return [request, env];
  // Organisers sign in on the portal's own address only: a session cookie, and the password typed
  // to get it, never belong to a hostname whose DNS someone else controls.
  if (url.pathname === '/admin' || url.pathname.startsWith('/admin/')) {
    return portalHost
      ? Response.redirect(new URL(url.pathname + url.search, env.PUBLIC_URL).href, 308)
      : new Response('Not found', { status: 404 });
  }
  if (url.pathname === '/') {
    url.pathname = site.event ? portalPaths.event(site.event.slug) : portalPaths.site(site.hostname);
    request = new Request(url, request);
  }
  return [request, { ...env, PUBLIC_URL: siteOrigin(site.hostname) }];
}

/**
 * An organiser hostname's home page: their published events, no one else's. Only on that
 * hostname, so that no other address makes the app look up hostnames at will.
 */
export const sites = new Hono<PortalEnv>().get('/sites/:hostname', async (c) => {
  const hostname = c.req.param('hostname');
  if (new URL(c.req.url).hostname !== hostname) return c.notFound();
  const site = await findSite(c.var.db, hostname);
  if (!site || site.event) return c.notFound();
  const events = await siteEvents(c.var.db, site.organiserId);
  return c.html(<HomePage events={events} locale={c.var.locale} path="/" />);
});
