import { Hono } from 'hono';
import { raw } from 'hono/html';
import { findPublicEvent } from '../certificates/public';
import type { Event } from '../db/schema';
import { eventImageFile } from '../events/branding';
import { portalPaths } from '../paths';
import lookCss from '../ui/look.css';
import type { PortalEnv } from './i18n';

type Look = Pick<Event, 'slug' | 'name' | 'accentColour' | 'logoHash' | 'coverHash'>;

/**
 * The event's accent in the page's `<head>`, after the portal's styles so it wins. Safe inline:
 * the colour was checked to be `#rrggbb` when saved (events/branding.ts).
 */
export function EventStyle({ event }: { event: Look }) {
  const accent = event.accentColour ? `:root{--accent:${event.accentColour}}` : '';
  const images = event.logoHash || event.coverHash ? lookCss : '';
  return accent || images ? <style>{raw(accent + images)}</style> : null;
}

/**
 * The event's cover across the top (decoration) and its logo (named by the event), where it has
 * them. A certificate page shows the logo only: its certificate comes first on a phone's screen.
 */
export function EventBanner({ event, cover = true }: { event: Look; cover?: boolean }) {
  return (
    <>
      {cover && event.coverHash && (
        <img class="event-cover" src={portalPaths.eventImage(event.slug, event.coverHash)} alt="" />
      )}
      {event.logoHash && (
        <img class="event-logo" src={portalPaths.eventImage(event.slug, event.logoHash)} alt={event.name} />
      )}
    </>
  );
}

/** A published event's logo and cover. Content-addressed, so cacheable for good. */
export const look = new Hono<PortalEnv>().get('/events/:slug/look/:hash{[0-9a-f]{32}}', async (c) => {
  const { slug, hash } = c.req.param();
  const found = await findPublicEvent(c.var.db, slug);
  const file = found && (await eventImageFile(c.env.FILES, found.event, hash));
  if (!file) return c.notFound();
  const headers = new Headers({ 'Cache-Control': 'public, max-age=31536000, immutable' });
  file.writeHttpMetadata(headers);
  return c.body(file.body, 200, Object.fromEntries(headers));
});
