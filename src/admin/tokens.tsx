import { Hono } from 'hono';
import { z } from 'zod';
import { createApiToken, listOrganiserTokens, revokeApiToken } from '../auth/tokens';
import type { ApiToken } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { adminPaths } from '../paths';
import { Csrf, ErrorNote, PostButton } from './layout';

const tokenName = z.object({ name: z.string().trim().min(1, 'Name the token, e.g. after the timing system.').max(80) });

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
                <th></th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr>
                  <td>{t.name}</td>
                  <td>{t.createdAt.toISOString().slice(0, 10)}</td>
                  <td>{t.lastUsedAt ? t.lastUsedAt.toISOString().slice(0, 16).replace('T', ' ') : 'never'}</td>
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
    const input = tokenName.safeParse(await c.req.parseBody());
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
    const token = await createApiToken(db, organiser.id, input.data.name);
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
