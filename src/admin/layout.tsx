import type { Child } from 'hono/jsx';
import type { EventStatus } from '../db/event-status';
import type { Event, Organiser } from '../db/schema';
import { Page } from '../ui/page';

/** Hidden field every admin form carries; the guard compares it with the session's token. */
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export interface AdminPageProps {
  title: string;
  organiser: Organiser;
  csrfToken: string;
  children: Child;
  head?: Child;
}

export function AdminPage({ title, organiser, csrfToken, children, head }: AdminPageProps) {
  const header = (
    <nav aria-label="Admin">
      <a href="/admin">
        <strong>Certify admin</strong>
      </a>
      <a href="/admin/tokens">API tokens</a>
      <form method="post" action="/admin/sign-out" class="inline">
        <Csrf token={csrfToken} />
        <span class="muted">{organiser.email} </span>
        <button type="submit" class="link">
          Sign out
        </button>
      </form>
    </nav>
  );
  return (
    <Page title={`${title} · Certify admin`} header={header} head={<>{head}<meta name="robots" content="noindex" /></>}>
      {children}
    </Page>
  );
}

export type EventTab = 'overview' | 'setup' | 'certificate' | 'records' | 'publish';

/**
 * Progressive disclosure, as in the seed product: Overview and Setup until the event has a source,
 * a template and a record; then Setup gives way to Certificate, Records and Publish.
 */
export function EventTabs({ event, status, current }: { event: Event; status: EventStatus; current: EventTab }) {
  const tabs: [EventTab, string][] = status.setupComplete
    ? [['overview', 'Overview'], ['certificate', 'Certificate'], ['records', 'Records'], ['publish', 'Publish']]
    : [['overview', 'Overview'], ['setup', 'Setup']];
  return (
    <>
      <p class="muted">
        <a href="/admin">Events</a> / {event.name}
      </p>
      <h1>{event.name}</h1>
      <nav class="tabs" aria-label="Event">
        {tabs.map(([tab, label]) => (
          <a href={`/admin/events/${event.id}${tab === 'overview' ? '' : `/${tab}`}`} aria-current={tab === current ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
    </>
  );
}

export const Notice = ({ message }: { message?: string }) =>
  message ? (
    <p class="notice" role="status">
      {message}
    </p>
  ) : null;

export const ErrorNote = ({ message }: { message?: string }) =>
  message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
