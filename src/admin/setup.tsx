import { Hono } from 'hono';
import { eventStatus } from '../db/event-status';
import type { OrganiserEnv } from '../env';
import { TemplateGallery } from './certificate';
import { ownEvent } from './guard';
import { ImportForm } from './imports';
import { AdminPage, EventTabs } from './layout';
import { SourceForm } from './sources';

/**
 * The setup wizard: connect a source, pick a template, add records. The step shown is the first
 * one not done, so an organiser who leaves and comes back resumes where they stopped.
 */
export const setupPages = new Hono<OrganiserEnv>().get('/events/:eventId/setup', async (c) => {
  const event = await ownEvent(c);
  const status = await eventStatus(c.var.db, event);
  const steps = [
    { title: 'Connect a source', done: status.sources > 0 },
    { title: 'Pick a certificate template', done: status.templates > 0 },
    { title: 'Add records', done: status.records.total > 0 },
  ];
  const current = steps.findIndex((s) => !s.done);
  return c.html(
    <AdminPage title={`Setup · ${event.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
      <EventTabs event={event} status={status} current="setup" />
      <ol class="card" aria-label="Setup steps">
        {steps.map((s, i) => (
          <li aria-current={i === current ? 'step' : undefined}>
            {s.done ? '✓ ' : ''}
            {i === current ? <strong>{s.title}</strong> : s.title}
          </li>
        ))}
      </ol>
      {current === -1 && (
        <p class="notice">
          Setup is complete. Check the <a href={`/admin/events/${event.id}/records`}>records</a>, then{' '}
          <a href={`/admin/events/${event.id}/publish`}>publish</a>.
        </p>
      )}
      {current === 0 && <SourceForm event={event} csrfToken={c.var.csrfToken} next="setup" />}
      {current === 1 && <TemplateGallery event={event} csrfToken={c.var.csrfToken} next="setup" />}
      {current === 2 && (
        <>
          <ImportForm event={event} csrfToken={c.var.csrfToken} />
          <p>
            Or <a href={`/admin/events/${event.id}/records/new`}>add a record by hand</a>.
          </p>
        </>
      )}
    </AdminPage>,
  );
});
