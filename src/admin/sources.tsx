import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Event, Source } from '../db/schema';
import type { EventEnv } from '../env';
import { eventPaths, type Next } from '../paths';
import { addSource, findEventSource, removeSource, sourceRecordCount, updateSource } from '../sources/queries';
import { localSourceOrigins } from '../sources/address';
import { sourceInputSchema } from '../sources/rules';
import type { ImportReport as SyncReport } from '../sources/import-file';
import { syncSource } from '../sources/sync';
import { ImportError } from '../import/import-error';
import { ImportReport } from './imports';
import { count } from './count';
import { Csrf, ErrorNote, PostButton } from './layout';

/** Where a form used by both the setup wizard and a tab returns to. */
export const afterSetupStep = (next: string | undefined, event: Event, notice: string) =>
  next === 'setup' ? eventPaths(event).setup : eventPaths(event).certificate({ notice });

export function SourceForm({ event, error, next }: { event: Event; error?: string; next?: Next }) {
  return (
    <form method="post" action={eventPaths(event).addSource(next)} class="card">
      <h3>Connect a source</h3>
      <ErrorNote message={error} />
      <Csrf />
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

export function SourceRow({ event, source }: { event: Event; source: Source }) {
  const paths = eventPaths(event).source(source.id);
  return (
    <tr>
      <td>{source.name}</td>
      <td>
        {source.kind === 'url' ? (
          <>
            pulled from <code>{source.url}</code>
          </>
        ) : (
          'uploaded CSV'
        )}
      </td>
      <td>
        <LastSync source={source} />
      </td>
      <td>
        <a href={paths.edit}>Edit</a> <a href={paths.remove}>Remove</a>{' '}
        {source.kind === 'url' && <PostButton action={paths.sync()}>Sync now</PostButton>}
      </td>
    </tr>
  );
}

/** When a source was last imported, and why its last pull failed, if it did. */
function LastSync({ source }: { source: Source }) {
  return (
    <>
      {source.lastSyncedAt ? `synced ${source.lastSyncedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC ` : ''}
      {source.lastSyncError && (
        <span class="error" role="alert">
          {source.lastSyncError}
        </span>
      )}
    </>
  );
}

/**
 * The setup wizard's records step for an event with URL sources: pull each now rather than wait
 * for the cron, and see the import's report.
 */
export function PullSourcesCard({ event, sources }: { event: Event; sources: Source[] }) {
  return (
    <div class="card">
      <h3>Pull the results from your timing system</h3>
      <p class="muted">The portal pulls these addresses every 15 minutes. Sync now to get the records straight away.</p>
      <ul>
        {sources.map((source) => (
          <li>
            <strong>{source.name}</strong> from <code>{source.url}</code>{' '}
            <PostButton action={eventPaths(event).source(source.id).sync('setup')}>Sync now</PostButton>{' '}
            <LastSync source={source} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The event's source named in the path; another event's source is a 404. */
async function sourceOf(c: Context<EventEnv>) {
  const source = await findEventSource(c.var.db, c.var.event.id, Number(c.req.param('sourceId')));
  if (!source) throw new HTTPException(404, { message: 'There is no such source in this event.' });
  return source;
}

/** The source rule, with the loopback origins this deployment may pull from (tests, wrangler dev). */
const sourceRules = (c: Context<EventEnv>) => sourceInputSchema(localSourceOrigins(c.env.LOCAL_SOURCE_ORIGINS));

const invalid = (message: string | undefined) => new HTTPException(400, { message: message ?? 'Check the fields.' });

/** Data sources of an event: add, edit, remove (saying what happens to their records), sync. */
export const sourcePages = new Hono<EventEnv>()
  .post('/sources', async (c) => {
    const input = sourceRules(c).safeParse(await c.req.parseBody());
    if (!input.success) throw invalid(input.error.issues[0]?.message);
    await addSource(c.var.db, c.var.event.id, input.data);
    return c.redirect(afterSetupStep(c.req.query('next'), c.var.event, 'source-added'), 303);
  })
  .get('/sources/:sourceId/edit', async (c) => {
    const source = await sourceOf(c);
    return c.render(
      <>
        <h1>Edit source</h1>
        <form method="post" action={eventPaths(c.var.event).source(source.id).edit} class="card">
          <Csrf />
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
            <input type="checkbox" name="removeMissing" value="on" checked={source.removeMissing} /> When this source is
            imported again, remove records whose bib is no longer in the file
          </label>
          <p>
            <button type="submit">Save</button>
          </p>
        </form>
      </>,
      { title: `Edit ${source.name}` },
    );
  })
  .post('/sources/:sourceId/edit', async (c) => {
    const source = await sourceOf(c);
    const body = await c.req.parseBody();
    const input = sourceRules(c).safeParse({
      ...body,
      kind: source.kind,
    });
    if (!input.success) throw invalid(input.error.issues[0]?.message);
    await updateSource(c.var.db, source, { ...input.data, removeMissing: body['removeMissing'] === 'on' });
    return c.redirect(eventPaths(c.var.event).certificate({ notice: 'source-saved' }), 303);
  })
  .get('/sources/:sourceId/remove', async (c) => {
    const source = await sourceOf(c);
    const fed = await sourceRecordCount(c.var.db, source);
    const paths = eventPaths(c.var.event);
    return c.render(
      <>
        <h1>Remove “{source.name}”?</h1>
        <form method="post" action={paths.source(source.id).remove} class="card">
          <Csrf />
          {fed === 0 ? (
            <p>No records came from this source. Removing it changes nothing else.</p>
          ) : (
            <>
              <p>{count(fed, 'record')} came from this source. What should happen to them?</p>
              <label>
                <input type="radio" name="records" value="keep" checked /> Keep the {count(fed, 'record')} (they stay,
                and their certificates keep working)
              </label>
              <label>
                <input type="radio" name="records" value="delete" /> Delete the {count(fed, 'record')} too (their
                certificate links stop working)
              </label>
            </>
          )}
          <div class="actions">
            <button type="submit" class="danger">
              Remove source
            </button>
            <a class="button secondary" href={paths.certificate()}>
              Cancel
            </a>
          </div>
        </form>
      </>,
      { title: `Remove ${source.name}` },
    );
  })
  .post('/sources/:sourceId/remove', async (c) => {
    const source = await sourceOf(c);
    const deleteRecords = (await c.req.parseBody())['records'] === 'delete';
    await removeSource(c.var.db, source, { deleteRecords });
    return c.redirect(eventPaths(c.var.event).certificate({ notice: 'source-removed' }), 303);
  })
  .post('/sources/:sourceId/sync', async (c) => {
    const source = await sourceOf(c);
    const { event } = c.var;
    const fromSetup = c.req.query('next') === 'setup';
    let report: SyncReport;
    try {
      report = await syncSource(c.var.db, event, source, {
        localOrigins: c.env.LOCAL_SOURCE_ORIGINS,
        renderQueue: c.env.RENDER_QUEUE,
      });
    } catch (error) {
      // syncSource stored why on the source, and the wizard's records step shows it there.
      if (fromSetup && error instanceof ImportError) return c.redirect(eventPaths(event).setup, 303);
      throw error;
    }
    return c.render(
      <>
        <ImportReport event={event} report={report} />
        {fromSetup && (
          <p>
            <a href={eventPaths(event).setup}>Back to setup</a>
          </p>
        )}
      </>,
      { title: `Imported · ${event.name}` },
    );
  });
