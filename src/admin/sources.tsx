import { and, count, eq, inArray } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { records, recordTerms, sources, type Event, type Source } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { syncSource } from '../sources/sync';
import { ownEvent } from './guard';
import { ImportReportPage } from './imports';
import { AdminPage, Csrf, ErrorNote, PostButton } from './layout';

export const sourceInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upload'), name: z.string().trim().min(1, 'Name the source.').max(80) }),
  z.object({
    kind: z.literal('url'),
    name: z.string().trim().min(1, 'Name the source.').max(80),
    url: z
      .string()
      .trim()
      .url('Give the full address of the results file, starting with https://.')
      .refine((u) => /^https?:\/\//i.test(u), 'Only http and https addresses can be pulled.'),
  }),
]);

/** Where a form used by both the setup wizard and a tab returns to. */
export const afterSetupStep = (next: string | undefined, event: Event, fallback: string) =>
  next === 'setup' ? `/admin/events/${event.id}/setup` : `/admin/events/${event.id}/certificate?notice=${fallback}`;

export function SourceForm({ event, csrfToken, error, next }: { event: Event; csrfToken: string; error?: string; next?: string }) {
  return (
    <form method="post" action={`/admin/events/${event.id}/sources${next ? `?next=${next}` : ''}`} class="card">
      <h3>Connect a source</h3>
      <ErrorNote message={error} />
      <Csrf token={csrfToken} />
      <label>
        <input type="radio" name="kind" value="upload" checked /> Upload a results file (CSV)
      </label>
      <label>
        <input type="radio" name="kind" value="url" /> Pull a CSV from an address your timing system keeps updated
      </label>
      <label for="source-name">Name</label>
      <input id="source-name" name="name" required maxlength={80} placeholder="Results from the timing system" />
      <label for="source-url">Address (for a pulled CSV)</label>
      <input id="source-url" name="url" type="url" placeholder="https://timing.example.com/results.csv" />
      <p>
        <button type="submit">Add source</button>
      </p>
    </form>
  );
}

const sourceOf = async (c: Context<OrganiserEnv>, event: Event) => {
  const source = await c.var.db.query.sources.findFirst({
    where: and(eq(sources.id, Number(c.req.param('sourceId'))), eq(sources.eventId, event.id)),
  });
  if (!source) throw new HTTPException(404, { message: 'There is no such source in this event.' });
  return source;
};

export function SourceRow({ event, source, csrfToken }: { event: Event; source: Source; csrfToken: string }) {
  return (
    <tr>
      <td>{source.name}</td>
      <td>{source.kind === 'url' ? <>pulled from <code>{source.url}</code></> : 'uploaded CSV'}</td>
      <td>
        {source.lastSyncedAt ? `synced ${source.lastSyncedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}
        {source.lastSyncError && <span class="error">{source.lastSyncError}</span>}
      </td>
      <td>
        <a href={`/admin/events/${event.id}/sources/${source.id}/edit`}>Edit</a>{' '}
        <a href={`/admin/events/${event.id}/sources/${source.id}/remove`}>Remove</a>{' '}
        {source.kind === 'url' && (
          <PostButton action={`/admin/events/${event.id}/sources/${source.id}/sync`} csrfToken={csrfToken}>
            Sync now
          </PostButton>
        )}
      </td>
    </tr>
  );
}

/** Data sources of an event: add, edit, remove (saying what happens to their records), sync. */
export const sourcePages = new Hono<OrganiserEnv>()
  .post('/events/:eventId/sources', async (c) => {
    const event = await ownEvent(c);
    const input = sourceInputSchema.safeParse(await c.req.parseBody());
    if (!input.success) throw new HTTPException(400, { message: input.error.issues[0]!.message });
    await c.var.db.insert(sources).values({ eventId: event.id, ...input.data });
    return c.redirect(afterSetupStep(c.req.query('next'), event, 'source-added'), 303);
  })
  .get('/events/:eventId/sources/:sourceId/edit', async (c) => {
    const event = await ownEvent(c);
    const source = await sourceOf(c, event);
    return c.html(
      <AdminPage title={`Edit ${source.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <h1>Edit source</h1>
        <form method="post" action={`/admin/events/${event.id}/sources/${source.id}/edit`} class="card">
          <Csrf token={c.var.csrfToken} />
          <input type="hidden" name="kind" value={source.kind} />
          <label for="name">Name</label>
          <input id="name" name="name" required maxlength={80} value={source.name} />
          {source.kind === 'url' && (
            <>
              <label for="url">Address</label>
              <input id="url" name="url" type="url" required value={source.url ?? ''} />
            </>
          )}
          <label>
            <input type="checkbox" name="removeMissing" value="on" checked={source.removeMissing} /> When this source is imported
            again, remove records whose bib is no longer in the file
          </label>
          <p>
            <button type="submit">Save</button>
          </p>
        </form>
      </AdminPage>,
    );
  })
  .post('/events/:eventId/sources/:sourceId/edit', async (c) => {
    const event = await ownEvent(c);
    const source = await sourceOf(c, event);
    const body = await c.req.parseBody();
    const input = sourceInputSchema.safeParse({ ...body, kind: source.kind });
    if (!input.success) throw new HTTPException(400, { message: input.error.issues[0]!.message });
    await c.var.db
      .update(sources)
      .set({ ...input.data, removeMissing: body['removeMissing'] === 'on' })
      .where(eq(sources.id, source.id));
    return c.redirect(`/admin/events/${event.id}/certificate?notice=source-saved`, 303);
  })
  .get('/events/:eventId/sources/:sourceId/remove', async (c) => {
    const event = await ownEvent(c);
    const source = await sourceOf(c, event);
    const [fed] = await c.var.db.select({ n: count() }).from(records).where(eq(records.sourceId, source.id));
    return c.html(
      <AdminPage title={`Remove ${source.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <h1>Remove “{source.name}”?</h1>
        <form method="post" action={`/admin/events/${event.id}/sources/${source.id}/remove`} class="card">
          <Csrf token={c.var.csrfToken} />
          {fed!.n === 0 ? (
            <p>No records came from this source. Removing it changes nothing else.</p>
          ) : (
            <>
              <p>{fed!.n} records came from this source. What should happen to them?</p>
              <label>
                <input type="radio" name="records" value="keep" checked /> Keep the {fed!.n} records (they stay, and their
                certificates keep working)
              </label>
              <label>
                <input type="radio" name="records" value="delete" /> Delete the {fed!.n} records too (their certificate links
                stop working)
              </label>
            </>
          )}
          <div class="actions">
            <button type="submit" class="danger">
              Remove source
            </button>
            <a class="button secondary" href={`/admin/events/${event.id}/certificate`}>
              Cancel
            </a>
          </div>
        </form>
      </AdminPage>,
    );
  })
  .post('/events/:eventId/sources/:sourceId/remove', async (c) => {
    const event = await ownEvent(c);
    const source = await sourceOf(c, event);
    const deleteRecords = (await c.req.parseBody())['records'] === 'delete';
    const db = c.var.db;
    const fed = db.select({ id: records.id }).from(records).where(eq(records.sourceId, source.id));
    const unlink = db.delete(sources).where(eq(sources.id, source.id));
    // Kept records outlive their source: the foreign key sets their source to null.
    if (deleteRecords) {
      await db.batch([
        db.delete(recordTerms).where(inArray(recordTerms.recordId, fed)),
        db.delete(records).where(eq(records.sourceId, source.id)),
        unlink,
      ]);
    } else {
      await unlink;
    }
    return c.redirect(`/admin/events/${event.id}/certificate?notice=source-removed`, 303);
  })
  .post('/events/:eventId/sources/:sourceId/sync', async (c) => {
    const event = await ownEvent(c);
    const source = await sourceOf(c, event);
    const report = await syncSource(c.var.db, event, source);
    return c.html(<ImportReportPage c={c} event={event} report={report} />);
  });
