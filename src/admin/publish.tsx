import { Hono } from 'hono';
import { raw } from 'hono/html';
import { findEventTemplate } from '../certificates/templates';
import type { EventEnv } from '../env';
import { eventStatus } from '../events/status';
import { eventPaths, linkOrigin, portalPaths } from '../paths';
import {
  changesSinceLastPublish,
  latestPublishRun,
  publishEvent,
  publishFailureList,
  publishFinished,
  publishPlaceholderList,
  publishStalled,
  resumePublish,
  unpublishEvent,
} from '../publish/publish';
import { liveProgress, publishProgress, type LiveProgress } from '../publish/progress';
import { count } from './count';
import progressScript from './publish-progress.client.js';
import { DistributeCard } from './distribute';
import { Csrf, EventTabs } from './layout';

const utcTime = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

/** A published event is live: what its imports queued last, and what is still being rendered. */
const LiveCard = ({ live }: { live: LiveProgress }) => (
  <div class="card">
    <h2>Live</h2>
    <p>Results imported while the event is published get their certificates at once.</p>
    <p>
      {live.updatedAt
        ? `Last update ${utcTime(live.updatedAt)}: ${count(live.certificates, 'certificate')}.`
        : 'No results have arrived since publishing.'}{' '}
      {live.backlog > 0
        ? `${count(live.backlog, 'certificate')} waiting to be prepared.`
        : 'All certificates are ready.'}
    </p>
    {live.stalled && (
      <p class="error" role="alert">
        Some have not moved for two minutes. Publish again to prepare every certificate.
      </p>
    )}
  </div>
);

export const publishPages = new Hono<EventEnv>()
  .get('/publish', async (c) => {
    const { event, db } = c.var;
    const paths = eventPaths(event);
    const [status, run, template] = await Promise.all([
      eventStatus(db, event),
      latestPublishRun(db, event.id),
      findEventTemplate(db, event.id, event.templateId),
    ]);
    const [changes, failures, placeholders, live] = await Promise.all([
      changesSinceLastPublish(db, event, run),
      // Live renders after the publish may have failed too, and any certificate may have placeholders.
      run ? publishFailureList(db, run) : [],
      run ? publishPlaceholderList(db, run) : [],
      event.published ? liveProgress(db, event.id, run) : undefined,
    ]);
    const stalled = run && publishStalled(run);
    // A stalled run waits for the organiser, so the page stops refreshing itself.
    const running = run && !publishFinished(run) && !stalled;
    return c.render(
      <>
        <EventTabs event={event} status={status} current="publish" />
        <div class="card">
          <h2>What will be published</h2>
          <ul>
            <li>
              Template:{' '}
              {template
                ? `${template.name} (version ${template.version})`
                : 'none yet: pick one in the Certificate tab'}
            </li>
            <li>
              {count(status.records.total - status.records.hidden, 'certificate')} for visible records (
              {status.records.finished} finished, {status.records.dnf + status.records.dns + status.records.dsq}{' '}
              DNF/DNS/DSQ), {count(status.records.hidden, 'hidden record')} left out
            </li>
          </ul>
          {changes && (
            <p>
              Since the last publish: {count(changes.changedRecords, 'record')} changed
              {changes.templateChanged ? ', and the template changed' : ', template unchanged'}.
              {(changes.changedRecords > 0 || changes.templateChanged) &&
                ' Publish again to refresh those certificates.'}
            </p>
          )}
          <p>
            {event.published ? (
              <>
                Participants can find this event at{' '}
                <a href={portalPaths.event(event.slug)}>{portalPaths.event(event.slug)}</a>.
              </>
            ) : (
              'Participants cannot find this event yet.'
            )}
          </p>
          <div class="actions">
            <form method="post" action={paths.publish}>
              <Csrf />
              <button type="submit" disabled={!template}>
                {event.published ? 'Publish again' : 'Publish'}
              </button>
            </form>
            {event.published && (
              <form method="post" action={paths.unpublish}>
                <Csrf />
                <button type="submit" class="secondary">
                  Unpublish
                </button>
              </form>
            )}
          </div>
        </div>
        {live && <LiveCard live={live} />}
        <div class="card">
          <h2>Downloads</h2>
          <p>
            All published certificates as ZIP files, or one PDF to print: <a href={paths.downloads}>Downloads</a>.
          </p>
        </div>
        <DistributeCard event={event} origin={linkOrigin(c.env.PUBLIC_URL, c.req.url)} />
        {run && (
          <div class="card" data-progress={running ? paths.publishProgress : undefined}>
            <h2>{running ? 'Preparing certificates…' : 'Last publish'}</h2>
            <progress max={run.total} value={run.done + run.failed} />
            <p>
              <output>
                {run.done} of {run.total} ready{run.failed > 0 && `, ${run.failed} failed`}
              </output>
            </p>
            {stalled && (
              <form method="post" action={paths.resumePublish}>
                <p class="error" role="alert">
                  {run.queued < run.total && run.queued <= run.done + run.failed
                    ? `Preparing stopped after queueing ${run.queued} of ${count(run.total, 'certificate')}.`
                    : `Preparing stopped at ${run.done + run.failed} of ${run.total}: no certificate has been ready for two minutes.`}
                </p>
                <Csrf />
                <button type="submit">Resume</button>
              </form>
            )}
            {failures.length > 0 && (
              <>
                <h3>Certificates that could not be prepared</h3>
                <p>Participants still get these when they open them; fix the record or the design and publish again.</p>
                <table>
                  <thead>
                    <tr>
                      <th>Bib</th>
                      <th>Name</th>
                      <th>Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {failures.map((f) => (
                      <tr>
                        <td>{f.bib}</td>
                        <td>{f.name}</td>
                        <td>{f.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
            {placeholders.length > 0 && (
              <>
                <h3>Names drawn with a placeholder</h3>
                <p>
                  No font has these characters; the certificate shows a box in their place. Check the spelling in the
                  record.
                </p>
                <table>
                  <thead>
                    <tr>
                      <th>Bib</th>
                      <th>Name</th>
                      <th>Characters</th>
                    </tr>
                  </thead>
                  <tbody>
                    {placeholders.map((p) => (
                      <tr>
                        <td>{p.bib}</td>
                        <td>{p.name}</td>
                        <td>{p.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
        )}
        {running && <script nonce={c.get('secureHeadersNonce')}>{raw(progressScript)}</script>}
      </>,
      { title: `Publish ${event.name}`, head: running ? <meta http-equiv="refresh" content="5" /> : undefined },
    );
  })
  .get('/publish/progress', async (c) => c.json(await publishProgress(c.var.db, c.var.event)))
  .post('/publish', async (c) => {
    await publishEvent(c.var.db, c.env.RENDER_QUEUE, c.var.event);
    return c.redirect(eventPaths(c.var.event).publish, 303);
  })
  .post('/publish/resume', async (c) => {
    const run = await latestPublishRun(c.var.db, c.var.event.id);
    if (run && publishStalled(run)) await resumePublish(c.var.db, c.env.RENDER_QUEUE, run);
    return c.redirect(eventPaths(c.var.event).publish, 303);
  })
  .post('/unpublish', async (c) => {
    await unpublishEvent(c.var.db, c.var.event);
    return c.redirect(eventPaths(c.var.event).publish, 303);
  });
