import { Hono } from 'hono';
import { z } from 'zod';
import {
  createApiToken,
  DEFAULT_TOKEN_LIFETIME,
  listOrganiserTokens,
  revokeApiToken,
  tokenLifetimeSchema,
  type TokenLifetime,
} from '../auth/tokens';
import type { ApiToken } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { adminPaths } from '../paths';
import { Csrf, ErrorNote, PostButton } from './layout';

const tokenForm = z.object({
  name: z.string().trim().min(1, 'Name the token, e.g. after the timing system.').max(80),
  expires: tokenLifetimeSchema.default(DEFAULT_TOKEN_LIFETIME),
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

function Tokens({ tokens, token, error }: { tokens: ApiToken[]; token?: string; error?: string }) {
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

/** The organiser's API tokens: create (shown once), list, revoke. */
export const tokenPages = new Hono<OrganiserEnv>()
  .get('/tokens', async (c) =>
    c.render(<Tokens tokens={await listOrganiserTokens(c.var.db, c.var.organiser.id)} />, { title: 'API tokens' }),
  )
  .post('/tokens', async (c) => {
    const input = tokenForm.safeParse(await c.req.parseBody());
    const { db, organiser } = c.var;
    if (!input.success) {
      c.status(400);
      return c.render(
        <Tokens tokens={await listOrganiserTokens(db, organiser.id)} error={input.error.issues[0]!.message} />,
        {
          title: 'API tokens',
        },
      );
    }
    const token = await createApiToken(db, organiser.id, input.data.name, input.data.expires);
    // Shown in this response only; a reload does not show it again.
    c.status(201);
    return c.render(<Tokens tokens={await listOrganiserTokens(db, organiser.id)} token={token} />, {
      title: 'API tokens',
    });
  })
  .post('/tokens/:tokenId/revoke', async (c) => {
    await revokeApiToken(c.var.db, c.var.organiser.id, Number(c.req.param('tokenId')));
    return c.redirect(adminPaths.tokens, 303);
  });
