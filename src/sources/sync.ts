import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, sources, type Event, type Source } from '../db/schema';
import { ImportError } from '../import/import-error';
import { MAX_FILE_BYTES } from '../import/limits';
import { readCapped } from '../read-capped';
import { localSourceOrigins, sourceAddressProblem } from './address';
import { importFile, type ImportReport, type ImportRequest } from './import-file';

// For the whole pull, redirects and body included: a slow server must not hold a sync (or the
// cron's other sources) for long.
const PULL_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 3;
// Workers allow six connections open at once; the cron pulls that many sources side by side.
const CONCURRENT_PULLS = 6;

// A body given up on (redirect, error, too large, too slow) is cancelled; that may fail too, unseen.
const discard = (body: ReadableStream | null) => body?.cancel().catch(() => undefined);

/** Reads a response body, stopping as soon as it passes the 20 MB an upload may have. */
async function readBody(response: Response, url: URL): Promise<Uint8Array> {
  const tooBig = Number(response.headers.get('content-length') ?? 0) > MAX_FILE_BYTES;
  const bytes = tooBig ? undefined : await readCapped(response.body, MAX_FILE_BYTES);
  if (!bytes) {
    await discard(response.body);
    throw new ImportError(`The file at ${url.origin} is larger than 20 MB.`, 413);
  }
  return bytes;
}

/**
 * Downloads a URL source's file: the address and each redirect checked before it is fetched
 * (address.ts), at most three redirects, one time limit for all of it, the body cut off at 20 MB.
 * Errors name the address, never what it answered.
 */
async function download(address: string, localOrigins: ReadonlySet<string>, timeoutMs: number): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(timeoutMs);
  let url = new URL(address);
  try {
    for (let hop = 0; ; hop++) {
      const problem = sourceAddressProblem(url, localOrigins);
      if (problem) throw new ImportError(hop === 0 ? problem : `${url.origin} redirects elsewhere: ${problem}`);
      const response = await fetch(url, {
        signal,
        redirect: 'manual',
        headers: { Accept: 'text/csv, text/plain, */*' },
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await discard(response.body);
        if (hop === MAX_REDIRECTS) throw new ImportError(`${url.origin} redirects more than ${MAX_REDIRECTS} times.`);
        url = new URL(location, url);
        continue;
      }
      if (!response.ok) {
        await discard(response.body);
        throw new ImportError(`${url.origin}${url.pathname} answered ${response.status}. Check the address.`);
      }
      return await readBody(response, url);
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    if (signal.aborted) {
      throw new ImportError(`${url.origin} took longer than ${timeoutMs / 1000} s to send the file. Try again later.`);
    }
    throw new ImportError(`Could not reach ${url.origin}. Check the address, or try again later.`);
  }
}

// What the organiser sees when a pulled file is no results table: its contents are not echoed, as
// they are for an upload, since they come from a server the organiser may not control.
const UNREADABLE =
  'The file at this address is not a results table the portal can read. Download it and upload it ' +
  'on the Certificate tab to see what is wrong.';

export interface SyncOptions {
  /** LOCAL_SOURCE_ORIGINS: loopback origins that may be pulled from anyway (tests, wrangler dev). */
  localOrigins?: string;
  timeoutMs?: number;
  /** RENDER_QUEUE: a published event's changed certificates are queued there (import-file.ts). */
  renderQueue?: ImportRequest['renderQueue'];
}

/**
 * Pulls a URL source and imports it. A failure is stored on the source for the Certificate tab,
 * then thrown, and nothing is written.
 */
export async function syncSource(
  db: Database,
  event: Event,
  source: Source,
  options: SyncOptions = {},
): Promise<ImportReport> {
  if (source.kind !== 'url' || !source.url) throw new ImportError('Only a source with an address can be synced.');
  try {
    const bytes = await download(
      source.url,
      localSourceOrigins(options.localOrigins),
      options.timeoutMs ?? PULL_TIMEOUT_MS,
    );
    try {
      return await importFile(db, event, source, bytes, { renderQueue: options.renderQueue });
    } catch (error) {
      if (error instanceof ImportError && error.status === 400) throw new ImportError(UNREADABLE);
      throw error;
    }
  } catch (error) {
    const message = error instanceof ImportError ? error.message : 'The import failed unexpectedly.';
    await db.update(sources).set({ lastSyncError: message, lastSyncedAt: new Date() }).where(eq(sources.id, source.id));
    throw error;
  }
}

/**
 * Cron Trigger: pulls every URL source of every event again, six at a time, taking organisers in
 * turn so that one organiser's many or slow sources do not hold up another's. Each pull has its
 * own time limit; one failure does not stop the rest.
 */
export async function syncAllUrlSources(db: Database, options: SyncOptions = {}): Promise<void> {
  const due = await db
    .select({ source: sources, event: events })
    .from(sources)
    .innerJoin(events, eq(events.id, sources.eventId))
    .where(eq(sources.kind, 'url'));
  const byOrganiser = new Map<number | null, typeof due>();
  for (const row of due)
    byOrganiser.set(row.event.organiserId, [...(byOrganiser.get(row.event.organiserId) ?? []), row]);
  const queues = [...byOrganiser.values()];
  const turns: typeof due = [];
  for (let i = 0; turns.length < due.length; i++) for (const q of queues) if (q[i]) turns.push(q[i]!);
  let next = 0;
  const worker = async () => {
    while (next < turns.length) {
      const { source, event } = turns[next++]!;
      try {
        await syncSource(db, event, source, options);
      } catch (error) {
        console.error('scheduled sync failed', source.id, error instanceof Error ? error.message : error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_PULLS, turns.length) }, worker));
}
