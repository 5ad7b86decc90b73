import { and, count, desc, eq, isNotNull, ne } from 'drizzle-orm';
import { HTTPException } from 'hono/http-exception';
import type { Database } from '../db/client';
import { events, type Event, type TemplateRule } from '../db/schema';
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

/** Whether another event already has this address; slugs are unique across all organisers. */
export async function slugTaken(db: Database, slug: string, exceptEventId?: number): Promise<boolean> {
  const clash = await db.query.events.findFirst({
    where:
      exceptEventId === undefined ? eq(events.slug, slug) : and(eq(events.slug, slug), ne(events.id, exceptEventId)),
  });
  return Boolean(clash);
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
  const [event] = await db
    .insert(events)
    .values({ ...input, organiserId })
    .returning();
  return event!;
}

export const updateEvent = (db: Database, event: Event, input: EventInput) =>
  db.update(events).set(input).where(eq(events.id, event.id));

/** The template every record gets unless a rule picks another. */
export const setDefaultTemplate = (db: Database, event: Event, templateId: number) =>
  db.update(events).set({ templateId }).where(eq(events.id, event.id));

export const setTemplateRules = (db: Database, event: Event, rules: TemplateRule[]) =>
  db.update(events).set({ templateRules: rules }).where(eq(events.id, event.id));
