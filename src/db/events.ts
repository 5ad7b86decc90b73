import { and, desc, eq } from 'drizzle-orm';
import type { Database } from './client';
import { events } from './schema';

/** A published event by slug, or undefined: unpublished events do not exist for the public. */
export async function findPublishedEvent(db: Database, slug: string) {
  return db.query.events.findFirst({ where: and(eq(events.slug, slug), eq(events.published, true)) });
}

export async function listPublishedEvents(db: Database) {
  return db.select().from(events).where(eq(events.published, true)).orderBy(desc(events.date), events.name);
}
