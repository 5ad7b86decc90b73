import { Hono } from 'hono';
import { raw } from 'hono/html';
import { useRequestContext } from 'hono/jsx-renderer';
import type { z } from 'zod';
import type { Event } from '../db/schema';
import type { EventEnv, OrganiserEnv } from '../env';
import { createEvent, formerSlugsOf, listOrganiserEvents, slugClaim, updateEvent } from '../events/queries';
import { eventInputSchema, type EventInput } from '../events/rules';
import { eventStatus, type EventStatus } from '../events/status';
import { adminPaths, eventPaths, portalPaths } from '../paths';
import { count } from './count';
import slugScript from './event-slug.client.js';
import { Csrf, ErrorNote, EventTabs, LanguageInput } from './layout';
import { WhatHappened } from './stats';
import { eventActivity } from '../stats/queries';

type EventFormValues = Partial<Record<keyof EventInput, string | null>>;

function EventForm({
  action,
  values,
  error,
  submit,
  formerSlugs,
}: {
  action: string;
  values: EventFormValues;
  error?: string;
  submit: string;
  /**
   * An existing event's earlier addresses, which redirect to its current one. Left out for a new
   * event, whose address is suggested from its name as it is typed.
   */
  formerSlugs?: string[];
}) {
  const suggesting = formerSlugs === undefined;
  return (
    <form method="post" action={action} class="card">
      <ErrorNote message={error} />
      <Csrf />
      <label for="name">Name</label>
      <input id="name" name="name" required maxlength={120} value={values.name ?? ''} />
      <label for="slug">Address</label>
      <span class="muted">/events/</span>
      <input
        id="slug"
        name="slug"
        required
        maxlength={80}
        pattern="[a-z0-9][a-z0-9\-]*"
        aria-describedby="slug-hint"
        data-suggest-from={suggesting ? 'name' : undefined}
        value={values.slug ?? ''}
      />
      <p id="slug-hint" class="muted">
        {suggesting ? (
          'Lower-case letters, digits and dashes, e.g. city-marathon-2026: participants share links with it.'
        ) : (
          <>
            The old address will keep working and redirect here, and no other organiser can take it.
            {formerSlugs.length > 0 && (
              <>
                {' '}
                {formerSlugs.length === 1 ? 'An earlier address redirects here: ' : 'Earlier addresses redirect here: '}
                {formerSlugs.map((slug, i) => (
                  <>
                    {i > 0 && ', '}
                    <code>{portalPaths.event(slug)}</code>
                  </>
                ))}
                .
              </>
            )}
          </>
        )}
      </p>
      <label for="date">Date</label>
      <input id="date" name="date" type="date" value={values.date ?? ''} />
      <label for="location">Location</label>
      <input id="location" name="location" maxlength={120} value={values.location ?? ''} />
      <label for="language">Participants’ language</label>
      <LanguageInput
        value={values.language}
        hint="Optional. Names in a script several languages share are drawn in this language’s letterforms: kanji names in Japanese forms for ja, not Chinese ones. A results column can set it per participant."
      />
      <p>
        <button type="submit">{submit}</button>
      </p>
      {suggesting && <script nonce={nonce()}>{raw(slugScript)}</script>}
    </form>
  );
}

const nonce = () => useRequestContext<OrganiserEnv>().get('secureHeadersNonce');
const firstIssue = (error: z.ZodError) => error.issues[0]?.message ?? 'Check the fields.';
/** Why an address cannot be had: another event has it, or another organiser's event had it and still redirects. */
const slugRefusal = (slug: string, claim: 'taken' | 'reserved') =>
  claim === 'taken'
    ? `The address “${slug}” is taken. Choose another.`
    : `The address “${slug}” belonged to another organiser’s event and still leads there. Choose another.`;

function Overview({ event, status }: { event: Event; status: EventStatus }) {
  const { records } = status;
  const publish = status.lastPublish;
  const last = status.lastImport;
  return (
    <div class="grid">
      <div class="card">
        <h2>Source</h2>
        <p>{status.sources === 0 ? 'No data source yet.' : `${count(status.sources, 'data source')}.`}</p>
      </div>
      <div class="card">
        <h2>Template</h2>
        <p>{status.templates === 0 ? 'No certificate template yet.' : `${count(status.templates, 'template')}.`}</p>
      </div>
      <div class="card">
        <h2>Records</h2>
        <p>
          {count(records.total, 'record')}: {records.finished} finished, {records.dnf} DNF, {records.dns} DNS,{' '}
          {records.dsq} DSQ
          {records.hidden > 0 && `, ${records.hidden} hidden`}.
        </p>
        <p class="muted">
          {last
            ? `Last import ${last.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${last.added} added, ${last.updated} updated, ${last.unchanged} unchanged, ${last.removed} removed, ${last.rejected} rejected.`
            : 'Nothing imported yet.'}
        </p>
      </div>
      <div class="card">
        <h2>Publish</h2>
        <p>
          {event.published ? (
            <>
              Published: participants find it at{' '}
              <a href={portalPaths.event(event.slug)}>{portalPaths.event(event.slug)}</a>.
            </>
          ) : (
            'Not published: participants cannot find this event.'
          )}
        </p>
        {publish && (
          <p class="muted">
            Last publish: {publish.done} of {count(publish.total, 'certificate')} ready
            {publish.failed > 0 && `, ${publish.failed} failed`}.
          </p>
        )}
      </div>
    </div>
  );
}

/** The organiser's events: the list, and a new one. */
export const eventListPages = new Hono<OrganiserEnv>()
  .get('/', async (c) => {
    const mine = await listOrganiserEvents(c.var.db, c.var.organiser.id);
    return c.render(
      <>
        <h1>Your events</h1>
        <p>
          <a class="button" href={adminPaths.newEvent}>
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
                  <a href={eventPaths(e).overview}>
                    <strong>{e.name}</strong>
                    <span class="muted">
                      {[e.date, e.location].filter(Boolean).join(' · ')}{' '}
                      {e.published ? <span class="badge">published</span> : <span class="badge">draft</span>}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      </>,
      { title: 'Events' },
    );
  })
  .get('/events/new', (c) =>
    c.render(
      <>
        <h1>New event</h1>
        <EventForm action={adminPaths.events} values={{}} submit="Create event" />
      </>,
      { title: 'New event' },
    ),
  )
  .post('/events', async (c) => {
    const body = await c.req.parseBody();
    const input = eventInputSchema.safeParse(body);
    const refuse = (error: string, status: 400 | 409) => {
      c.status(status);
      return c.render(
        <>
          <h1>New event</h1>
          <EventForm action={adminPaths.events} values={body as EventFormValues} error={error} submit="Create event" />
        </>,
        { title: 'New event' },
      );
    };
    if (!input.success) return refuse(firstIssue(input.error), 400);
    const claim = await slugClaim(c.var.db, c.var.organiser.id, input.data.slug);
    if (claim !== 'free') return refuse(slugRefusal(input.data.slug, claim), 409);
    const event = await createEvent(c.var.db, c.var.organiser.id, input.data);
    return c.redirect(eventPaths(event).setup, 303);
  });

/** One event's overview, and its name, date, location and address. */
export const eventPages = new Hono<EventEnv>()
  .get('/', async (c) => {
    const { event } = c.var;
    const [status, activity] = await Promise.all([eventStatus(c.var.db, event), eventActivity(c.var.db, event)]);
    return c.render(
      <>
        <EventTabs event={event} status={status} current="overview" />
        {!status.setupComplete && (
          <p class="notice">
            Finish <a href={eventPaths(event).setup}>setup</a>: a source, a certificate template and at least one
            record.
          </p>
        )}
        <Overview event={event} status={status} />
        <WhatHappened activity={activity} />
        <p>
          <a href={eventPaths(event).edit}>Edit name, date, location, language or address</a>
          {' · '}
          <a href={eventPaths(event).branding()}>Logo, colours and your own hostname</a>
        </p>
      </>,
      { title: event.name },
    );
  })
  .get('/edit', async (c) => {
    const { event } = c.var;
    const formerSlugs = await formerSlugsOf(c.var.db, event.id);
    return c.render(
      <>
        <h1>Edit event</h1>
        <EventForm action={eventPaths(event).edit} values={event} submit="Save" formerSlugs={formerSlugs} />
      </>,
      { title: `Edit ${event.name}` },
    );
  })
  .post('/edit', async (c) => {
    const { event } = c.var;
    const body = await c.req.parseBody();
    const input = eventInputSchema.safeParse(body);
    const refuse = async (error: string, status: 400 | 409) => {
      c.status(status);
      const formerSlugs = await formerSlugsOf(c.var.db, event.id);
      return c.render(
        <>
          <h1>Edit event</h1>
          <EventForm
            action={eventPaths(event).edit}
            values={body as EventFormValues}
            error={error}
            submit="Save"
            formerSlugs={formerSlugs}
          />
        </>,
        { title: `Edit ${event.name}` },
      );
    };
    if (!input.success) return refuse(firstIssue(input.error), 400);
    const claim = await slugClaim(c.var.db, c.var.organiser.id, input.data.slug, event.id);
    if (claim !== 'free') return refuse(slugRefusal(input.data.slug, claim), 409);
    await updateEvent(c.var.db, event, input.data);
    return c.redirect(eventPaths(event).overview, 303);
  });
