import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { importRecords, type RecordChanges } from '../db/record-import';
import { sources, type Event, type Source } from '../db/schema';
import { prepareImport } from '../import';
import { ImportError } from '../import/import-error';
import { MAX_FILE_BYTES } from '../import/limits';
import type { Mapping } from '../import/mapping';
import type { DuplicateBib, ImportPlan, RejectedRow } from '../import/plan';

/** What an import did, as the admin pages, the API and the import log report it. */
export interface ImportReport extends RecordChanges {
  rejected: RejectedRow[];
  duplicates: DuplicateBib[];
  encoding: ImportPlan['encoding'];
  delimiter: ImportPlan['delimiter'];
}

export interface ImportRequest {
  /** Overrides the mapping saved with the source (and the one suggested from the headers). */
  mapping?: Mapping;
  removeMissing?: boolean;
}

/**
 * Imports a results file into an event through its source: all rows or none, with the mapping
 * saved on the source for next time. The one path for uploads, URL sources and the API.
 */
export async function importFile(
  db: Database,
  event: Event,
  source: Source | undefined,
  bytes: Uint8Array,
  request: ImportRequest = {},
): Promise<ImportReport> {
  const plan = prepareImport(bytes, { mapping: request.mapping ?? (source?.mapping as Mapping | null) ?? undefined });
  const changes = await importRecords(db, event.id, plan.records, {
    sourceId: source?.id ?? null,
    removeMissing: request.removeMissing ?? source?.removeMissing ?? false,
    report: { rejected: plan.rejected.length, encoding: plan.encoding },
  });
  if (source) {
    await db
      .update(sources)
      .set({ mapping: plan.mapping as Record<string, string>, lastSyncedAt: new Date(), lastSyncError: null })
      .where(eq(sources.id, source.id));
  }
  return { ...changes, rejected: plan.rejected, duplicates: plan.duplicates, encoding: plan.encoding, delimiter: plan.delimiter };
}

const FETCH_TIMEOUT_MS = 20_000;

/** Downloads a URL source's file, refusing anything larger than an upload may be. */
async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { Accept: 'text/csv, text/plain, */*' } });
  } catch {
    throw new ImportError(`Could not reach ${url}. Check the address, or try again later.`);
  }
  if (!response.ok) throw new ImportError(`${url} answered ${response.status}. Check the address.`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_FILE_BYTES) throw new ImportError(`The file at ${url} is larger than 20 MB.`, 413);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_FILE_BYTES) throw new ImportError(`The file at ${url} is larger than 20 MB.`, 413);
  return bytes;
}

/**
 * Pulls a URL source and imports it. A failure is stored on the source for the Certificate tab,
 * then thrown, and nothing is written.
 */
export async function syncSource(db: Database, event: Event, source: Source): Promise<ImportReport> {
  if (source.kind !== 'url' || !source.url) throw new ImportError('Only a source with an address can be synced.');
  try {
    return await importFile(db, event, source, await download(source.url));
  } catch (error) {
    const message = error instanceof ImportError ? error.message : 'The import failed unexpectedly.';
    await db.update(sources).set({ lastSyncError: message, lastSyncedAt: new Date() }).where(eq(sources.id, source.id));
    throw error;
  }
}

/** Cron Trigger: pulls every URL source of every event again, one failure not stopping the rest. */
export async function syncAllUrlSources(db: Database): Promise<void> {
  const due = await db.query.sources.findMany({ where: eq(sources.kind, 'url'), with: undefined });
  for (const source of due) {
    const event = await db.query.events.findFirst({ where: (e, { eq }) => eq(e.id, source.eventId) });
    if (!event) continue;
    try {
      await syncSource(db, event, source);
    } catch (error) {
      console.error('scheduled sync failed', source.id, error);
    }
  }
}
