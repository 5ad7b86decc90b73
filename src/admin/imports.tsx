import { Hono } from 'hono';
import { raw } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import type { Event, Source } from '../db/schema';
import { randomId } from '../digest';
import type { EventEnv } from '../env';
import {
  mappingSchema,
  nameStyleLabels,
  nameStyles,
  prepareImport,
  recordFieldLabels,
  recordFields,
  rowsLeftOut,
  styleName,
  type ImportPlan,
  type Mapping,
  type NameStyle,
  type RejectedRow,
} from '../import';
import { ImportError } from '../import/import-error';
import { MAX_FILE_BYTES } from '../import/limits';
import { eventPaths } from '../paths';
import { KEEP_REMOVED_DAYS, type HeldRemovals } from '../records/removal';
import { describeKey } from '../records/participant-key';
import { importFile, type ImportReport as Report } from '../sources/import-file';
import { addSource, listEventSources, importSourceFor, removeSource } from '../sources/queries';
import { sourceInputSchema } from '../sources/rules';
import nameStyleScript from './name-style.client.js';
import { count } from './count';
import { Csrf, ErrorNote, Notice } from './layout';

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

/** The value of the source choice that starts a new source for the file. */
const NEW_SOURCE = 'new';

/** A new source is named after the file it starts with: "utmb2024.csv" → "utmb2024". */
const sourceNameOf = (fileName: string | undefined) =>
  sourceInputSchema().safeParse({ kind: 'upload', name: (fileName ?? '').replace(/\.(csv|txt)$/i, '').slice(0, 80) })
    .data?.name ?? 'Uploaded results';

/** Rows an unclosed quote swallowed: participants lost, said above everything else. */
const UnclosedQuotes = ({ rejected }: { rejected: RejectedRow[] }) => (
  <>
    {rejected.map(({ line, rows = 1 }) => {
      const swallowed = rows - 1;
      if (swallowed === 0) return null;
      const lost = swallowed === 1 ? 'the row after it: it is' : `the ${swallowed} rows after it: they are`;
      return (
        <ErrorNote
          message={`An unclosed quote on line ${line} swallowed ${lost} not imported. Close or remove the quote in the file, and upload it again.`}
        />
      );
    })}
  </>
);

// Every combination of styles, keyed as the client script reads the checkboxes: in their order, joined by "+".
const styleCombinations = nameStyles.reduce<NameStyle[][]>(
  (combinations, style) => combinations.concat(combinations.map((c) => [...c, style])),
  [[]],
);

/** The name style's choices, with a few of the file's names written in the style chosen. */
function NameStyleChoice({ plan }: { plan: ImportPlan }) {
  const chosen = plan.mapping.nameStyle ?? [];
  // The names in every style, for the client script to switch between without a round trip.
  const previews = Object.fromEntries(
    styleCombinations.map((styles) => [styles.join('+'), plan.sampleNames.map((n) => styleName(n, styles))]),
  );
  return (
    <fieldset>
      <legend>Names</legend>
      <p class="muted">
        As in the file, or rewritten. The name as in the file is kept with the record and found by search.
      </p>
      {nameStyles.map((style) => (
        <label>
          <input type="checkbox" name="nameStyle" value={style} checked={chosen.includes(style)} />{' '}
          {nameStyleLabels[style].label} <span class="muted">({nameStyleLabels[style].example})</span>
        </label>
      ))}
      {plan.sampleNames.length > 0 && (
        <table aria-label="Names as they will be imported">
          <thead>
            <tr>
              <th>In the file</th>
              <th>On the certificate</th>
            </tr>
          </thead>
          <tbody>
            {plan.sampleNames.map((name, i) => (
              <tr>
                <td>{name}</td>
                <td data-styled-name={String(i)}>{styleName(name, chosen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <script type="application/json" id="name-style-previews">
        {raw(JSON.stringify(previews).replace(/</g, '\\u003c'))}
      </script>
    </fieldset>
  );
}

interface PreviewProps {
  event: Event;
  plan: ImportPlan;
  uploadId: string;
  /** The source the file goes to, or undefined for a new one. */
  source: Source | undefined;
  /** The sources an upload can go to. */
  sources: Source[];
  fileName: string | undefined;
  removeMissing: boolean;
  nonce: string | undefined;
}

/** The mapping screen: every column can be chosen for every field, the guess preselected. */
function ImportPreview({ event, plan, uploadId, source, sources, fileName, removeMissing, nonce }: PreviewProps) {
  const columns = previewColumnsOf(plan.mapping);
  const into = source ? `“${source.name}”` : `a new source, “${sourceNameOf(fileName)}”`;
  const leftOut = rowsLeftOut(plan.rejected);
  return (
    <>
      <p class="muted">
        <a href={eventPaths(event).records()}>{event.name}</a> / Import
      </p>
      <h1>Check the import</h1>
      <UnclosedQuotes rejected={plan.rejected} />
      {plan.savedMisfit !== undefined && (
        <Notice
          message={`The columns saved with ${source ? `“${source.name}”` : 'the source'} do not fit this file: “${plan.savedMisfit}” is not in this file. The columns below are guessed from this file’s headers; check them before importing.`}
        />
      )}
      {plan.problem ? (
        <ErrorNote message={`${plan.problem} Choose the columns below, then update the preview.`} />
      ) : (
        <p>
          {count(plan.records.length, 'record')} will be imported into {into}
          {leftOut > 0 && `, ${rows(leftOut)} left out`}. Read as{' '}
          {plan.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252 (the file is not valid UTF-8)'}, separated by{' '}
          {plan.delimiter === '\t' ? 'tabs' : `“${plan.delimiter}”`}.
        </p>
      )}
      <form method="post" action={eventPaths(event).importUpload(uploadId)} class="card">
        <Csrf />
        <label for="import-source">Import into</label>
        <select id="import-source" name="sourceId">
          {sources.map((s) => (
            <option value={String(s.id)} selected={s.id === source?.id}>
              {s.name}
            </option>
          ))}
          <option value={NEW_SOURCE} selected={!source}>
            A new source, “{sourceNameOf(fileName)}”
          </option>
        </select>
        <h2>Columns</h2>
        <p class="muted">Any column of the file can fill any field; columns left unchosen are kept with each record.</p>
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
        <NameStyleChoice plan={plan} />
        <label>
          <input type="checkbox" name="removeMissing" value="on" checked={removeMissing} /> Remove records whose bib is
          not in this file
        </label>
        <div class="actions">
          <button type="submit" name="action" value="preview" class="secondary">
            Update preview
          </button>
          {!plan.problem && (
            <button type="submit" name="action" value="import">
              Import {count(plan.records.length, 'record')}
            </button>
          )}
        </div>
      </form>
      {!plan.problem && (
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
      )}
      {(plan.rejected.length > 0 || plan.duplicates.length > 0) && (
        <RejectedRows rejected={plan.rejected} duplicates={plan.duplicates} />
      )}
      <script nonce={nonce}>{raw(nameStyleScript)}</script>
    </>
  );
}

function RejectedRows({ rejected, duplicates }: Pick<Report, 'rejected' | 'duplicates'>) {
  if (rejected.length === 0 && duplicates.length === 0) return null;
  return (
    <div class="card">
      {duplicates.length > 0 && (
        <>
          <h2>Duplicates</h2>
          <ul>
            {duplicates.slice(0, 50).map((d) => (
              <li>
                {d.bib !== null ? `Bib ${d.bib}` : d.name !== null ? `“${d.name}”` : d.key} on lines{' '}
                {d.lines.join(', ')}: only line {d.lines[0]} is imported.
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
        because {held.reason}: {held.bibs.slice(0, 20).map(describeKey).join(', ')}
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
      <UnclosedQuotes rejected={report.rejected} />
      <p class="notice" role="status">
        {report.added} added, {report.updated} updated, {report.unchanged} unchanged, {report.removed} removed,{' '}
        {rows(rowsLeftOut(report.rejected))} left out.
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
                {k.bib !== null ? `Bib ${k.bib}` : k.name}: kept your {k.field} (the file says “{String(k.file ?? '')}”)
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

type FormBody = Record<string, string | File | (string | File)[]>;

const formValues = (body: FormBody, name: string) =>
  [body[name]].flat().filter((value): value is string => typeof value === 'string' && value !== '');

/** The mapping screen's choices, through the same schema as the API's `?mapping=`. */
function mappingFromForm(body: FormBody): Mapping {
  const parsed = mappingSchema.safeParse({
    ...Object.fromEntries(
      recordFields.flatMap((field) => {
        const [header] = formValues(body, `map.${field}`);
        return header ? [[field, header]] : [];
      }),
    ),
    nameStyle: formValues(body, 'nameStyle'),
  });
  if (!parsed.success)
    throw new HTTPException(400, { message: 'Those columns cannot be chosen. Upload the file again.' });
  return parsed.data;
}

/** The sources an upload can go to: the event's upload sources, and the one chosen if it is another kind. */
async function uploadSources(db: EventEnv['Variables']['db'], event: Event, chosen: Source | undefined) {
  const all = await listEventSources(db, event.id);
  return all.filter((s) => s.kind === 'upload' || s.id === chosen?.id);
}

/** Upload, preview with an editable mapping, then import: the file waits in R2 in between. */
export const importPages = new Hono<EventEnv>()
  .post('/imports', async (c) => {
    const { event, db } = c.var;
    const file = (await c.req.parseBody())['file'];
    if (!(file instanceof File) || file.size === 0)
      throw new ImportError('Choose a results file to upload: it is empty or missing.');
    if (file.size > MAX_FILE_BYTES) throw new ImportError('Results files may be at most 20 MB.', 413);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const source = await importSourceFor(db, event, { newName: 'Uploaded results' });
    // The columns saved from the last file are a suggestion: a file with other headers gets a guess.
    const plan = await prepareImport(bytes, { saved: (source.mapping as Mapping | null) ?? undefined, review: true });
    const uploadId = randomId();
    await c.env.FILES.put(uploadKey(event, uploadId), bytes, { customMetadata: { name: file.name } });
    return c.render(
      <ImportPreview
        event={event}
        plan={plan}
        uploadId={uploadId}
        source={source}
        sources={await uploadSources(db, event, source)}
        fileName={file.name}
        removeMissing={source.removeMissing}
        nonce={c.get('secureHeadersNonce')}
      />,
      { title: `Import preview · ${event.name}` },
    );
  })
  .post('/imports/:uploadId{[\\w-]{22}}', async (c) => {
    const { event, db } = c.var;
    const uploadId = c.req.param('uploadId');
    const stored = await c.env.FILES.get(uploadKey(event, uploadId));
    if (!stored) throw new HTTPException(404, { message: 'That upload is no longer here. Upload the file again.' });
    const bytes = new Uint8Array(await stored.arrayBuffer());
    const fileName = stored.customMetadata?.['name'];
    const body: FormBody = await c.req.parseBody({ all: true });
    const mapping = mappingFromForm(body);
    const removeMissing = body['removeMissing'] === 'on';
    const [sourceId] = formValues(body, 'sourceId');
    const source =
      sourceId === NEW_SOURCE
        ? undefined
        : await importSourceFor(db, event, { sourceId: Number(sourceId) || undefined, newName: 'Uploaded results' });
    if (body['action'] !== 'import') {
      const plan = await prepareImport(bytes, { mapping, review: true });
      return c.render(
        <ImportPreview
          event={event}
          plan={plan}
          uploadId={uploadId}
          source={source}
          sources={await uploadSources(db, event, source)}
          fileName={fileName}
          removeMissing={removeMissing}
          nonce={c.get('secureHeadersNonce')}
        />,
        { title: `Import preview · ${event.name}` },
      );
    }
    const target = source ?? (await addSource(db, event.id, { kind: 'upload', name: sourceNameOf(fileName) }));
    try {
      const report = await importFile(db, event, target, bytes, {
        mapping,
        removeMissing,
        renderQueue: c.env.RENDER_QUEUE,
      });
      await c.env.FILES.delete(uploadKey(event, uploadId));
      return c.render(<ImportReport event={event} report={report} />, { title: `Imported · ${event.name}` });
    } catch (error) {
      // A source started for this file goes again when nothing came of it.
      if (!source) await removeSource(db, target, { deleteRecords: false });
      throw error;
    }
  });
