import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ExportKind } from '../db/schema';
import type { EventEnv } from '../env';
import { eventStatus } from '../events/status';
import { eventPaths } from '../paths';
import {
  CERTIFICATES_PER_ZIP,
  exportCategories,
  exportRequestSchema,
  listExports,
  openExportFile,
  PRINT_PAGE_LIMIT,
  startExport,
  type ExportListing,
} from '../publish/exports';
import { count } from './count';
import { Csrf, EventTabs } from './layout';

const kindLabels: Record<ExportKind, string> = {
  png: 'ZIP of PNG',
  pdf: 'ZIP of PDF',
  print: 'Print PDF, one certificate a page',
};

const selectionText = ({ selection }: ExportListing) =>
  [
    selection.category && `category ${selection.category}`,
    selection.bibFrom !== undefined && `bibs from ${selection.bibFrom}`,
    selection.bibTo !== undefined && `bibs to ${selection.bibTo}`,
  ]
    .filter(Boolean)
    .join(', ') || 'all visible records';

/** One export: its progress while it is written, then a link per file. */
const ExportRow = ({ listing, paths }: { listing: ExportListing; paths: ReturnType<typeof eventPaths> }) => (
  <li>
    <p>
      <strong>{kindLabels[listing.kind]}</strong>, {selectionText(listing)}:{' '}
      {listing.state === 'failed'
        ? `stopped: ${listing.failure}`
        : listing.state === 'done'
          ? `${count(listing.done, 'certificate')}, ready.`
          : `${listing.done} of ${listing.total} certificates written…`}
    </p>
    {listing.state === 'running' && <progress max={listing.total} value={listing.done} />}
    <ul>
      {listing.files.map((file) =>
        file.finished ? (
          <li>
            <a href={paths.download(listing.id, file.number)} download>
              {file.key.slice(file.key.lastIndexOf('/') + 1)}
            </a>{' '}
            ({count(file.done, 'certificate')})
          </li>
        ) : (
          <li>
            File {file.number}: {file.done} of {file.total}
          </li>
        ),
      )}
    </ul>
  </li>
);

/** The Publish tab's downloads: every published certificate as ZIPs, or a print PDF of a selection. */
export const downloadPages = new Hono<EventEnv>()
  .get('/publish/downloads', async (c) => {
    const { event, db } = c.var;
    const paths = eventPaths(event);
    const [status, exports, categories] = await Promise.all([
      eventStatus(db, event),
      listExports(db, event.id),
      exportCategories(db, event.id),
    ]);
    const running = exports.some((e) => e.state === 'running');
    return c.render(
      <>
        <EventTabs event={event} status={status} current="publish" />
        <div class="card">
          <h2>Downloads</h2>
          <p>
            Every published certificate in one go, for your archive or a print shop: ZIP files of{' '}
            {CERTIFICATES_PER_ZIP.toLocaleString('en')} certificates at most, or one PDF of up to {PRINT_PAGE_LIMIT}{' '}
            pages. Hidden records are left out. Large events take a few minutes; this page shows how far it got.
          </p>
          {!event.published && <p>Publish the event first: downloads hold its published certificates.</p>}
          <form method="post" action={paths.downloads}>
            <Csrf />
            <label for="export-kind">Download</label>
            <select id="export-kind" name="kind">
              {Object.entries(kindLabels).map(([value, label]) => (
                <option value={value}>{label}</option>
              ))}
            </select>
            <label for="export-category">Category (optional)</label>
            <input id="export-category" name="category" list="export-categories" maxlength={100} />
            <datalist id="export-categories">
              {categories.map((category) => (
                <option value={category} />
              ))}
            </datalist>
            <label for="export-bib-from">Bibs from (optional)</label>
            <input id="export-bib-from" name="bibFrom" inputmode="numeric" pattern="[0-9]*" />
            <label for="export-bib-to">to</label>
            <input id="export-bib-to" name="bibTo" inputmode="numeric" pattern="[0-9]*" />
            <button type="submit" disabled={!event.published}>
              Prepare download
            </button>
          </form>
        </div>
        {exports.length > 0 && (
          <div class="card">
            <h2>Prepared downloads</h2>
            <ul>
              {exports.map((listing) => (
                <ExportRow listing={listing} paths={paths} />
              ))}
            </ul>
          </div>
        )}
      </>,
      {
        title: `Downloads of ${event.name}`,
        // While a download is written, the page follows it.
        head: running ? <meta http-equiv="refresh" content="5" /> : undefined,
      },
    );
  })
  .post('/publish/downloads', async (c) => {
    const input = exportRequestSchema.safeParse(await c.req.parseBody());
    if (!input.success) throw new HTTPException(400, { message: input.error.issues[0]!.message });
    const start = await startExport(c.var.db, c.env.EXPORT_QUEUE, c.var.event, input.data);
    if ('refused' in start) throw new HTTPException(400, { message: start.refused });
    return c.redirect(eventPaths(c.var.event).downloads, 303);
  })
  .get('/publish/downloads/:exportId{[0-9]+}/:number{[0-9]+}', async (c) => {
    const file = await openExportFile(
      c.var.db,
      c.env.FILES,
      c.var.event.id,
      Number(c.req.param('exportId')),
      Number(c.req.param('number')),
    );
    if (!file) throw new HTTPException(404, { message: 'There is no such download in this event.' });
    return c.body(file.object.body, 200, {
      'Content-Type': file.object.httpMetadata?.contentType ?? 'application/octet-stream',
      'Content-Length': String(file.object.size),
      'Content-Disposition': `attachment; filename="${file.name}"`,
      'Cache-Control': 'private, no-store',
    });
  });
