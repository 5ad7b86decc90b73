import { and, desc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/client';
import { apiTokens } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { newApiToken } from './api-token';
import { AdminPage, Csrf, ErrorNote, PostButton } from './layout';

/** A new API token: shown once, stored only as its SHA-256. */
export async function createApiToken(db: Database, organiserId: number, name: string): Promise<string> {
  const { token, tokenHash } = await newApiToken();
  await db.insert(apiTokens).values({ organiserId, name, tokenHash });
  return token;
}

const tokenName = z.object({ name: z.string().trim().min(1, 'Name the token, e.g. after the timing system.').max(80) });

async function TokensPage({ c, token, error }: { c: { var: OrganiserEnv['Variables'] }; token?: string; error?: string }) {
  const tokens = await c.var.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.organiserId, c.var.organiser.id))
    .orderBy(desc(apiTokens.id));
  return (
    <AdminPage title="API tokens" organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
      <h1>API tokens</h1>
      <p class="muted">A timing system uses a token to push results: <code>Authorization: Bearer &lt;token&gt;</code>.</p>
      {token && (
        <div class="notice" role="status">
          <p>Copy this token now. It is not shown again.</p>
          <p>
            <code data-token>{token}</code>
          </p>
        </div>
      )}
      <form method="post" action="/admin/tokens" class="card">
        <ErrorNote message={error} />
        <Csrf token={c.var.csrfToken} />
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
                    <PostButton action={`/admin/tokens/${t.id}/revoke`} csrfToken={c.var.csrfToken}>
                      Revoke
                    </PostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </AdminPage>
  );
}

export const tokenPages = new Hono<OrganiserEnv>()
  .get('/tokens', (c) => c.html(<TokensPage c={c} />))
  .post('/tokens', async (c) => {
    const input = tokenName.safeParse(await c.req.parseBody());
    if (!input.success) return c.html(<TokensPage c={c} error={input.error.issues[0]!.message} />, 400);
    const token = await createApiToken(c.var.db, c.var.organiser.id, input.data.name);
    // Shown in this response only; a reload does not show it again.
    return c.html(<TokensPage c={c} token={token} />, 201);
  })
  .post('/tokens/:tokenId/revoke', async (c) => {
    await c.var.db
      .delete(apiTokens)
      .where(and(eq(apiTokens.id, Number(c.req.param('tokenId'))), eq(apiTokens.organiserId, c.var.organiser.id)));
    return c.redirect('/admin/tokens', 303);
  });
