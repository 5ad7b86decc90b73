import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { publishRuns, type Event, type PublishRun } from '../db/schema';
import { countPublishPlaceholders, latestPublishRun, publishFinished, publishStalled } from './publish';

export interface LiveProgress {
  /** When the last import that changed visible records reached the published event; null before any. */
  updatedAt: string | null;
  /** How many certificates that import queued. */
  certificates: number;
  /** Certificates queued by imports since the last publish and not ready yet. */
  backlog: number;
  /** Some of them have not moved for two minutes: publishing again prepares every certificate. */
  stalled: boolean;
}

/**
 * Where a published event's live renders stand (live.ts). A publish prepares every certificate,
 * so only the live runs after the last one make up the backlog.
 */
export async function liveProgress(
  db: Database,
  eventId: number,
  since: PublishRun | undefined,
): Promise<LiveProgress> {
  const live = and(eq(publishRuns.eventId, eventId), eq(publishRuns.kind, 'live'));
  const [[last], open] = await db.batch([
    db.select().from(publishRuns).where(live).orderBy(desc(publishRuns.id)).limit(1),
    db
      .select()
      .from(publishRuns)
      .where(
        and(
          live,
          gt(publishRuns.id, since?.id ?? 0),
          lt(sql`${publishRuns.done} + ${publishRuns.failed}`, publishRuns.total),
        ),
      ),
  ]);
  return {
    updatedAt: last?.createdAt.toISOString() ?? null,
    certificates: last?.total ?? 0,
    backlog: open.reduce((sum, run) => sum + run.total - run.done - run.failed, 0),
    stalled: open.some((run) => publishStalled(run)),
  };
}

/**
 * Progress as JSON for the Publish tab's bar; also answers the organiser API's GET publish.
 * `run` is the last publish: `placeholders` counts certificates drawn with a box for characters no
 * font has (done, but worth a look). `live` is null unless the event is published.
 */
export async function publishProgress(db: Database, event: Pick<Event, 'id' | 'published'>) {
  const run = await latestPublishRun(db, event.id);
  return {
    published: event.published,
    live: event.published ? await liveProgress(db, event.id, run) : null,
    run: run
      ? {
          id: run.id,
          total: run.total,
          queued: run.queued,
          done: run.done,
          failed: run.failed,
          placeholders: await countPublishPlaceholders(db, run.id),
          finished: publishFinished(run),
          stalled: publishStalled(run),
          startedAt: run.createdAt.toISOString(),
        }
      : null,
  };
}
