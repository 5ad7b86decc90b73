import { and, desc, eq, ne } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { eventStatus, type EventStatus } from '../db/event-status';
import { events, type Event } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { slugPattern } from '../portal/params';
import { ownEvent } from './guard';
import { AdminPage, Csrf, ErrorNote, EventTabs } from './layout';

/** Event fields as an organiser types them; the same rules serve the admin form and the API. */
export const eventInputSchema = z.object({
  name: z.string().trim().min(1, 'Give the event a name.').max(120),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(slugPattern, 'Use lower-case letters, digits and dashes for the address, e.g. city-marathon-2026.'),
  date: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'Use a date like 2026-04-19.')
    .optional()
    .transform((d) => d || null),
  location: z
    .string()
    .trim()
    .max(120)
    .optional()
    .transform((l) => l || null),
});
export type EventInput = z.infer<typeof eventInputSchema>;

export async function slugTaken(c: { var: OrganiserEnv['Variables'] }, slug: string, exceptId?: number) {
  const clash = await c.var.db.query.events.findFirst({
    where: exceptId ? and(eq(events.slug, slug), ne(events.id, exceptId)) : eq(events.slug, slug),
  });
  return Boolean(clash);
}

function EventForm({ action, values, error, csrfToken, submit }: { action: string; values: Partial<Record<keyof EventInput, string | null>>; error?: string; csrfToken: string; submit: string }) {
  return (
    <form method="post" action={action} class="card">
      <ErrorNote message={error} />
      <Csrf token={csrfToken} />
      <label for="name">Name</label>
      <input id="name" name="name" required maxlength={120} value={values.name ?? ''} />
      <label for="slug">Address</label>
      <span class="muted">/events/</span>
      <input id="slug" name="slug" required maxlength={80} pattern="[a-z0-9][a-z0-9\-]*" value={values.slug ?? ''} />
      <label for="date">Date</label>
      <input id="date" name="date" type="date" value={values.date ?? ''} />
      <label for="location">Location</label>
      <input id="location" name="location" maxlength={120} value={values.location ?? ''} />
      <p>
        <button type="submit">{submit}</button>
      </p>
    </form>
  );
}

const firstIssue = (error: z.ZodError) => error.issues[0]?.message ?? 'Check the fields.';

function Overview({ event, status }: { event: Event; status: EventStatus }) {
  const { records } = status;
  const publish = status.lastPublish;
  return (
    <div class="grid">
      <div class="card">
        <h2>Source</h2>
        <p>{status.sources === 0 ? 'No data source yet.' : `${status.sources} data source${status.sources > 1 ? 's' : ''}.`}</p>
      </div>
      <div class="card">
        <h2>Template</h2>
        <p>{status.templates === 0 ? 'No certificate template yet.' : `${status.templates} template${status.templates > 1 ? 's' : ''}.`}</p>
      </div>
      <div class="card">
        <h2>Records</h2>
        <p>
          {records.total} records: {records.finished} finished, {records.dnf} DNF, {records.dns} DNS, {records.dsq} DSQ
          {records.hidden > 0 && `, ${records.hidden} hidden`}.
        </p>
        <p class="muted">
          {status.lastImport
            ? `Last import ${status.lastImport.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${status.lastImport.added} added, ${status.lastImport.updated} updated, ${status.lastImport.unchanged} unchanged, ${status.lastImport.removed} removed, ${status.lastImport.rejected} rejected.`
            : 'Nothing imported yet.'}
        </p>
      </div>
      <div class="card">
        <h2>Publish</h2>
        <p>
          {event.published ? (
            <>
              Published: participants find it at <a href={`/events/${event.slug}`}>/events/{event.slug}</a>.
            </>
          ) : (
            'Not published: participants cannot find this event.'
          )}
        </p>
        {publish && (
          <p class="muted">
            Last publish: {publish.done} of {publish.total} certificates ready{publish.failed > 0 && `, ${publish.failed} failed`}.
          </p>
        )}
      </div>
    </div>
  );
}

/** The organiser's events: list, create, edit, and each event's overview. */
export const eventPages = new Hono<OrganiserEnv>()
  .get('/', async (c) => {
    const mine = await c.var.db.select().from(events).where(eq(events.organiserId, c.var.organiser.id)).orderBy(desc(events.date), desc(events.id));
    return c.html(
      <AdminPage title="Events" organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <h1>Your events</h1>
        <p>
          <a class="button" href="/admin/events/new">
            New event
          </a>
        </p>
        <div class="card">
          {mine.length === 0 ? (
            <p class="muted">No events yet. Create one to import results and design its certificate.</p>
          ) : (
            <ul class="plain">
              {mine.map((e) => (
                <li>
                  <a href={`/admin/events/${e.id}`}>
                    <strong>{e.name}</strong>
                    <span class="muted">
                      {[e.date, e.location].filter(Boolean).join(' · ')} {e.published ? <span class="badge">published</span> : <span class="badge">draft</span>}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      </AdminPage>,
    );
  })
  .get('/events/new', (c) =>
    c.html(
      <AdminPage title="New event" organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <h1>New event</h1>
        <EventForm action="/admin/events" values={{}} csrfToken={c.var.csrfToken} submit="Create event" />
      </AdminPage>,
    ),
  )
  .post('/events', async (c) => {
    const body = await c.req.parseBody();
    const input = eventInputSchema.safeParse(body);
    const render = (error: string, status: 400 | 409) =>
      c.html(
        <AdminPage title="New event" organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
          <h1>New event</h1>
          <EventForm action="/admin/events" values={body as Record<string, string>} error={error} csrfToken={c.var.csrfToken} submit="Create event" />
        </AdminPage>,
        status,
      );
    if (!input.success) return render(firstIssue(input.error), 400);
    if (await slugTaken(c, input.data.slug)) return render(`The address “${input.data.slug}” is taken. Choose another.`, 409);
    const [event] = await c.var.db.insert(events).values({ ...input.data, organiserId: c.var.organiser.id }).returning();
    return c.redirect(`/admin/events/${event!.id}/setup`, 303);
  })
  .get('/events/:eventId', async (c) => {
    const event = await ownEvent(c);
    const status = await eventStatus(c.var.db, event);
    return c.html(
      <AdminPage title={event.name} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <EventTabs event={event} status={status} current="overview" />
        {!status.setupComplete && (
          <p class="notice">
            Finish <a href={`/admin/events/${event.id}/setup`}>setup</a>: a source, a certificate template and at least one record.
          </p>
        )}
        <Overview event={event} status={status} />
        <p>
          <a href={`/admin/events/${event.id}/edit`}>Edit name, date, location or address</a>
        </p>
      </AdminPage>,
    );
  })
  .get('/events/:eventId/edit', async (c) => {
    const event = await ownEvent(c);
    return c.html(
      <AdminPage title={`Edit ${event.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <h1>Edit event</h1>
        <EventForm action={`/admin/events/${event.id}/edit`} values={event} csrfToken={c.var.csrfToken} submit="Save" />
      </AdminPage>,
    );
  })
  .post('/events/:eventId/edit', async (c) => {
    const event = await ownEvent(c);
    const body = await c.req.parseBody();
    const input = eventInputSchema.safeParse(body);
    const render = (error: string, status: 400 | 409) =>
      c.html(
        <AdminPage title={`Edit ${event.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
          <h1>Edit event</h1>
          <EventForm action={`/admin/events/${event.id}/edit`} values={body as Record<string, string>} error={error} csrfToken={c.var.csrfToken} submit="Save" />
        </AdminPage>,
        status,
      );
    if (!input.success) return render(firstIssue(input.error), 400);
    if (await slugTaken(c, input.data.slug, event.id)) return render(`The address “${input.data.slug}” is taken. Choose another.`, 409);
    await c.var.db.update(events).set(input.data).where(eq(events.id, event.id));
    return c.redirect(`/admin/events/${event.id}`, 303);
  });
