import { and, count, desc, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import { HTTPException } from 'hono/http-exception';
import type { Database } from '../db/client';
import { events, formerSlugs, type Event, type TemplateRule } from '../db/schema';
import type { EventInput } from './rules';

/** Events a participant can open: published, with a certificate template. Newest first. */
export async function listPublishedEvents(db: Database) {
  return db
    .select()
    .from(events)
    .where(and(eq(events.published, true), isNotNull(events.templateId)))
    .orderBy(desc(events.date), events.name);
}

/** An organiser's own events, newest first. */
export const listOrganiserEvents = (db: Database, organiserId: number) =>
  db.select().from(events).where(eq(events.organiserId, organiserId)).orderBy(desc(events.date), desc(events.id));

/** One of the organiser's events by id, or undefined when it is someone else's or not there. */
export const findOrganiserEvent = (db: Database, organiserId: number, eventId: number) =>
  db.query.events.findFirst({ where: and(eq(events.id, eventId), eq(events.organiserId, organiserId)) });

/** One of the organiser's events by its address. */
export const findOrganiserEventBySlug = (db: Database, organiserId: number, slug: string) =>
  db.query.events.findFirst({ where: and(eq(events.slug, slug), eq(events.organiserId, organiserId)) });

/**
 * Whether an organiser may give one of their events this address. Taken: another event has it
 * now (addresses are unique across organisers). Reserved: another organiser's event had it before
 * and it still redirects there. An organiser's own former addresses are free to use again.
 */
export async function slugClaim(
  db: Database,
  organiserId: number,
  slug: string,
  exceptEventId?: number,
): Promise<'free' | 'taken' | 'reserved'> {
  const [current, former] = await db.batch([
    db
      .select({ id: events.id })
      .from(events)
      .where(
        exceptEventId === undefined ? eq(events.slug, slug) : and(eq(events.slug, slug), ne(events.id, exceptEventId)),
      )
      .limit(1),
    db
      .select({ organiserId: events.organiserId })
      .from(formerSlugs)
      .innerJoin(events, eq(events.id, formerSlugs.eventId))
      .where(eq(formerSlugs.slug, slug))
      .limit(1),
  ]);
  if (current.length > 0) return 'taken';
  return former.length > 0 && former[0]!.organiserId !== organiserId ? 'reserved' : 'free';
}

/** The organiser's own former address, given to an event again: it stops redirecting to the event that had it. */
const releaseFormerSlug = (db: Database, organiserId: number, slug: string) =>
  db
    .delete(formerSlugs)
    .where(
      and(
        eq(formerSlugs.slug, slug),
        inArray(
          formerSlugs.eventId,
          db.select({ id: events.id }).from(events).where(eq(events.organiserId, organiserId)),
        ),
      ),
    );

/** The addresses an event had before, newest first: each redirects to its current one. */
export const formerSlugsOf = (db: Database, eventId: number) =>
  db
    .select({ slug: formerSlugs.slug })
    .from(formerSlugs)
    .where(eq(formerSlugs.eventId, eventId))
    .orderBy(desc(formerSlugs.createdAt), formerSlugs.slug)
    .then((rows) => rows.map((r) => r.slug));

/** The event that had this address before it was renamed, with what a redirect needs to know. */
export async function renamedEvent(db: Database, formerSlug: string) {
  const [event] = await db
    .select({ slug: events.slug, organiserId: events.organiserId, published: events.published })
    .from(formerSlugs)
    .innerJoin(events, eq(events.id, formerSlugs.eventId))
    .where(eq(formerSlugs.slug, formerSlug))
    .limit(1);
  return event;
}

/** Events one organiser may hold: plenty for a timing company, few enough that no one fills D1. */
export const MAX_EVENTS_PER_ORGANISER = 200;

/** Adds an event, refused (403) when the organiser already has MAX_EVENTS_PER_ORGANISER. */
export async function createEvent(db: Database, organiserId: number, input: EventInput): Promise<Event> {
  const [held] = await db.select({ n: count() }).from(events).where(eq(events.organiserId, organiserId));
  if (held!.n >= MAX_EVENTS_PER_ORGANISER) {
    throw new HTTPException(403, {
      message: `You have ${MAX_EVENTS_PER_ORGANISER} events, the most one organiser can have. Delete one you no longer need first.`,
    });
  }
  const [, [event]] = await db.batch([
    releaseFormerSlug(db, organiserId, input.slug),
    db
      .insert(events)
      .values({ ...input, organiserId })
      .returning(),
  ]);
  return event!;
}

/**
 * Changes an event's fields. A new address keeps the old one as a former address, which redirects
 * here and stays reserved for the organiser; taking back a former address of their own releases it.
 */
export async function updateEvent(db: Database, event: Event, input: EventInput) {
  const update = db.update(events).set(input).where(eq(events.id, event.id));
  if (input.slug === event.slug) {
    await update;
    return;
  }
  const { organiserId } = event;
  await db.batch([
    organiserId === null
      ? db.delete(formerSlugs).where(and(eq(formerSlugs.slug, input.slug), eq(formerSlugs.eventId, event.id)))
      : releaseFormerSlug(db, organiserId, input.slug),
    update,
    db
      .insert(formerSlugs)
      .values({ slug: event.slug, eventId: event.id })
      .onConflictDoUpdate({ target: formerSlugs.slug, set: { eventId: event.id, createdAt: new Date() } }),
  ]);
}

/** The template every record gets unless a rule picks another. */
export const setDefaultTemplate = (db: Database, event: Event, templateId: number) =>
  db.update(events).set({ templateId }).where(eq(events.id, event.id));

export const setTemplateRules = (db: Database, event: Event, rules: TemplateRule[]) =>
  db.update(events).set({ templateRules: rules }).where(eq(events.id, event.id));

/** The default template and the rules before it, changed together. */
export const setTemplateChoice = (
  db: Database,
  event: Event,
  { defaultTemplateId, rules }: { defaultTemplateId: number; rules: TemplateRule[] },
) => db.update(events).set({ templateId: defaultTemplateId, templateRules: rules }).where(eq(events.id, event.id));
