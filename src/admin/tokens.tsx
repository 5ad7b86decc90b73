import { Hono } from 'hono';
import { z } from 'zod';
import {
  createApiToken,
  DEFAULT_TOKEN_LIFETIME,
  type ListedToken,
  listOrganiserTokens,
  revokeApiToken,
  tokenLifetimeSchema,
  type TokenLifetime,
} from '../auth/tokens';
import type { Database } from '../db/client';
import type { Event } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { listOrganiserEvents } from '../events/queries';
import { adminPaths } from '../paths';
import { Csrf, ErrorNote, PostButton } from './layout';

const tokenForm = z.object({
  name: z.string().trim().min(1, 'Name the token, e.g. after the timing system.').max(80),
  expires: tokenLifetimeSchema.default(DEFAULT_TOKEN_LIFETIME),
  /** Empty: all the organiser's events, now and later; else the id of the one event the token may use. */
  event: z
    .union([z.literal(''), z.coerce.number().int().positive()], { error: 'Choose one of your events.' })
    .default('')
    .transform((id) => (id === '' ? null : id)),
});

const lifetimeLabels: Record<TokenLifetime, string> = {
  '30': 'in 30 days',
  '90': 'in 90 days',
  '365': 'in a year',
  never: 'never',
};

const day = (date: Date) => date.toISOString().slice(0, 10);

function Expiry({ expiresAt }: { expiresAt: Date | null }) {
  if (!expiresAt) return <>never</>;
  if (expiresAt <= new Date()) return <strong>expired {day(expiresAt)}</strong>;
  return <>{day(expiresAt)}</>;
}

interface TokensProps {
  tokens: ListedToken[];
  events: Pick<Event, 'id' | 'name'>[];
  token?: string;
  error?: string;
}

function Tokens({ tokens, events, token, error }: TokensProps) {
  return (
    <>
      <h1>API tokens</h1>
      <p class="muted">
        A timing system uses a token to push results: <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      {token && (
        <div class="notice" role="status">
          <p>Copy this token now. It is not shown again.</p>
          <p>
            <code data-token>{token}</code>
          </p>
        </div>
      )}
      <form method="post" action={adminPaths.tokens} class="card">
        <ErrorNote message={error} />
        <Csrf />
        <label for="name">New token name</label>
        <input id="name" name="name" required maxlength={80} placeholder="Timing system" />
        <label for="expires">Expires</label>
        <select id="expires" name="expires">
          {Object.entries(lifetimeLabels).map(([value, label]) => (
            <option value={value} selected={value === DEFAULT_TOKEN_LIFETIME}>
              {label}
            </option>
          ))}
        </select>
        <label for="event">Events</label>
        <select id="event" name="event">
          <option value="">All your events</option>
          {events.map((event) => (
            <option value={String(event.id)}>{event.name}</option>
          ))}
        </select>
        <p class="muted">A token for one event cannot see or create any other.</p>
        <p>
          <button type="submit">Create token</button>
        </p>
      </form>
      <div class="card">
        {tokens.length === 0 ? (
          <p class="muted">No tokens.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Events</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr>
                  <td>{t.name}</td>
                  <td>{t.event ? t.event.name : 'all'}</td>
                  <td>{day(t.createdAt)}</td>
                  <td>{t.lastUsedAt ? t.lastUsedAt.toISOString().slice(0, 16).replace('T', ' ') : 'never'}</td>
                  <td>
                    <Expiry expiresAt={t.expiresAt} />
                  </td>
                  <td>
                    <PostButton action={adminPaths.revokeToken(t.id)}>Revoke</PostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}

/** What the tokens page lists: the organiser's tokens and the events one may be limited to. */
const pageData = async (db: Database, organiserId: number) => ({
  tokens: await listOrganiserTokens(db, organiserId),
  events: await listOrganiserEvents(db, organiserId),
});

/** The organiser's API tokens: create (shown once) for all events or one, list, revoke. */
export const tokenPages = new Hono<OrganiserEnv>()
  .get('/tokens', async (c) =>
    c.render(<Tokens {...(await pageData(c.var.db, c.var.organiser.id))} />, { title: 'API tokens' }),
  )
  .post('/tokens', async (c) => {
    const input = tokenForm.safeParse(await c.req.parseBody());
    const { db, organiser } = c.var;
    const { name, expires, event } = input.success
      ? input.data
      : { name: '', expires: DEFAULT_TOKEN_LIFETIME, event: null };
    const token = input.success ? await createApiToken(db, organiser.id, name, expires, event) : undefined;
    if (!token) {
      c.status(400);
      const error = input.success ? 'Choose one of your events.' : input.error.issues[0]!.message;
      return c.render(<Tokens {...(await pageData(db, organiser.id))} error={error} />, { title: 'API tokens' });
    }
    // Shown in this response only; a reload does not show it again.
    c.status(201);
    return c.render(<Tokens {...(await pageData(db, organiser.id))} token={token} />, { title: 'API tokens' });
  })
  .post('/tokens/:tokenId/revoke', async (c) => {
    await revokeApiToken(c.var.db, c.var.organiser.id, Number(c.req.param('tokenId')));
    return c.redirect(adminPaths.tokens, 303);
  });
