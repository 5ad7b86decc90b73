import { and, asc, desc, eq, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import { events, hostnames } from '../db/schema';

/**
 * A hostname an organiser points at the portal (a CNAME, see the README's custom hostnames): what
 * Cloudflare for SaaS accepts, lowercased, without a trailing dot. Not an address (IPs) nor a
 * single label (localhost): neither can carry a certificate of its own.
 */
export const hostnameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((name) => name.replace(/\.$/, ''))
  .pipe(
    z
      .string()
      .min(1, 'Enter a hostname, such as results.your-race.org.')
      .max(253, 'A hostname has at most 253 characters.')
      .regex(
        /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        'A hostname is names joined by dots, such as results.your-race.org: no https://, slashes, spaces or port.',
      ),
  );

/** The hostname form: the name, and whether it shows this event or all the organiser's events. */
export const hostnameInputSchema = z.object({
  hostname: hostnameSchema,
  shows: z.enum(['event', 'organiser'], { error: 'Choose what the hostname shows.' }),
});

/** What a configured hostname answers with: one event's portal, or (no event) the organiser's events. */
export interface Site {
  hostname: string;
  organiserId: number;
  event?: { id: number; slug: string };
}

// Every request on a hostname other than the portal's own asks which site it is: kept for a minute
// per isolate, so race-day traffic on an organiser's hostname costs no D1 read per request. Unknown
// hosts are kept too (as null), bounded by the cache's size.
const SITE_TTL_MS = 60_000;
const sites = new Map<string, { site: Site | null; until: number }>();
const MAX_REMEMBERED = 1000;

/** The site configured for this hostname, if any; a change reaches other isolates within a minute. */
export async function findSite(db: Database, hostname: string): Promise<Site | undefined> {
  const now = Date.now();
  const known = sites.get(hostname);
  if (known && known.until > now) return known.site ?? undefined;
  const [row] = await db
    .select({ hostname: hostnames.hostname, organiserId: hostnames.organiserId, id: events.id, slug: events.slug })
    .from(hostnames)
    .leftJoin(events, eq(events.id, hostnames.eventId))
    .where(eq(hostnames.hostname, hostname))
    .limit(1);
  const site: Site | null = row
    ? {
        hostname: row.hostname,
        organiserId: row.organiserId,
        ...(row.id !== null && row.slug !== null ? { event: { id: row.id, slug: row.slug } } : {}),
      }
    : null;
  if (sites.size >= MAX_REMEMBERED) sites.delete(sites.keys().next().value!);
  sites.set(hostname, { site, until: now + SITE_TTL_MS });
  return site ?? undefined;
}

/** The organiser's hostnames, with the event each shows (null: all their events). */
export const organiserHostnames = (db: Database, organiserId: number) =>
  db
    .select({ hostname: hostnames.hostname, eventId: hostnames.eventId, eventName: events.name })
    .from(hostnames)
    .leftJoin(events, eq(events.id, hostnames.eventId))
    .where(eq(hostnames.organiserId, organiserId))
    .orderBy(asc(hostnames.hostname));

/**
 * Points a hostname at one of the organiser's events (`eventId`) or at all of them (null). Taken
 * when another organiser has it; the organiser's own hostname moves, and the event's previous
 * one (an event has at most one) is let go.
 */
export async function claimHostname(
  db: Database,
  organiserId: number,
  hostname: string,
  eventId: number | null,
): Promise<'saved' | 'taken'> {
  const [held] = await db.select().from(hostnames).where(eq(hostnames.hostname, hostname));
  if (held && held.organiserId !== organiserId) return 'taken';
  const save = db
    .insert(hostnames)
    .values({ hostname, organiserId, eventId })
    .onConflictDoUpdate({ target: hostnames.hostname, set: { eventId } });
  await (eventId === null ? save : db.batch([db.delete(hostnames).where(eq(hostnames.eventId, eventId)), save]));
  forgetSites();
  return 'saved';
}

/** Removes one of the organiser's hostnames; someone else's is left alone. */
export async function releaseHostname(db: Database, organiserId: number, hostname: string): Promise<void> {
  await db.delete(hostnames).where(and(eq(hostnames.hostname, hostname), eq(hostnames.organiserId, organiserId)));
  forgetSites();
}

/** A change is seen at once in this isolate; others see it when their entry expires. */
const forgetSites = () => sites.clear();

/** The organiser's published events, newest first: the home page of their hostname. */
export const siteEvents = (db: Database, organiserId: number) =>
  db
    .select()
    .from(events)
    .where(and(eq(events.organiserId, organiserId), eq(events.published, true), isNotNull(events.templateId)))
    .orderBy(desc(events.date), events.name);
