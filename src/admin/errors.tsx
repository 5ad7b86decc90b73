import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Event } from '../db/schema';
import type { EventEnv } from '../env';
import { eventStatus } from '../events/status';
import { ImportError } from '../import/import-error';
import { eventPaths } from '../paths';
import { ImportForm } from './imports';
import { ErrorNote, EventTabs, type EventTab } from './layout';

/** The tab a page of the event belongs to, by its path: where the organiser goes back to. */
function tabOf(path: string, setupComplete: boolean): EventTab {
  if (!setupComplete && /\/(imports|sources|records|templates|assets)\b/.test(path)) return 'setup';
  if (/\/(imports|records|removals)\b/.test(path)) return 'records';
  if (/\/(sources|templates|assets|certificate)\b/.test(path)) return 'certificate';
  if (/\/publish\b/.test(path)) return 'publish';
  return 'overview';
}

const tabPages: Record<EventTab, { label: string; href: (event: Event) => string }> = {
  overview: { label: 'Overview', href: (event) => eventPaths(event).overview },
  setup: { label: 'Setup', href: (event) => eventPaths(event).setup },
  certificate: { label: 'the Certificate tab', href: (event) => eventPaths(event).certificate() },
  records: { label: 'Records', href: (event) => eventPaths(event).records() },
  publish: { label: 'Publish', href: (event) => eventPaths(event).publish },
};

/**
 * How an error on one of an event's admin pages looks (a failed import or sync above all): inside
 * the admin, under the event's tabs, with a way back and, for an upload, the form to try another
 * file. Anything else (an unexpected error, a JSON request, an event not found) goes on to the
 * app's one error handler.
 */
export async function eventErrorPage(err: Error, c: Context<EventEnv>): Promise<Response> {
  const event = c.get('event') as Event | undefined;
  const known = err instanceof ImportError || (err instanceof HTTPException && !err.res);
  const wantsJson = (c.req.header('Content-Type') ?? '').startsWith('application/json');
  if (!known || !event || wantsJson) throw err;
  const status = await eventStatus(c.var.db, event);
  const tab = tabOf(c.req.path, status.setupComplete);
  const back = tabPages[tab];
  const upload = /\/imports\b/.test(c.req.path) && !/\/removals\b/.test(c.req.path);
  c.status(err.status);
  return c.render(
    <>
      <EventTabs event={event} status={status} current={tab} />
      <div class="card">
        <h2>{upload ? 'The file was not imported' : 'That did not work'}</h2>
        <ErrorNote message={err.message} />
        <p>
          <a class="button secondary" href={back.href(event)}>
            Back to {back.label}
          </a>
        </p>
      </div>
      {upload && <ImportForm event={event} />}
    </>,
    { title: `${upload ? 'Not imported' : 'That did not work'} · ${event.name}` },
  );
}
