import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Event, Source } from '../db/schema';
import { randomId } from '../digest';
import type { EventEnv } from '../env';
import { prepareImport } from '../import';
import { ImportError } from '../import/import-error';
import { MAX_FILE_BYTES } from '../import/limits';
import { recordFieldLabels, recordFields, type Mapping } from '../import/mapping';
import type { ImportPlan } from '../import/plan';
import { eventPaths } from '../paths';
import { importFile, type ImportReport as Report } from '../sources/import-file';
import { KEEP_REMOVED_DAYS, type HeldRemovals } from '../records/removal';
import { importSourceFor } from '../sources/queries';
import { Csrf, ErrorNote } from './layout';

/** The upload form on the Records tab and in the setup wizard. */
export function ImportForm({ event, error }: { event: Event; error?: string }) {
  return (
    <form method="post" action={eventPaths(event).imports} enctype="multipart/form-data" class="card">
      <h3>Import a results file</h3>
      <p class="muted">
        CSV from your timing system, up to 20 MB or 100,000 rows. You will see a preview before anything is saved.
      </p>
      <ErrorNote message={error} />
      <Csrf />
      <input type="file" name="file" accept=".csv,.txt,text/csv" required aria-label="Results file" />
      <p>
        <button type="submit">Preview import</button>
      </p>
    </form>
  );
}

const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;

// An uploaded file waits here between its preview and the import.
const uploadKey = (event: Event, uploadId: string) => `uploads/${event.id}/${uploadId}`;

const previewColumns = ['bib', 'name', 'status', 'finishTime', 'category', 'gender', 'age', 'rankOverall'] as const;
// Shown only when a column fills it: most files have none.
const previewColumnsOf = (mapping: Mapping) =>
  mapping.language ? [...previewColumns, 'language' as const] : previewColumns;

function ImportPreview({
  event,
  plan,
  uploadId,
  source,
}: {
  event: Event;
  plan: ImportPlan;
  uploadId: string;
  source: Source;
}) {
  const columns = previewColumnsOf(plan.mapping);
  return (
    <>
      <h1>Check the import</h1>
      <p>
        {plan.records.length} records will be imported into “{source.name}”
        {plan.rejected.length > 0 && `, ${rows(plan.rejected.length)} left out`}. Read as{' '}
        {plan.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252 (the file is not valid UTF-8)'}, separated by{' '}
        {plan.delimiter === '\t' ? 'tabs' : `“${plan.delimiter}”`}.
      </p>
      <form method="post" action={eventPaths(event).importUpload(uploadId)} class="card">
        <Csrf />
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
          <input type="checkbox" name="removeMissing" value="on" checked={source.removeMissing} /> Remove records whose
          bib is not in this file
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
      {(plan.rejected.length > 0 || plan.duplicates.length > 0) && (
        <RejectedRows rejected={plan.rejected} duplicates={plan.duplicates} />
      )}
    </>
  );
}

function RejectedRows({ rejected, duplicates }: Pick<Report, 'rejected' | 'duplicates'>) {
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

/** Removals an import kept back, with the button that carries them out. */
export function HeldRemovalsNote({ event, importId, held }: { event: Event; importId: number; held: HeldRemovals }) {
  const n = held.bibs.length;
  return (
    <form method="post" action={eventPaths(event).confirmRemovals(importId)} class="card">
      <p class="error" role="alert">
        {n} {n === 1 ? 'record is' : 'records are'} no longer in the file, but {n === 1 ? 'it was' : 'they were'} kept
        because {held.reason}: bibs {held.bibs.slice(0, 20).join(', ')}
        {n > 20 && ` and ${n - 20} more`}.
      </p>
      <Csrf />
      <button type="submit" class="danger">
        Remove {n === 1 ? 'it' : `these ${n}`}
      </button>{' '}
      <span class="muted">Removed records can be restored for {KEEP_REMOVED_DAYS} days, with their links.</span>
    </form>
  );
}

/** What an import did: shown after an upload and after "Sync now". */
export function ImportReport({ event, report }: { event: Event; report: Report }) {
  return (
    <>
      <h1>Import finished</h1>
      <p class="notice" role="status">
        {report.added} added, {report.updated} updated, {report.unchanged} unchanged, {report.removed} removed,{' '}
        {rows(report.rejected.length)} left out.
      </p>
      {report.held && report.importId !== undefined && (
        <HeldRemovalsNote event={event} importId={report.importId} held={report.held} />
      )}
      {report.kept && (
        <div class="card">
          <h2>Your corrections, kept</h2>
          <ul>
            {report.kept.slice(0, 100).map((k) => (
              <li>
                Bib {k.bib}: kept your {k.field} (the file says “{String(k.file ?? '')}”)
              </li>
            ))}
          </ul>
          <p class="muted">To take the file's value, open the record on the Records tab.</p>
        </div>
      )}
      <RejectedRows rejected={report.rejected} duplicates={report.duplicates} />
      <div class="actions">
        <a class="button" href={eventPaths(event).records()}>
          See the records
        </a>
        <a class="button secondary" href={eventPaths(event).overview}>
          Overview
        </a>
      </div>
    </>
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
export const importPages = new Hono<EventEnv>()
  .post('/imports', async (c) => {
    const { event } = c.var;
    const file = (await c.req.parseBody())['file'];
    if (!(file instanceof File) || file.size === 0)
      throw new ImportError('Choose a results file to upload: it is empty or missing.');
    if (file.size > MAX_FILE_BYTES) throw new ImportError('Results files may be at most 20 MB.', 413);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const source = await importSourceFor(c.var.db, event, { newName: 'Uploaded results' });
    const plan = await prepareImport(bytes, { mapping: (source.mapping as Mapping | null) ?? undefined });
    const uploadId = randomId();
    await c.env.FILES.put(uploadKey(event, uploadId), bytes, { customMetadata: { name: file.name } });
    return c.render(<ImportPreview event={event} plan={plan} uploadId={uploadId} source={source} />, {
      title: `Import preview · ${event.name}`,
    });
  })
  .post('/imports/:uploadId{[\\w-]{22}}', async (c) => {
    const { event } = c.var;
    const uploadId = c.req.param('uploadId');
    const stored = await c.env.FILES.get(uploadKey(event, uploadId));
    if (!stored) throw new HTTPException(404, { message: 'That upload is no longer here. Upload the file again.' });
    const bytes = new Uint8Array(await stored.arrayBuffer());
    const body = await c.req.parseBody();
    const mapping = mappingFromForm(body);
    const removeMissing = body['removeMissing'] === 'on';
    const source = await importSourceFor(c.var.db, event, {
      sourceId: Number(body['sourceId']) || undefined,
      newName: 'Uploaded results',
    });
    if (body['action'] !== 'import') {
      const plan = await prepareImport(bytes, { mapping });
      return c.render(
        <ImportPreview event={event} plan={plan} uploadId={uploadId} source={{ ...source, removeMissing }} />,
        {
          title: `Import preview · ${event.name}`,
        },
      );
    }
    const report = await importFile(c.var.db, event, source, bytes, { mapping, removeMissing });
    await c.env.FILES.delete(uploadKey(event, uploadId));
    return c.render(<ImportReport event={event} report={report} />, { title: `Imported · ${event.name}` });
  });
