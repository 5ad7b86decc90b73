import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, sources, type Event, type Source } from '../db/schema';
import { ImportError } from '../import/import-error';
import { MAX_FILE_BYTES } from '../import/limits';
import { importFile, type ImportReport } from './import-file';

const FETCH_TIMEOUT_MS = 20_000;

/** Downloads a URL source's file, refusing anything larger than an upload may be. */
async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { Accept: 'text/csv, text/plain, */*' },
    });
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
  const due = await db
    .select({ source: sources, event: events })
    .from(sources)
    .innerJoin(events, eq(events.id, sources.eventId))
    .where(eq(sources.kind, 'url'));
  for (const { source, event } of due) {
    try {
      await syncSource(db, event, source);
    } catch (error) {
      console.error('scheduled sync failed', source.id, error);
    }
  }
}
