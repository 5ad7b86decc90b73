import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { readableForm } from '../auth/guard';
import {
  decideRemovalRequest,
  pendingRemovalRequests,
  removalCheckLabel,
  removalCheckFormSchema,
  removalCheckOptions,
  removalDecisionSchema,
  hasRemovalRequest,
  setRemovalCheck,
  MAX_REMOVAL_ANSWERS,
  type PendingRemovalRequest,
  type RemovalCheckOption,
} from '../certificates/removal-requests';
import type { Event, ParticipantRecord, RemovedRecord } from '../db/schema';
import type { EventEnv } from '../env';
import { eventStatus } from '../events/status';
import { absoluteUrl, eventPaths, linkOrigin, portalPaths, type Next, type RecordsPlace } from '../paths';
import { recordsCsv } from '../records/csv';
import { useFileValues } from '../records/corrections';
import { addRecord } from '../records/import';
import {
  allRecords,
  deleteRecord,
  findEventRecord,
  recordClash,
  listRecords,
  setRecordHidden,
  updateRecord,
} from '../records/queries';
import { searchRecords } from '../records/search';
import {
  confirmHeldRemovals,
  findHeldImport,
  findRemovedRecord,
  KEEP_REMOVED_DAYS,
  listRemovedRecords,
  restorableInput,
} from '../records/removal';
import { recordFormSchema, recordLimits, recordPageSchema } from '../records/rules';
import { count } from './count';
import { HeldRemovalsNote, ImportForm } from './imports';
import { Csrf, ErrorNote, EventTabs, LanguageInput, Notice, PostButton } from './layout';
import { Pagination } from './pagination';

const PAGE_SIZE = 50;
const statusLabel: Record<string, string> = { finished: 'Finished', dnf: 'DNF', dns: 'DNS', dsq: 'DSQ' };
const notices: Record<string, string> = {
  added: 'Record added.',
  saved: 'Record saved.',
  deleted: 'Record removed: its certificate link no longer works. You can restore it below for 30 days.',
  restored: 'Record restored, with its certificate link.',
  removed: 'Records removed. You can restore them below for 30 days.',
  hidden: 'Record hidden: it is no longer searchable and its certificate is no longer shown.',
  shown: 'Record visible again.',
  'request-accepted': 'Request accepted: the record is hidden, and its certificate is no longer shown.',
  'request-refused': 'Request refused: the certificate stays as it is.',
  'check-saved': 'Removal check saved.',
};

const numeric = { inputmode: 'numeric' } as const;
// The record form's plain text fields, after bib, name and status: name, label, input attributes.
const textFields: [string, string, Record<string, string | number>][] = [
  ['finishTime', 'Finish time (h:mm:ss)', { placeholder: '3:27:45' }],
  ['category', 'Category', { maxlength: recordLimits.category }],
  ['gender', 'Gender (M, F or X)', { maxlength: 1 }],
  ['age', 'Age', numeric],
  ['rankOverall', 'Overall rank', numeric],
  ['rankGender', 'Gender rank', numeric],
  ['rankCategory', 'Category rank', numeric],
];

function RecordForm({
  action,
  values,
  error,
  saving,
  version,
}: {
  action: string;
  values: Record<string, unknown>;
  error?: string;
  saving: boolean;
  /** The record's version the form shows (its last change), so a stale save is refused. */
  version?: number;
}) {
  const v = (k: string) => (values[k] === null || values[k] === undefined ? '' : String(values[k]));
  return (
    <form method="post" action={action} class="card">
      <ErrorNote message={error} />
      <Csrf />
      {version !== undefined && <input type="hidden" name="version" value={String(version)} />}
      <div class="grid">
        <div>
          <label for="bib">Bib</label>
          <input id="bib" name="bib" maxlength={recordLimits.bib} value={v('bib')} />
        </div>
        <div>
          <label for="name">Name</label>
          <input id="name" name="name" required maxlength={recordLimits.name} value={v('name')} />
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
        <div>
          <label for="language">Language</label>
          <LanguageInput value={v('language')} hint="Empty: the event’s language." />
        </div>
      </div>
      <p>
        <button type="submit">{saving ? 'Save record' : 'Add record'}</button>
      </p>
    </form>
  );
}

function NewRecord({
  event,
  values,
  error,
  from,
}: {
  event: Event;
  values: Record<string, unknown>;
  error?: string;
  from?: Next;
}) {
  return (
    <>
      <h1>Add a record to {event.name}</h1>
      <RecordForm action={eventPaths(event).addRecord(from)} values={values} error={error} saving={false} />
    </>
  );
}

function EditRecord({
  event,
  record,
  values,
  error,
  from,
}: {
  event: Event;
  record: ParticipantRecord;
  values: Record<string, unknown>;
  error?: string;
  /** The Records tab's search or page the edit returns to. */
  from: RecordsPlace;
}) {
  const paths = eventPaths(event).record(record.id, from);
  const corrections = record.handEdited ?? [];
  return (
    <>
      <h1>Edit {record.name}</h1>
      <RecordForm action={paths.edit} values={values} error={error} saving version={record.updatedAt.getTime()} />
      {corrections.length > 0 && (
        <div class="card">
          <h2>Your corrections</h2>
          <p class="muted">Imports leave these fields as you set them.</p>
          <ul>
            {corrections.map((field) => (
              <li>
                {field}
                {record.fileValues && field in record.fileValues
                  ? ` (the file says “${record.fileValues[field] ?? ''}”) `
                  : ' '}
                <PostButton action={paths.useFile} fields={{ field }}>
                  {record.fileValues && field in record.fileValues
                    ? 'Use the file’s value'
                    : 'Let imports change it again'}
                </PostButton>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="card">
        <p>
          Removing takes the record and its certificate link out of the event. You can restore both for{' '}
          {KEEP_REMOVED_DAYS} days. To keep it but stop showing it, hide it instead.
        </p>
        <a class="button danger" href={paths.delete}>
          Delete record…
        </a>
      </div>
      <p>
        <a href={eventPaths(event).records(from)}>← Back to the records</a>
      </p>
    </>
  );
}

/** The question before a record is deleted: a page of its own, so it needs no script. */
function DeleteRecord({ event, record, from }: { event: Event; record: ParticipantRecord; from: RecordsPlace }) {
  const paths = eventPaths(event).record(record.id, from);
  return (
    <>
      <h1>Delete {record.name}?</h1>
      <form method="post" action={paths.delete} class="card">
        <Csrf />
        <p>
          {record.bib === null ? record.name : `Bib ${record.bib}, ${record.name}`}: the record and its certificate link
          leave the event. Anyone who opens the link is told the certificate is not available. You can restore both from
          the Records tab for {KEEP_REMOVED_DAYS} days.
        </p>
        <div class="actions">
          <button type="submit" class="danger">
            Delete record
          </button>
          <a class="button secondary" href={paths.edit}>
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}

function RemovedRecords({ event, removed }: { event: Event; removed: RemovedRecord[] }) {
  if (removed.length === 0) return null;
  return (
    <section class="card table" id="removed">
      <h2>Removed records</h2>
      <p class="muted">
        Kept for {KEEP_REMOVED_DAYS} days. A restored record, or one that comes back in a file, keeps its certificate
        link.
      </p>
      <table>
        <tbody>
          {removed.map((r) => (
            <tr>
              <td>{r.bib}</td>
              <td>{r.name}</td>
              <td class="muted">
                {r.reason === 'import'
                  ? 'not in the file'
                  : r.reason === 'source'
                    ? 'its source was removed'
                    : 'removed by hand'}
                , {r.removedAt.toISOString().slice(0, 10)}
              </td>
              <td>
                <PostButton action={eventPaths(event).restoreRecord(r.id)}>Restore</PostButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Participants' requests to remove their certificates, and the check that lets them do it alone. */
function RemovalRequests({ event, pending }: { event: Event; pending: PendingRemovalRequest[] }) {
  const paths = eventPaths(event);
  return (
    <section class="card table" id="removal-requests">
      <h2>Removal requests</h2>
      <p class="muted">
        Participants can ask to remove their certificate from its page.{' '}
        {event.removalCheck
          ? `One who gives ${removalCheckLabel(event.removalCheck)} as you have it removes it at once; the others wait for you here.`
          : 'Without a check, every request waits for you here.'}{' '}
        <a href={paths.removalCheck}>Choose the check</a>
      </p>
      {pending.length === 0 ? (
        <p class="muted">No requests are waiting.</p>
      ) : (
        <table>
          <tbody>
            {pending.map((r) => (
              <tr>
                <td>{r.bib}</td>
                <td>
                  {r.name} {r.hidden && <span class="badge">hidden</span>}
                </td>
                <td class="muted">
                  {r.createdAt.toISOString().slice(0, 10)}
                  {r.wrongAnswers >= MAX_REMOVAL_ANSWERS
                    ? `, after ${MAX_REMOVAL_ANSWERS} wrong answers to the check`
                    : ''}
                </td>
                <td>
                  <PostButton action={paths.removalRequest(r.id)} fields={{ decision: 'accept' }}>
                    Accept
                  </PostButton>{' '}
                  <PostButton action={paths.removalRequest(r.id)} fields={{ decision: 'refuse' }}>
                    Refuse
                  </PostButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RemovalCheckForm({ event, options, error }: { event: Event; options: RemovalCheckOption[]; error?: string }) {
  return (
    <>
      <h1>Removal check for {event.name}</h1>
      <form method="post" action={eventPaths(event).removalCheck} class="card">
        <ErrorNote message={error} />
        <Csrf />
        <p>
          A participant who asks to remove their certificate is asked for this. The right answer removes it at once;
          after {MAX_REMOVAL_ANSWERS} wrong answers, or without a check, the request waits for you on the Records tab.
          Choose something only the participant and you know, such as their email or year of birth: names, bibs and
          times are public.
        </p>
        <label for="check">Check</label>
        <select id="check" name="check">
          <option value="" selected={!event.removalCheck}>
            No check: I decide on every request
          </option>
          {options.map((o) => (
            <option value={o.value} selected={event.removalCheck === o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <p>
          <button type="submit">Save</button>
        </p>
      </form>
      <p>
        <a href={eventPaths(event).records()}>← Back to the records</a>
      </p>
    </>
  );
}

const fromSetup = (from: string | undefined): Next => (from === 'setup' ? 'setup' : undefined);

// Anything but a page number (1e308, -3, x) is the first page.
const pageSchema = recordPageSchema.catch(1);

/** Where on the Records tab a request came from (`?q=` or `?page=`), to return there. */
function placeOf(c: Context<EventEnv>): RecordsPlace {
  const q = (c.req.query('q') ?? '').trim().slice(0, 200);
  const page = pageSchema.parse(c.req.query('page'));
  return q ? { q } : page > 1 ? { page } : {};
}

/** The event's record named in the path; another event's record is a 404. */
const recordOf = (c: Context<EventEnv>) => findEventRecord(c.var.db, c.var.event.id, Number(c.req.param('recordId')));

export const recordPages = new Hono<EventEnv>()
  .get('/records', async (c) => {
    const { event, db } = c.var;
    const paths = eventPaths(event);
    const place = placeOf(c);
    const query = place.q ?? '';
    const page = place.page ?? 1;
    const [status, held, removed, requests] = await Promise.all([
      eventStatus(db, event),
      findHeldImport(db, event.id),
      listRemovedRecords(db, event.id),
      pendingRemovalRequests(db, event.id),
    ]);
    const found = query
      ? {
          rows: (await searchRecords(db, event.id, query, { includeHidden: true, limit: 100 })).records,
          total: undefined,
        }
      : await listRecords(db, event.id, page, PAGE_SIZE);
    const pages = found.total === undefined ? 1 : Math.max(1, Math.ceil(found.total / PAGE_SIZE));
    // Past the last page (its last record was just deleted): the last page.
    if (page > pages) return c.redirect(paths.records({ notice: c.req.query('notice'), page: pages }), 303);
    return c.render(
      <>
        <EventTabs event={event} status={status} current={status.setupComplete ? 'records' : 'setup'} />
        <Notice message={notices[c.req.query('notice') ?? '']} />
        {held?.heldRemovals && <HeldRemovalsNote event={event} importId={held.id} held={held.heldRemovals} />}
        <div class="actions">
          <a class="button" href={paths.newRecord()}>
            Add a record
          </a>
          <a class="button secondary" href={paths.recordsCsv}>
            Export CSV
          </a>
          <a class="button secondary" href={paths.photos}>
            Photos
          </a>
        </div>
        <ImportForm event={event} />
        <form class="search card" method="get" action={paths.records()}>
          <input name="q" type="search" value={query} placeholder="Bib or name" aria-label="Search records" />
          <button type="submit">Search</button>
        </form>
        <div class="card table">
          <p class="muted">
            {found.total === undefined
              ? `${count(found.rows.length, 'record')} matching “${query}”`
              : count(found.total, 'record')}
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
                    <a href={paths.record(r.id, place).edit}>Edit</a>{' '}
                    <PostButton
                      action={paths.record(r.id, place).visibility}
                      fields={{ hidden: r.hidden ? 'false' : 'true' }}
                    >
                      {r.hidden ? 'Show' : 'Hide'}
                    </PostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={page} pages={pages} href={(p) => paths.records({ page: p })} />
        </div>
        <RemovedRecords event={event} removed={removed} />
        <RemovalRequests event={event} pending={requests} />
      </>,
      { title: `Records · ${event.name}` },
    );
  })
  .get('/records.csv', async (c) => {
    const { event } = c.var;
    const origin = linkOrigin(c.env.PUBLIC_URL, c.req.url);
    const csv = recordsCsv(await allRecords(c.var.db, event.id), (r) =>
      absoluteUrl(origin, portalPaths.certificate(event.slug, r.certificateId)),
    );
    return c.body(`\uFEFF${csv}`, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${event.slug}-records.csv"`,
    });
  })
  .get('/records/new', (c) =>
    c.render(<NewRecord event={c.var.event} values={{ status: 'finished' }} from={fromSetup(c.req.query('from'))} />, {
      title: 'Add a record',
    }),
  )
  .post('/records', async (c) => {
    const { event } = c.var;
    const from = fromSetup(c.req.query('from'));
    const body = await c.req.parseBody();
    const input = recordFormSchema.safeParse(body);
    const refuse = (error: string, status: 400 | 409) => {
      c.status(status);
      return c.render(<NewRecord event={event} values={body} error={error} from={from} />, { title: 'Add a record' });
    };
    if (!input.success) return refuse(input.error.issues[0]!.message, 400);
    const clash = await recordClash(c.var.db, event.id, input.data);
    if (clash) return refuse(clash, 409);
    await addRecord(c.var.db, event.id, input.data);
    return c.redirect(from ? eventPaths(event).setup : eventPaths(event).records({ notice: 'added' }), 303);
  })
  .get('/records/:recordId/edit', async (c) => {
    const record = await recordOf(c);
    if (!record) return c.notFound();
    return c.render(<EditRecord event={c.var.event} record={record} values={record} from={placeOf(c)} />, {
      title: `Edit ${record.name}`,
    });
  })
  .post('/records/:recordId/edit', async (c) => {
    const { event } = c.var;
    const record = await recordOf(c);
    if (!record) return c.notFound();
    const from = placeOf(c);
    const body = await c.req.parseBody();
    const input = recordFormSchema.safeParse(body);
    const refuse = (error: string, status: 400 | 409) => {
      c.status(status);
      return c.render(<EditRecord event={event} record={record} values={body} error={error} from={from} />, {
        title: `Edit ${record.name}`,
      });
    };
    if (body['version'] !== undefined && Number(body['version']) !== record.updatedAt.getTime()) {
      // Someone (an import, another tab) changed it since the form was opened: show what is there now.
      c.status(409);
      return c.render(
        <EditRecord
          event={event}
          record={record}
          values={record}
          error="This record changed while you were editing it, so your changes were not saved. Here it is as it is now: make your changes again."
          from={from}
        />,
        { title: `Edit ${record.name}` },
      );
    }
    if (!input.success) return refuse(input.error.issues[0]!.message, 400);
    const clash = await recordClash(c.var.db, event.id, input.data, record);
    if (clash) return refuse(clash, 409);
    await updateRecord(c.var.db, record, input.data);
    return c.redirect(eventPaths(event).records({ notice: 'saved', ...from }), 303);
  })
  .post('/records/:recordId/use-file', async (c) => {
    const record = await recordOf(c);
    if (!record) return c.notFound();
    const field = (await c.req.parseBody())['field'];
    await useFileValues(c.var.db, record, typeof field === 'string' ? [field] : undefined);
    return c.redirect(eventPaths(c.var.event).record(record.id, placeOf(c)).edit, 303);
  })
  .get('/records/:recordId/delete', async (c) => {
    const record = await recordOf(c);
    if (!record) return c.notFound();
    return c.render(<DeleteRecord event={c.var.event} record={record} from={placeOf(c)} />, {
      title: `Delete ${record.name}`,
    });
  })
  .post('/records/:recordId/delete', async (c) => {
    const record = await recordOf(c);
    if (!record) return c.notFound();
    await deleteRecord(c.var.db, record);
    return c.redirect(eventPaths(c.var.event).records({ notice: 'deleted', ...placeOf(c) }), 303);
  })
  .post('/records/removed/:removedId{[0-9]+}/restore', async (c) => {
    const { event, db } = c.var;
    const removed = await findRemovedRecord(db, event.id, Number(c.req.param('removedId')));
    if (!removed) throw new HTTPException(404, { message: 'That record can no longer be restored.' });
    const restorable = await restorableInput(db, removed);
    if (typeof restorable === 'string') throw new HTTPException(409, { message: restorable });
    await addRecord(db, event.id, restorable.input, restorable.key);
    return c.redirect(eventPaths(event).records({ notice: 'restored' }), 303);
  })
  .post('/removals/:importId{[0-9]+}/confirm', async (c) => {
    const removed = await confirmHeldRemovals(c.var.db, c.var.event.id, Number(c.req.param('importId')));
    if (removed === undefined) throw new HTTPException(404, { message: 'There is nothing waiting to be removed.' });
    return c.redirect(eventPaths(c.var.event).records({ notice: 'removed' }), 303);
  })
  .get('/removal-check', async (c) => {
    const { event, db } = c.var;
    return c.render(<RemovalCheckForm event={event} options={await removalCheckOptions(db, event.id)} />, {
      title: `Removal check · ${event.name}`,
    });
  })
  .post('/removal-check', async (c) => {
    const { event, db } = c.var;
    const input = removalCheckFormSchema.safeParse(await readableForm(c));
    const error = input.success ? await setRemovalCheck(db, event, input.data.check) : input.error.issues[0]!.message;
    if (error) {
      c.status(400);
      return c.render(
        <RemovalCheckForm event={event} options={await removalCheckOptions(db, event.id)} error={error} />,
        {
          title: `Removal check · ${event.name}`,
        },
      );
    }
    return c.redirect(eventPaths(event).records({ notice: 'check-saved' }), 303);
  })
  .post('/removal-requests/:requestId{[0-9]+}', async (c) => {
    const { event, db } = c.var;
    const requestId = Number(c.req.param('requestId'));
    // Another event's request is not found, whatever the form says.
    if (!(await hasRemovalRequest(db, event.id, requestId))) return c.notFound();
    const input = removalDecisionSchema.safeParse(await readableForm(c));
    if (!input.success) throw new HTTPException(400, { message: 'Accept or refuse the request.' });
    const { decision } = input.data;
    if (!(await decideRemovalRequest(db, event.id, requestId, decision)))
      throw new HTTPException(404, { message: 'That request has been decided already.' });
    return c.redirect(
      eventPaths(event).records({ notice: decision === 'accept' ? 'request-accepted' : 'request-refused' }),
      303,
    );
  })
  .post('/records/:recordId/visibility', async (c) => {
    const record = await recordOf(c);
    if (!record) return c.notFound();
    const hidden = (await c.req.parseBody())['hidden'] === 'true';
    await setRecordHidden(c.var.db, record.id, hidden);
    return c.redirect(eventPaths(c.var.event).records({ notice: hidden ? 'hidden' : 'shown', ...placeOf(c) }), 303);
  });
