import { Hono } from 'hono';
import type { EventEnv } from '../env';
import { eventStatus } from '../events/status';
import { eventPaths } from '../paths';
import { listEventSources } from '../sources/queries';
import { TemplateGallery } from './certificate';
import { ImportForm } from './imports';
import { EventTabs } from './layout';
import { PullSourcesCard, SourceForm } from './sources';

/**
 * The setup wizard: connect a source, pick a template, add records (pulled now from a URL source,
 * uploaded, or typed in). The step shown is the first one not done, so an organiser who leaves and
 * comes back resumes where they stopped.
 */
export const setupPages = new Hono<EventEnv>().get('/setup', async (c) => {
  const { event } = c.var;
  const paths = eventPaths(event);
  const status = await eventStatus(c.var.db, event);
  const steps = [
    { title: 'Connect a source', done: status.sources > 0 },
    { title: 'Pick a certificate template', done: status.templates > 0 },
    { title: 'Add records', done: status.records.total > 0 },
  ];
  const current = steps.findIndex((s) => !s.done);
  const pulled = current === 2 ? (await listEventSources(c.var.db, event.id)).filter((s) => s.kind === 'url') : [];
  return c.render(
    <>
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
          Setup is complete. Check the <a href={paths.records()}>records</a>, then <a href={paths.publish}>publish</a>.
        </p>
      )}
      {current === 0 && <SourceForm event={event} next="setup" />}
      {current === 1 && <TemplateGallery event={event} next="setup" />}
      {current === 2 && (
        <>
          {pulled.length > 0 && <PullSourcesCard event={event} sources={pulled} />}
          <ImportForm event={event} />
          <p>
            Or <a href={paths.newRecord('setup')}>add a record by hand</a>.
          </p>
        </>
      )}
    </>,
    { title: `Setup · ${event.name}` },
  );
});
