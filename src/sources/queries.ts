import { and, asc, count, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { records, sources, type Event, type Source } from '../db/schema';
import { removeRecords } from '../records/removal';
import type { SourceInput } from './rules';

export const listEventSources = (db: Database, eventId: number) =>
  db.select().from(sources).where(eq(sources.eventId, eventId)).orderBy(asc(sources.id));

/** A source of this event, or undefined: another event's source id finds nothing. */
export const findEventSource = (db: Database, eventId: number, sourceId: number) =>
  db.query.sources.findFirst({ where: and(eq(sources.eventId, eventId), eq(sources.id, sourceId)) });

export async function addSource(db: Database, eventId: number, input: SourceInput): Promise<Source> {
  const [source] = await db
    .insert(sources)
    .values({ eventId, ...input })
    .returning();
  return source!;
}

export async function updateSource(db: Database, source: Source, input: SourceInput & { removeMissing: boolean }) {
  await db.update(sources).set(input).where(eq(sources.id, source.id));
}

/** How many of the event's records came from this source. */
export async function sourceRecordCount(db: Database, source: Source): Promise<number> {
  const [fed] = await db.select({ n: count() }).from(records).where(eq(records.sourceId, source.id));
  return fed!.n;
}

/** Removes a source; its records are kept with no source, or removed (restorable), as the organiser chose. */
export async function removeSource(db: Database, source: Source, { deleteRecords }: { deleteRecords: boolean }) {
  if (deleteRecords) {
    const fed = await db.select({ id: records.id }).from(records).where(eq(records.sourceId, source.id));
    await removeRecords(
      db,
      source.eventId,
      fed.map((r) => r.id),
      'source',
    );
  }
  // Kept records outlive their source: the foreign key sets their source to null.
  await db.delete(sources).where(eq(sources.id, source.id));
}

/**
 * THE rule for which source a pushed file lands in, for admin uploads and API imports alike: the
 * source the organiser chose, else the event's first upload source, else a new upload source. A
 * URL source is never chosen by default: its saved mapping is for the file at its address.
 */
export async function importSourceFor(
  db: Database,
  event: Event,
  choice: { sourceId?: number; newName: string },
): Promise<Source> {
  const chosen = choice.sourceId === undefined ? undefined : await findEventSource(db, event.id, choice.sourceId);
  if (chosen) return chosen;
  const upload = await db.query.sources.findFirst({
    where: and(eq(sources.eventId, event.id), eq(sources.kind, 'upload')),
    orderBy: asc(sources.id),
  });
  return upload ?? addSource(db, event.id, { kind: 'upload', name: choice.newName });
}
