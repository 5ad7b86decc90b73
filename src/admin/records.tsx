import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import Papa from 'papaparse';
import { eventStatus } from '../db/event-status';
import { importRecords, prepareRecord } from '../db/record-import';
import { bibSearchQuery, deleteRecord, findEventRecord, listRecords, searchRecords, setRecordHidden, updateRecord } from '../db/records';
import { records, type Event, type ParticipantRecord } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { ownEvent } from './guard';
import { ImportForm } from './imports';
import { AdminPage, Csrf, ErrorNote, EventTabs, Notice, PostButton } from './layout';
import { recordFormSchema } from './record-form';

const PAGE_SIZE = 50;
const statusLabel: Record<string, string> = { finished: 'Finished', dnf: 'DNF', dns: 'DNS', dsq: 'DSQ' };
const notices: Record<string, string> = {
  added: 'Record added.',
  saved: 'Record saved.',
  deleted: 'Record deleted. Its certificate link no longer works.',
  hidden: 'Record hidden: it is no longer searchable and its certificate is no longer shown.',
  shown: 'Record visible again.',
};

const numeric = { inputmode: 'numeric' } as const;
// The record form's plain text fields, after bib, name and status: name, label, input attributes.
const textFields: [string, string, Record<string, string | number>][] = [
  ['finishTime', 'Finish time (h:mm:ss)', { placeholder: '3:27:45' }],
  ['category', 'Category', { maxlength: 60 }],
  ['gender', 'Gender (M, F or X)', { maxlength: 1 }],
  ['age', 'Age', numeric],
  ['rankOverall', 'Overall rank', numeric],
  ['rankGender', 'Gender rank', numeric],
  ['rankCategory', 'Category rank', numeric],
];

function RecordForm({ event, record, values, error, csrfToken }: { event: Event; record?: ParticipantRecord; values: Record<string, unknown>; error?: string; csrfToken: string }) {
  const v = (k: string) => (values[k] === null || values[k] === undefined ? '' : String(values[k]));
  const action = record ? `/admin/events/${event.id}/records/${record.id}/edit` : `/admin/events/${event.id}/records`;
  return (
    <form method="post" action={action} class="card">
      <ErrorNote message={error} />
      <Csrf token={csrfToken} />
      <div class="grid">
        <div>
          <label for="bib">Bib</label>
          <input id="bib" name="bib" required maxlength={20} value={v('bib')} />
        </div>
        <div>
          <label for="name">Name</label>
          <input id="name" name="name" required maxlength={200} value={v('name')} />
        </div>
        <div>
          <label for="status">Status</label>
          <select id="status" name="status">
            {Object.entries(statusLabel).map(([value, label]) => (
              <option value={value} selected={v('status') === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {textFields.map(([name, label, extra]) => (
          <div>
            <label for={name}>{label}</label>
            <input id={name} name={name} value={v(name)} {...extra} />
          </div>
        ))}
      </div>
      <p>
        <button type="submit">{record ? 'Save record' : 'Add record'}</button>
      </p>
    </form>
  );
}

/** Cells a spreadsheet would run as a formula get a leading quote, as OWASP advises for CSV exports. */
export function recordsCsv(rows: ParticipantRecord[], certificateUrl: (r: ParticipantRecord) => string): string {
  return Papa.unparse(
    rows.map((r) => ({
      bib: r.bib,
      name: r.name,
      status: r.status,
      finishTime: r.finishTime ?? '',
      category: r.category ?? '',
      gender: r.gender ?? '',
      age: r.age ?? '',
      rankOverall: r.rankOverall ?? '',
      rankGender: r.rankGender ?? '',
      rankCategory: r.rankCategory ?? '',
      hidden: r.hidden ? 'yes' : 'no',
      certificateUrl: certificateUrl(r),
      ...r.extra,
    })),
    { escapeFormulae: true },
  );
}

export const recordPages = new Hono<OrganiserEnv>()
  .get('/events/:eventId/records', async (c) => {
    const event = await ownEvent(c);
    const db = c.var.db;
    const query = (c.req.query('q') ?? '').trim().slice(0, 200);
    const page = Math.max(1, Number(c.req.query('page')) || 1);
    const status = await eventStatus(db, event);
    const found = query
      ? { rows: await searchRecords(db, event.id, query, { includeHidden: true, limit: 100 }), total: undefined }
      : await listRecords(db, event.id, page, PAGE_SIZE);
    const pages = found.total === undefined ? 1 : Math.max(1, Math.ceil(found.total / PAGE_SIZE));
    return c.html(
      <AdminPage title={`Records · ${event.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <EventTabs event={event} status={status} current={status.setupComplete ? 'records' : 'setup'} />
        <Notice message={notices[c.req.query('notice') ?? '']} />
        <div class="actions">
          <a class="button" href={`/admin/events/${event.id}/records/new`}>
            Add a record
          </a>
          <a class="button secondary" href={`/admin/events/${event.id}/records.csv`}>
            Export CSV
          </a>
        </div>
        <ImportForm event={event} csrfToken={c.var.csrfToken} />
        <form class="search card" method="get" action={`/admin/events/${event.id}/records`}>
          <input name="q" type="search" value={query} placeholder="Bib or name" aria-label="Search records" />
          <button type="submit">Search</button>
        </form>
        <div class="card table">
          <p class="muted">
            {found.total === undefined ? `${found.rows.length} matching “${query}”` : `${found.total} records`}
          </p>
          <table>
            <thead>
              <tr>
                <th>Bib</th>
                <th>Name</th>
                <th>Status</th>
                <th>Time</th>
                <th>Rank</th>
                <th>Category</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {found.rows.map((r) => (
                <tr>
                  <td>{r.bib}</td>
                  <td>
                    {r.name} {r.hidden && <span class="badge">hidden</span>}
                  </td>
                  <td>{statusLabel[r.status]}</td>
                  <td>{r.finishTime ?? ''}</td>
                  <td>{r.rankOverall ?? ''}</td>
                  <td>{r.category ?? ''}</td>
                  <td>
                    <a href={`/admin/events/${event.id}/records/${r.id}/edit`}>Edit</a>{' '}
                    <PostButton
                      action={`/admin/events/${event.id}/records/${r.id}/visibility`}
                      csrfToken={c.var.csrfToken}
                      fields={{ hidden: r.hidden ? 'false' : 'true' }}
                    >
                      {r.hidden ? 'Show' : 'Hide'}
                    </PostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages > 1 && (
            <p>
              {page > 1 && <a href={`?page=${page - 1}`}>← Previous</a>} Page {page} of {pages}{' '}
              {page < pages && <a href={`?page=${page + 1}`}>Next →</a>}
            </p>
          )}
        </div>
      </AdminPage>,
    );
  })
  .get('/events/:eventId/records.csv', async (c) => {
    const event = await ownEvent(c);
    const rows = await c.var.db.select().from(records).where(eq(records.eventId, event.id)).orderBy(records.id);
    const origin = new URL(c.req.url).origin;
    const csv = recordsCsv(rows, (r) => `${origin}/events/${event.slug}/certificates/${r.certificateId}`);
    return c.body(`\uFEFF${csv}`, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${event.slug}-records.csv"`,
    });
  })
  .get('/events/:eventId/records/new', async (c) => {
    const event = await ownEvent(c);
    return c.html(
      <AdminPage title="Add a record" organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <h1>Add a record to {event.name}</h1>
        <RecordForm event={event} values={{ status: 'finished' }} csrfToken={c.var.csrfToken} />
      </AdminPage>,
    );
  })
  .post('/events/:eventId/records', async (c) => {
    const event = await ownEvent(c);
    const body = await c.req.parseBody();
    const input = recordFormSchema.safeParse(body);
    const fail = (error: string, status: 400 | 409) =>
      c.html(
        <AdminPage title="Add a record" organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
          <h1>Add a record to {event.name}</h1>
          <RecordForm event={event} values={body} error={error} csrfToken={c.var.csrfToken} />
        </AdminPage>,
        status,
      );
    if (!input.success) return fail(input.error.issues[0]!.message, 400);
    const [existing] = await bibSearchQuery(c.var.db, event.id, input.data.bib, { includeHidden: true });
    if (existing) return fail(`Bib ${input.data.bib} already belongs to ${existing.name}.`, 409);
    await importRecords(c.var.db, event.id, [prepareRecord(input.data)]);
    const next = c.req.query('from') === 'setup' ? `/admin/events/${event.id}/setup` : `/admin/events/${event.id}/records?notice=added`;
    return c.redirect(next, 303);
  })
  .get('/events/:eventId/records/:recordId/edit', async (c) => {
    const event = await ownEvent(c);
    const record = await findEventRecord(c.var.db, event.id, Number(c.req.param('recordId')));
    if (!record) return c.notFound();
    return c.html(
      <AdminPage title={`Edit ${record.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <h1>Edit {record.name}</h1>
        <RecordForm event={event} record={record} values={record} csrfToken={c.var.csrfToken} />
        <form method="post" action={`/admin/events/${event.id}/records/${record.id}/delete`} class="card">
          <Csrf token={c.var.csrfToken} />
          <p>Deleting removes the record and its certificate for good. To keep it but stop showing it, hide it instead.</p>
          <button type="submit" class="danger">
            Delete record
          </button>
        </form>
      </AdminPage>,
    );
  })
  .post('/events/:eventId/records/:recordId/edit', async (c) => {
    const event = await ownEvent(c);
    const record = await findEventRecord(c.var.db, event.id, Number(c.req.param('recordId')));
    if (!record) return c.notFound();
    const body = await c.req.parseBody();
    const input = recordFormSchema.safeParse(body);
    const fail = (error: string, status: 400 | 409) =>
      c.html(
        <AdminPage title={`Edit ${record.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
          <h1>Edit {record.name}</h1>
          <RecordForm event={event} record={record} values={body} error={error} csrfToken={c.var.csrfToken} />
        </AdminPage>,
        status,
      );
    if (!input.success) return fail(input.error.issues[0]!.message, 400);
    if (input.data.bib !== record.bib) {
      const [clash] = await bibSearchQuery(c.var.db, event.id, input.data.bib, { includeHidden: true });
      if (clash) return fail(`Bib ${input.data.bib} already belongs to ${clash.name}.`, 409);
    }
    await updateRecord(c.var.db, record, input.data);
    return c.redirect(`/admin/events/${event.id}/records?notice=saved`, 303);
  })
  .post('/events/:eventId/records/:recordId/delete', async (c) => {
    const event = await ownEvent(c);
    const record = await findEventRecord(c.var.db, event.id, Number(c.req.param('recordId')));
    if (!record) return c.notFound();
    await deleteRecord(c.var.db, record.id);
    return c.redirect(`/admin/events/${event.id}/records?notice=deleted`, 303);
  })
  .post('/events/:eventId/records/:recordId/visibility', async (c) => {
    const event = await ownEvent(c);
    const record = await findEventRecord(c.var.db, event.id, Number(c.req.param('recordId')));
    if (!record) return c.notFound();
    const hidden = (await c.req.parseBody())['hidden'] === 'true';
    await setRecordHidden(c.var.db, record.id, hidden);
    return c.redirect(`/admin/events/${event.id}/records?notice=${hidden ? 'hidden' : 'shown'}`, 303);
  });
