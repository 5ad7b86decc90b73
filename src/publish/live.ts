import { and, count, eq } from 'drizzle-orm';
import { findEventTemplate } from '../certificates/templates';
import type { Database } from '../db/client';
import { events, publishRuns, records, type PublishRun } from '../db/schema';
import type { RenderJob } from '../env';
import { queueNextChunk } from './publish';

/**
 * Live certificates: while an event is published, an import that adds or changes visible records
 * queues their certificate and share card at once, as a run of its own (kind `live`) that takes
 * only the records the import wrote (`writtenAt`, records/import.ts). A finisher pushed by the
 * timing system finds theirs ready; a record the file left as it was is not written, so not queued.
 * Nothing is queued for an unpublished event or a hidden record.
 */

/**
 * A file that changes more records than this (a whole results file re-posted with recomputed ranks,
 * say) is left to the next publish, which the Publish tab asks for; meanwhile each certificate is
 * drawn when first opened. Rendering 26,410 certificates live made every search during the next
 * re-posts wait (p95 802 ms in `npm run bench`), while a race-day push adds a few finishers.
 */
export const LIVE_MAX_RECORDS = 1_000;
export async function queueLiveRenders(
  db: Database,
  queue: Queue<RenderJob>,
  eventId: number,
  writtenAt: Date,
): Promise<PublishRun | undefined> {
  const [[event], [written]] = await db.batch([
    db
      .select({ published: events.published, templateId: events.templateId })
      .from(events)
      .where(eq(events.id, eventId)),
    db
      .select({ n: count() })
      .from(records)
      .where(and(eq(records.eventId, eventId), eq(records.hidden, false), eq(records.updatedAt, writtenAt))),
  ]);
  if (!event?.published || event.templateId === null || !written?.n || written.n > LIVE_MAX_RECORDS) return undefined;
  const template = await findEventTemplate(db, eventId, event.templateId);
  const [run] = await db
    .insert(publishRuns)
    .values({
      eventId,
      kind: 'live',
      writtenAt,
      templateId: event.templateId,
      templateVersion: template?.version ?? 1,
      total: written.n,
      queuedAt: new Date(),
    })
    .returning();
  // Queued now rather than by a message to the consumer: the finisher's certificate starts at once.
  await queueNextChunk(db, queue, run!.id);
  return run;
}
