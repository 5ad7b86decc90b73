import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { ImportError } from '../import/import-error';
import { importRecords, releaseImportTicket, takeImportTicket, type RecordChanges } from '../records/import';
import { sources, type Event, type Source } from '../db/schema';
import { prepareImport } from '../import';
import type { Mapping } from '../import/mapping';
import type { RenderJob } from '../env';
import { queueLiveRenders } from '../publish/live';
import { rowsLeftOut, type DuplicateParticipant, type ImportPlan, type RejectedRow } from '../import/plan';

/** What an import did, as the admin pages, the API and the import log report it. */
export interface ImportReport extends RecordChanges {
  rejected: RejectedRow[];
  duplicates: DuplicateParticipant[];
  encoding: ImportPlan['encoding'];
  delimiter: ImportPlan['delimiter'];
  /** The columns read, and the name style: saved with the source for the next file. */
  mapping: Mapping;
}

export interface ImportRequest {
  /**
   * Columns chosen by the organiser or the caller: they override the mapping saved with the source
   * (and the one suggested from the headers), and a file without them is refused.
   */
  mapping?: Mapping;
  removeMissing?: boolean;
  /**
   * Where a published event's certificates are rendered (RENDER_QUEUE): the records the file added
   * or changed are queued there at once (publish/live.ts). Every route passes it; tests of the
   * import alone may leave it out.
   */
  renderQueue?: Queue<RenderJob>;
}

/**
 * Imports a results file into an event through its source: all rows or none, with the mapping
 * saved on the source for next time. The one path for uploads, URL sources and the API. Files
 * apply in the order they reached the event: the ticket is taken before the body is read, and a
 * file older than one already applied is refused rather than allowed to overwrite newer results.
 */
export async function importFile(
  db: Database,
  event: Event,
  source: Source | undefined,
  file: Uint8Array | Promise<Uint8Array>,
  request: ImportRequest = {},
): Promise<ImportReport> {
  const ticket = await takeImportTicket(db, event.id);
  try {
    // The source's saved mapping is a suggestion: a file with other headers gets the best guess.
    const plan = await prepareImport(await file, {
      mapping: request.mapping,
      saved: (source?.mapping as Mapping | null) ?? undefined,
    });
    const changes = await importRecords(db, event.id, plan.records, {
      ticket,
      sourceId: source?.id ?? null,
      removeMissing: request.removeMissing ?? source?.removeMissing ?? false,
      report: { rejected: rowsLeftOut(plan.rejected), encoding: plan.encoding },
    });
    if (source) {
      await db
        .update(sources)
        .set({ mapping: plan.mapping, lastSyncedAt: new Date(), lastSyncError: null })
        .where(eq(sources.id, source.id));
    }
    if (changes.writtenAt && request.renderQueue) {
      await queueLiveRenders(db, request.renderQueue, event.id, changes.writtenAt).catch((error) =>
        // The file is in all the same: its certificates are rendered when first asked for, and a
        // live run that could not queue its jobs shows on the Publish tab as stalled.
        console.error('queueing live renders failed', event.id, error),
      );
    }
    return {
      ...changes,
      rejected: plan.rejected,
      duplicates: plan.duplicates,
      encoding: plan.encoding,
      delimiter: plan.delimiter,
      mapping: plan.mapping,
    };
  } catch (error) {
    await releaseImportTicket(db, event.id, ticket);
    if (error instanceof Error && /stale import/.test(error.message)) {
      throw new ImportError('A file sent after this one has already been applied, so this one was not.', 409);
    }
    throw error;
  }
}
