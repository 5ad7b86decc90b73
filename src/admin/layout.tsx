import type { Child } from 'hono/jsx';
import { jsxRenderer, useRequestContext } from 'hono/jsx-renderer';
import type { OrganiserEnv } from '../env';
import type { Event } from '../db/schema';
import { commonLanguages } from '../events/rules';
import type { EventStatus } from '../events/status';
import { adminPaths, eventPaths } from '../paths';
import { Page } from '../ui/page';

declare module 'hono' {
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: module augmentation merges into Hono's interface.
    (content: Child, props: { title: string; head?: Child }): Response | Promise<Response>;
  }
}

const session = () => useRequestContext<OrganiserEnv>().var;

/** Hidden field every admin form carries; the guard compares it with the session's token. */
export const Csrf = () => <input type="hidden" name="_csrf" value={session().csrfToken} />;

/** A one-button form for an action that changes something, e.g. "Sync now" or "Revoke". */
export function PostButton({
  action,
  fields = {},
  children,
}: {
  action: string;
  fields?: Record<string, string>;
  children: Child;
}) {
  return (
    <form method="post" action={action} class="inline">
      <Csrf />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="link">
        {children}
      </button>
    </form>
  );
}

function AdminNav() {
  return (
    <nav aria-label="Admin">
      <a href={adminPaths.home}>
        <strong>Certify admin</strong>
      </a>
      <a href={adminPaths.tokens}>API tokens</a>
      <a href={adminPaths.account()}>Account</a>
      <form method="post" action={adminPaths.signOut} class="inline">
        <Csrf />
        <span class="muted">{session().organiser.email} </span>
        <button type="submit" class="link">
          Sign out
        </button>
      </form>
    </nav>
  );
}

/** Every admin page's shell, for `c.render(content, { title })`: the organiser and CSRF token come from the session. */
export const adminRenderer = jsxRenderer(({ children, title, head }) => (
  <Page
    title={`${title} · Certify admin`}
    header={<AdminNav />}
    head={
      <>
        {head}
        <meta name="robots" content="noindex" />
      </>
    }
  >
    {children}
  </Page>
));

export type EventTab = 'overview' | 'setup' | 'certificate' | 'records' | 'publish';

/**
 * Progressive disclosure, as in the seed product: Overview and Setup until the event has a source,
 * a template and a record; then Setup gives way to Certificate, Records and Publish.
 */
export function EventTabs({ event, status, current }: { event: Event; status: EventStatus; current: EventTab }) {
  const paths = eventPaths(event);
  const tabs: [EventTab, string, string][] = status.setupComplete
    ? [
        ['overview', 'Overview', paths.overview],
        ['certificate', 'Certificate', paths.certificate()],
        ['records', 'Records', paths.records()],
        ['publish', 'Publish', paths.publish],
      ]
    : [
        ['overview', 'Overview', paths.overview],
        ['setup', 'Setup', paths.setup],
      ];
  return (
    <>
      <p class="muted">
        <a href={adminPaths.home}>Events</a> / {event.name}
      </p>
      <h1>{event.name}</h1>
      <nav class="tabs" aria-label="Event">
        {tabs.map(([tab, label, href]) => (
          <a href={href} aria-current={tab === current ? 'page' : undefined}>
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

/**
 * A language tag field: common choices to pick from (a datalist, no script needed), any other
 * BCP 47 tag typed in. The rule in events/rules.ts checks and canonicalises what is sent.
 */
export const LanguageInput = ({ value, hint }: { value: string | null | undefined; hint: string }) => (
  <>
    <input
      id="language"
      name="language"
      list="language-choices"
      maxlength={35}
      placeholder="e.g. ja"
      autocomplete="off"
      aria-describedby="language-hint"
      value={value ?? ''}
    />
    <datalist id="language-choices">
      {commonLanguages.map(([tag, label]) => (
        <option value={tag}>{label}</option>
      ))}
    </datalist>
    <p id="language-hint" class="muted">
      {hint}
    </p>
  </>
);
