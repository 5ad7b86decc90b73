import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Database } from './client';
import { events } from './schema';

/** Events a participant can open: published, with a certificate template. Newest first. */
export async function listPublishedEvents(db: Database) {
  return db
    .select()
    .from(events)
    .where(and(eq(events.published, true), isNotNull(events.templateId)))
    .orderBy(desc(events.date), events.name);
}
