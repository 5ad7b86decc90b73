import type { Child } from 'hono/jsx';
import type { EventStatus } from '../db/event-status';
import type { Event, Organiser } from '../db/schema';
import { Page } from '../ui/page';

/** Hidden field every admin form carries; the guard compares it with the session's token. */
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** A one-button form for an action that changes something, e.g. "Sync now" or "Revoke". */
export function PostButton({ action, csrfToken, fields = {}, children }: { action: string; csrfToken: string; fields?: Record<string, string>; children: Child }) {
  return (
    <form method="post" action={action} class="inline">
      <Csrf token={csrfToken} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="link">
        {children}
      </button>
    </form>
  );
}

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
