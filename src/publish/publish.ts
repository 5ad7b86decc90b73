import { and, asc, count, countDistinct, desc, eq, gt, gte, isNotNull, notInArray, sql } from 'drizzle-orm';
import { findEventTemplate } from '../certificates/templates';
import type { Database } from '../db/client';
import {
  events,
  publishFailures,
  publishRuns,
  records,
  type Event,
  type PublishNoteKind,
  type PublishRun,
} from '../db/schema';
import type { RenderJob } from '../env';
import { finishImports } from '../records/import';

// Queue.sendBatch takes at most 100 messages per call.
const SEND_BATCH = 100;
// Render jobs queued per invocation; the next chunk is queued by a message of its own, so no
// invocation holds more than this many (the local queue broker refuses 10,000 at once).
export const QUEUE_CHUNK = 1_000;
// A run that queued nothing for this long while jobs remain has stopped (its worker died and the
// queue gave up retrying); the Publish tab offers to resume it.
const STALL_MS = 2 * 60 * 1000;

const visibleRecords = (eventId: number) => and(eq(records.eventId, eventId), eq(records.hidden, false));

/**
 * Makes the event public and starts queueing one render job per visible record, so every
 * certificate and share card is in R2 before participants ask. The jobs are queued a chunk at a
 * time by the queue's own consumer (queueNextChunk), so an event of any size publishes. Publishing
 * again refreshes changed certificates: unchanged ones are already stored and cost nothing.
 */
export async function publishEvent(db: Database, queue: Queue<RenderJob>, event: Event): Promise<PublishRun> {
  if (event.templateId === null) throw new Error('An event needs a template before it can be published.');
  const template = await findEventTemplate(db, event.id, event.templateId);
  // Every certificate from the latest results, even when an import's worker stopped half-way.
  await finishImports(db, event.id);
  const [visible] = await db.select({ n: count() }).from(records).where(visibleRecords(event.id));
  const [[run]] = await db.batch([
    db
      .insert(publishRuns)
      .values({
        eventId: event.id,
        templateId: event.templateId,
        templateVersion: template?.version ?? 1,
        total: visible!.n,
        queuedAt: new Date(),
      })
      .returning(),
    db.update(events).set({ published: true, publishedAt: new Date() }).where(eq(events.id, event.id)),
  ]);
  await queue.send({ kind: 'queue', runId: run!.id });
  return run!;
}

/**
 * Queues the next chunk of a run's render jobs and, while records remain, a message to queue the
 * chunk after it. Progress is saved after every batch sent, so a redelivered message (its worker
 * died) resumes where the last one stopped instead of queueing the same records twice. A live run
 * takes only the records its import wrote, and stops once its event is unpublished.
 */
export async function queueNextChunk(db: Database, queue: Queue<RenderJob>, runId: number): Promise<void> {
  const run = await db.query.publishRuns.findFirst({ where: eq(publishRuns.id, runId) });
  if (!run || run.queued >= run.total) return;
  if (run.kind === 'live') {
    const event = await db.query.events.findFirst({ where: eq(events.id, run.eventId), columns: { published: true } });
    if (!event?.published) {
      await db
        .update(publishRuns)
        .set({ total: sql`${publishRuns.queued}` })
        .where(eq(publishRuns.id, runId));
      return;
    }
  }
  // Where this chunk starts, and what was counted before it: a resume after lost jobs goes back here.
  await db
    .update(publishRuns)
    .set({ chunkFrom: run.queuedThrough, chunkQueued: run.queued, chunkDone: run.done, chunkFailed: run.failed })
    .where(eq(publishRuns.id, runId));
  const chunk = await db
    .select({ id: records.id, certificateId: records.certificateId })
    .from(records)
    .where(
      and(
        visibleRecords(run.eventId),
        gt(records.id, run.queuedThrough),
        run.writtenAt ? eq(records.updatedAt, run.writtenAt) : undefined,
      ),
    )
    .orderBy(asc(records.id))
    .limit(Math.min(QUEUE_CHUNK, run.total - run.queued));
  for (let i = 0; i < chunk.length; i += SEND_BATCH) {
    const batch = chunk.slice(i, i + SEND_BATCH);
    await queue.sendBatch(batch.map(({ certificateId }) => ({ body: { runId, certificateId } })));
    await db
      .update(publishRuns)
      .set({
        queued: sql`${publishRuns.queued} + ${batch.length}`,
        queuedThrough: batch.at(-1)!.id,
        queuedAt: new Date(),
      })
      .where(eq(publishRuns.id, runId));
  }
  // Records hidden or deleted since the run began leave it short: what is left is all there is.
  const short = chunk.length < Math.min(QUEUE_CHUNK, run.total - run.queued);
  if (short) {
    await db
      .update(publishRuns)
      .set({ total: sql`${publishRuns.queued}` })
      .where(eq(publishRuns.id, runId));
    return;
  }
  if (run.queued + chunk.length < run.total) await queue.send({ kind: 'queue', runId });
}

/**
 * Whether a run has stopped: not finished, and nothing queued or rendered for a while. Either its
 * queueing died part way, or jobs on the queue were lost.
 */
export const publishStalled = (run: PublishRun, now = Date.now()) => {
  const lastActivity = Math.max((run.queuedAt ?? run.createdAt).getTime(), run.progressedAt?.getTime() ?? 0);
  return !publishFinished(run) && lastActivity < now - STALL_MS;
};

/**
 * Starts a stalled run again. Jobs still out were lost, so it goes back to the start of the chunk in
 * flight, counters included, and queues from there: what was rendered already is found in R2.
 */
export async function resumePublish(db: Database, queue: Queue<RenderJob>, run: PublishRun): Promise<void> {
  const lostJobs = run.queued > run.done + run.failed;
  await db
    .update(publishRuns)
    .set({
      queuedAt: new Date(),
      ...(lostJobs && {
        queuedThrough: run.chunkFrom,
        queued: run.chunkQueued,
        done: run.chunkDone,
        failed: run.chunkFailed,
      }),
    })
    .where(eq(publishRuns.id, run.id));
  await queue.send({ kind: 'queue', runId: run.id });
}

export async function unpublishEvent(db: Database, event: Event): Promise<void> {
  await db.update(events).set({ published: false }).where(eq(events.id, event.id));
}

/** The event's latest publish (live runs, src/publish/live.ts, are not publishes). */
export async function latestPublishRun(db: Database, eventId: number) {
  return db.query.publishRuns.findFirst({
    where: and(eq(publishRuns.eventId, eventId), eq(publishRuns.kind, 'publish')),
    orderBy: desc(publishRuns.id),
  });
}

export interface PublishChanges {
  /** Records edited or imported since the last publish whose certificates no live run has queued since. */
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
  // Records an import wrote while the event was live were rendered then: a live run names them.
  const writtenLive = db
    .select({ at: publishRuns.writtenAt })
    .from(publishRuns)
    .where(
      and(
        eq(publishRuns.eventId, event.id),
        eq(publishRuns.kind, 'live'),
        gt(publishRuns.id, run.id),
        isNotNull(publishRuns.writtenAt),
      ),
    );
  const [changed] = await db
    .select({ n: count() })
    .from(records)
    .where(
      and(
        eq(records.eventId, event.id),
        gt(records.updatedAt, run.createdAt),
        notInArray(records.updatedAt, writtenLive),
      ),
    );
  const template = await findEventTemplate(db, event.id, event.templateId);
  return {
    changedRecords: changed!.n,
    templateChanged: event.templateId !== run.templateId || template?.version !== run.templateVersion,
  };
}

/** Adds a finished batch of jobs to its run's counters in one statement. */
export async function countRenderResults(db: Database, runId: number, done: number, failed: number): Promise<void> {
  await db
    .update(publishRuns)
    .set({
      done: sql`${publishRuns.done} + ${done}`,
      failed: sql`${publishRuns.failed} + ${failed}`,
      progressedAt: new Date(),
    })
    .where(eq(publishRuns.id, runId));
}

export const publishFinished = (run: PublishRun) => run.done + run.failed >= run.total;

// Characters a placeholder note names, so an unlucky record cannot fill the note.
const PLACEHOLDER_CHARACTERS_LISTED = 10;

/**
 * Notes of one kind from a publish and the live runs after it, with the record's bib and name:
 * what the Publish tab lists.
 */
const publishNoteList = (db: Database, run: PublishRun, kind: PublishNoteKind) =>
  db
    .select({ bib: records.bib, name: records.name, reason: publishFailures.reason })
    .from(publishFailures)
    .innerJoin(publishRuns, eq(publishRuns.id, publishFailures.runId))
    .innerJoin(records, eq(records.certificateId, publishFailures.certificateId))
    .where(
      and(eq(publishRuns.eventId, run.eventId), gte(publishFailures.runId, run.id), eq(publishFailures.kind, kind)),
    )
    .orderBy(asc(publishFailures.id))
    .limit(100);

/** Render jobs that failed on every attempt since this publish, with the bib, name and reason. */
export const publishFailureList = (db: Database, run: PublishRun) => publishNoteList(db, run, 'failed');

/** Certificates drawn with a placeholder for some characters since this publish, with the bib, name and which. */
export const publishPlaceholderList = (db: Database, run: PublishRun) => publishNoteList(db, run, 'placeholder');

/** How many of a run's certificates were drawn with a placeholder. */
export async function countPublishPlaceholders(db: Database, runId: number): Promise<number> {
  const [row] = await db
    .select({ n: countDistinct(publishFailures.certificateId) })
    .from(publishFailures)
    .where(and(eq(publishFailures.runId, runId), eq(publishFailures.kind, 'placeholder')));
  return row!.n;
}

/** Notes a job that failed for good, for the Publish tab. */
export const recordPublishFailure = (db: Database, runId: number, certificateId: string, reason: string) =>
  db.insert(publishFailures).values({ runId, certificateId, reason: reason.slice(0, 300) });

/**
 * Notes a certificate rendered with a placeholder box for characters no font has: it counts as
 * done, but the organiser should check the record's spelling. A job rendered again in the same run
 * (a resumed chunk, a redelivered message) is noted once.
 */
export async function recordPublishPlaceholder(
  db: Database,
  runId: number,
  certificateId: string,
  characters: string[],
): Promise<void> {
  const noted = await db
    .select({ id: publishFailures.id })
    .from(publishFailures)
    .where(
      and(
        eq(publishFailures.runId, runId),
        eq(publishFailures.certificateId, certificateId),
        eq(publishFailures.kind, 'placeholder'),
      ),
    )
    .limit(1);
  if (noted.length > 0) return;
  const distinct = [...new Set(characters)];
  const listed = distinct.slice(0, PLACEHOLDER_CHARACTERS_LISTED).join(' ');
  const more =
    distinct.length > PLACEHOLDER_CHARACTERS_LISTED
      ? ` and ${distinct.length - PLACEHOLDER_CHARACTERS_LISTED} more`
      : '';
  const reason = `Drawn with a placeholder for ${listed}${more} (no font has ${distinct.length > 1 ? 'them' : 'it'})`;
  await db.insert(publishFailures).values({ runId, certificateId, kind: 'placeholder', reason: reason.slice(0, 300) });
}
