import { and, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, publishRuns, records, type Event, type PublishRun } from '../db/schema';
import type { RenderJob } from '../env';

// Queue.sendBatch takes at most 100 messages per call.
const SEND_BATCH = 100;

/**
 * Makes the event public and queues one render job per visible record, so every certificate and
 * share card is in R2 before participants ask. Publishing again refreshes changed certificates:
 * unchanged ones are already stored under the same content hash and cost nothing.
 */
export async function publishEvent(db: Database, queue: Queue<RenderJob>, event: Event): Promise<PublishRun> {
  if (event.templateId === null) throw new Error('An event needs a template before it can be published.');
  const template = await db.query.templates.findFirst({ where: (t, { eq }) => eq(t.id, event.templateId!) });
  const visible = await db
    .select({ certificateId: records.certificateId })
    .from(records)
    .where(and(eq(records.eventId, event.id), eq(records.hidden, false)));
  const [[run]] = await db.batch([
    db
      .insert(publishRuns)
      .values({
        eventId: event.id,
        templateId: event.templateId,
        templateVersion: template?.version ?? 1,
        total: visible.length,
      })
      .returning(),
    db.update(events).set({ published: true, publishedAt: new Date() }).where(eq(events.id, event.id)),
  ]);
  for (let i = 0; i < visible.length; i += SEND_BATCH) {
    await queue.sendBatch(
      visible.slice(i, i + SEND_BATCH).map(({ certificateId }) => ({ body: { runId: run!.id, certificateId } })),
    );
  }
  return run!;
}

export async function unpublishEvent(db: Database, event: Event): Promise<void> {
  await db.update(events).set({ published: false }).where(eq(events.id, event.id));
}

export async function latestPublishRun(db: Database, eventId: number) {
  return db.query.publishRuns.findFirst({ where: eq(publishRuns.eventId, eventId), orderBy: desc(publishRuns.id) });
}

export interface PublishChanges {
  /** Records edited or imported since the last publish. */
  changedRecords: number;
  templateChanged: boolean;
}

/** What changed since the last publish, so the organiser knows whether to publish again. */
export async function changesSinceLastPublish(
  db: Database,
  event: Event,
  run: PublishRun | undefined,
): Promise<PublishChanges | undefined> {
  if (!run) return undefined;
  const [changed] = await db
    .select({ n: count() })
    .from(records)
    .where(and(eq(records.eventId, event.id), gt(records.updatedAt, run.createdAt)));
  const template =
    event.templateId === null
      ? undefined
      : await db.query.templates.findFirst({ where: (t, { eq }) => eq(t.id, event.templateId!) });
  return {
    changedRecords: changed!.n,
    templateChanged: event.templateId !== run.templateId || template?.version !== run.templateVersion,
  };
}

/** Adds a finished batch of jobs to its run's counters in one statement. */
export async function countRenderResults(db: Database, runId: number, done: number, failed: number): Promise<void> {
  await db
    .update(publishRuns)
    .set({ done: sql`${publishRuns.done} + ${done}`, failed: sql`${publishRuns.failed} + ${failed}` })
    .where(eq(publishRuns.id, runId));
}

export const publishFinished = (run: PublishRun) => run.done + run.failed >= run.total;

/** Progress as JSON for the live bar; also answers the organiser API's GET publish. */
export const publishProgress = (run: PublishRun | undefined, published: boolean) => ({
  published,
  run: run
    ? {
        id: run.id,
        total: run.total,
        done: run.done,
        failed: run.failed,
        finished: publishFinished(run),
        startedAt: run.createdAt.toISOString(),
      }
    : null,
});
