import { Hono } from 'hono';
import { raw } from 'hono/html';
import { eventStatus } from '../db/event-status';
import type { OrganiserEnv } from '../env';
import { changesSinceLastPublish, latestPublishRun, publishEvent, publishFinished, publishProgress, unpublishEvent } from '../publish/publish';
import { ownEvent } from './guard';
import { AdminPage, Csrf, EventTabs } from './layout';

// Updates the bar without a reload; without JavaScript the page refreshes itself instead.
const progressScript = `
const bar = document.querySelector('[data-progress]');
if (bar) { const tick = () => fetch(bar.dataset.progress).then(r => r.json()).then(p => {
  const r = p.run; if (!r) return; const el = bar.querySelector('progress'); el.max = r.total; el.value = r.done + r.failed;
  bar.querySelector('output').textContent = r.done + ' of ' + r.total + ' ready' + (r.failed ? ', ' + r.failed + ' failed' : '');
  if (!r.finished) setTimeout(tick, 1000); else location.reload(); }); setTimeout(tick, 1000); }
`;

export const publishPages = new Hono<OrganiserEnv>()
  .get('/events/:eventId/publish', async (c) => {
    const event = await ownEvent(c);
    const db = c.var.db;
    const [status, run] = await Promise.all([eventStatus(db, event), latestPublishRun(db, event.id)]);
    const changes = await changesSinceLastPublish(db, event, run);
    const template = event.templateId === null ? undefined : await db.query.templates.findFirst({ where: (t, { eq }) => eq(t.id, event.templateId!) });
    const running = run && !publishFinished(run);
    return c.html(
      <AdminPage
        title={`Publish ${event.name}`}
        organiser={c.var.organiser}
        csrfToken={c.var.csrfToken}
        head={running ? <meta http-equiv="refresh" content="5" /> : undefined}
      >
        <EventTabs event={event} status={status} current="publish" />
        <div class="card">
          <h2>What will be published</h2>
          <ul>
            <li>Template: {template ? `${template.name} (version ${template.version})` : 'none yet: pick one in the Certificate tab'}</li>
            <li>
              {status.records.total - status.records.hidden} certificates for visible records ({status.records.finished} finished,{' '}
              {status.records.dnf + status.records.dns + status.records.dsq} DNF/DNS/DSQ), {status.records.hidden} hidden records left out
            </li>
          </ul>
          {changes && (
            <p>
              Since the last publish: {changes.changedRecords} records changed
              {changes.templateChanged ? ', and the template changed' : ', template unchanged'}.
              {(changes.changedRecords > 0 || changes.templateChanged) && ' Publish again to refresh those certificates.'}
            </p>
          )}
          <p>{event.published ? <>Participants can find this event at <a href={`/events/${event.slug}`}>/events/{event.slug}</a>.</> : 'Participants cannot find this event yet.'}</p>
          <div class="actions">
            <form method="post" action={`/admin/events/${event.id}/publish`}>
              <Csrf token={c.var.csrfToken} />
              <button type="submit" disabled={!template}>
                {event.published ? 'Publish again' : 'Publish'}
              </button>
            </form>
            {event.published && (
              <form method="post" action={`/admin/events/${event.id}/unpublish`}>
                <Csrf token={c.var.csrfToken} />
                <button type="submit" class="secondary">
                  Unpublish
                </button>
              </form>
            )}
          </div>
        </div>
        {run && (
          <div class="card" data-progress={running ? `/admin/events/${event.id}/publish/progress` : undefined}>
            <h2>{running ? 'Preparing certificates…' : 'Last publish'}</h2>
            <progress max={run.total} value={run.done + run.failed} />
            <p>
              <output>
                {run.done} of {run.total} ready{run.failed > 0 && `, ${run.failed} failed`}
              </output>
            </p>
          </div>
        )}
        {running && <script nonce={c.get('secureHeadersNonce')}>{raw(progressScript)}</script>}
      </AdminPage>,
    );
  })
  .get('/events/:eventId/publish/progress', async (c) => {
    const event = await ownEvent(c);
    return c.json(publishProgress(await latestPublishRun(c.var.db, event.id), event.published));
  })
  .post('/events/:eventId/publish', async (c) => {
    const event = await ownEvent(c);
    await publishEvent(c.var.db, c.env.RENDER_QUEUE, event);
    return c.redirect(`/admin/events/${event.id}/publish`, 303);
  })
  .post('/events/:eventId/unpublish', async (c) => {
    const event = await ownEvent(c);
    await unpublishEvent(c.var.db, event);
    return c.redirect(`/admin/events/${event.id}/publish`, 303);
  });
