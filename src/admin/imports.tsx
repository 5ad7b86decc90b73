import { and, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Database } from '../db/client';
import { sources, type Event, type Source } from '../db/schema';
import { randomId } from '../digest';
import type { OrganiserEnv } from '../env';
import { prepareImport } from '../import';
import { ImportError } from '../import/import-error';
import { MAX_FILE_BYTES } from '../import/limits';
import { recordFieldLabels, recordFields, type Mapping } from '../import/mapping';
import type { ImportPlan } from '../import/plan';
import { importFile, type ImportReport } from '../sources/sync';
import { ownEvent } from './guard';
import { AdminPage, Csrf, ErrorNote } from './layout';

/** The upload form on the Records tab and in the setup wizard. */
export function ImportForm({ event, csrfToken, error }: { event: Event; csrfToken: string; error?: string }) {
  return (
    <form method="post" action={`/admin/events/${event.id}/imports`} enctype="multipart/form-data" class="card">
      <h3>Import a results file</h3>
      <p class="muted">CSV from your timing system, up to 20 MB or 100,000 rows. You will see a preview before anything is saved.</p>
      <ErrorNote message={error} />
      <Csrf token={csrfToken} />
      <input type="file" name="file" accept=".csv,.txt,text/csv" required aria-label="Results file" />
      <p>
        <button type="submit">Preview import</button>
      </p>
    </form>
  );
}

const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;

const uploadKey = (event: Event, uploadId: string) => `uploads/${event.id}/${uploadId}`;

/** The upload source an import lands in: the organiser's choice, else the first, else a new one. */
async function importSource(db: Database, event: Event, sourceId?: number): Promise<Source> {
  const existing = await db.query.sources.findFirst({
    where: sourceId ? and(eq(sources.eventId, event.id), eq(sources.id, sourceId)) : and(eq(sources.eventId, event.id), eq(sources.kind, 'upload')),
  });
  if (existing) return existing;
  const [created] = await db.insert(sources).values({ eventId: event.id, kind: 'upload', name: 'Uploaded results' }).returning();
  return created!;
}

function PreviewPage({ c, event, plan, uploadId, source }: { c: Context<OrganiserEnv>; event: Event; plan: ImportPlan; uploadId: string; source: Source }) {
  const columns = ['bib', 'name', 'status', 'finishTime', 'category', 'gender', 'age', 'rankOverall'] as const;
  return (
    <AdminPage title={`Import preview · ${event.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
      <h1>Check the import</h1>
      <p>
        {plan.records.length} records will be imported into “{source.name}”
        {plan.rejected.length > 0 && `, ${rows(plan.rejected.length)} left out`}. Read as {plan.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252 (the file is not valid UTF-8)'},
        separated by {plan.delimiter === '\t' ? 'tabs' : `“${plan.delimiter}”`}.
      </p>
      <form method="post" action={`/admin/events/${event.id}/imports/${uploadId}`} class="card">
        <Csrf token={c.var.csrfToken} />
        <input type="hidden" name="sourceId" value={String(source.id)} />
        <h2>Columns</h2>
        <div class="grid">
          {recordFields.map((field) => (
            <div>
              <label for={`map-${field}`}>{recordFieldLabels[field]}</label>
              <select id={`map-${field}`} name={`map.${field}`}>
                <option value="">(none)</option>
                {plan.headers.map((h) => (
                  <option value={h} selected={plan.mapping[field] === h}>
                    {h}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
        <label>
          <input type="checkbox" name="removeMissing" value="on" checked={source.removeMissing} /> Remove records whose bib is not in this file
        </label>
        <div class="actions">
          <button type="submit" name="action" value="preview" class="secondary">
            Update preview
          </button>
          <button type="submit" name="action" value="import">
            Import {plan.records.length} records
          </button>
        </div>
      </form>
      <div class="card table">
        <h2>First records as they will land</h2>
        <table>
          <thead>
            <tr>
              {columns.map((col) => (
                <th>{recordFieldLabels[col]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {plan.preview.map((r) => (
              <tr>
                {columns.map((col) => (
                  <td>{r[col] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(plan.rejected.length > 0 || plan.duplicates.length > 0) && <RejectedRows rejected={plan.rejected} duplicates={plan.duplicates} />}
    </AdminPage>
  );
}

function RejectedRows({ rejected, duplicates }: Pick<ImportReport, 'rejected' | 'duplicates'>) {
  return (
    <div class="card">
      {duplicates.length > 0 && (
        <>
          <h2>Duplicate bibs</h2>
          <ul>
            {duplicates.slice(0, 50).map((d) => (
              <li>
                Bib {d.bib} on lines {d.lines.join(', ')}: only line {d.lines[0]} is imported.
              </li>
            ))}
          </ul>
        </>
      )}
      {rejected.length > 0 && (
        <>
          <h2>Rows left out</h2>
          <ul>
            {rejected.slice(0, 200).map((r) => (
              <li>
                Line {r.line}: {r.reason}
              </li>
            ))}
          </ul>
          {rejected.length > 200 && <p class="muted">…and {rejected.length - 200} more.</p>}
        </>
      )}
    </div>
  );
}

/** What an import did: shown after an upload and after "Sync now". */
export function ImportReportPage({ c, event, report }: { c: Context<OrganiserEnv>; event: Event; report: ImportReport }) {
  return (
    <AdminPage title={`Imported · ${event.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
      <h1>Import finished</h1>
      <p class="notice" role="status">
        {report.added} added, {report.updated} updated, {report.unchanged} unchanged, {report.removed} removed, {rows(report.rejected.length)} left out.
      </p>
      <RejectedRows rejected={report.rejected} duplicates={report.duplicates} />
      <div class="actions">
        <a class="button" href={`/admin/events/${event.id}/records`}>
          See the records
        </a>
        <a class="button secondary" href={`/admin/events/${event.id}`}>
          Overview
        </a>
      </div>
    </AdminPage>
  );
}

const mappingFromForm = (body: Record<string, unknown>): Mapping =>
  Object.fromEntries(
    recordFields.flatMap((field) => {
      const header = body[`map.${field}`];
      return typeof header === 'string' && header ? [[field, header]] : [];
    }),
  ) as Mapping;

/** Upload, preview with an editable mapping, then import: the file waits in R2 in between. */
export const importPages = new Hono<OrganiserEnv>()
  .post('/events/:eventId/imports', async (c) => {
    const event = await ownEvent(c);
    const file = (await c.req.parseBody())['file'];
    if (!(file instanceof File) || file.size === 0) throw new ImportError('Choose a results file to upload: it is empty or missing.');
    if (file.size > MAX_FILE_BYTES) throw new ImportError('Results files may be at most 20 MB.', 413);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const source = await importSource(c.var.db, event);
    const plan = prepareImport(bytes, { mapping: (source.mapping as Mapping | null) ?? undefined });
    const uploadId = randomId();
    await c.env.FILES.put(uploadKey(event, uploadId), bytes, { customMetadata: { name: file.name } });
    return c.html(<PreviewPage c={c} event={event} plan={plan} uploadId={uploadId} source={source} />);
  })
  .post('/events/:eventId/imports/:uploadId{[\\w-]{22}}', async (c) => {
    const event = await ownEvent(c);
    const uploadId = c.req.param('uploadId');
    const stored = await c.env.FILES.get(uploadKey(event, uploadId));
    if (!stored) throw new HTTPException(404, { message: 'That upload is no longer here. Upload the file again.' });
    const bytes = new Uint8Array(await stored.arrayBuffer());
    const body = await c.req.parseBody();
    const mapping = mappingFromForm(body);
    const source = await importSource(c.var.db, event, Number(body['sourceId']) || undefined);
    if (body['action'] !== 'import') {
      const plan = prepareImport(bytes, { mapping });
      return c.html(<PreviewPage c={c} event={event} plan={plan} uploadId={uploadId} source={{ ...source, removeMissing: body['removeMissing'] === 'on' }} />);
    }
    const report = await importFile(c.var.db, event, source, bytes, { mapping, removeMissing: body['removeMissing'] === 'on' });
    await c.env.FILES.delete(uploadKey(event, uploadId));
    return c.html(<ImportReportPage c={c} event={event} report={report} />);
  });
