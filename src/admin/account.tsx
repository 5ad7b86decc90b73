import { Hono } from 'hono';
import { changePassword, passwordChangeSchema } from '../auth/account';
import { clientOf } from '../auth/clients';
import { MIN_PASSWORD_LENGTH } from '../auth/password';
import { endAllSessions, endSession } from '../auth/session';
import type { OrganiserEnv } from '../env';
import { adminPaths } from '../paths';
import { Csrf, ErrorNote, Notice } from './layout';

const notices = { password: 'Your password is changed. Every other session has been signed out.' };

function Account({ email, notice, error }: { email: string; notice?: string; error?: string }) {
  return (
    <>
      <h1>Account</h1>
      <p class="muted">Signed in as {email}.</p>
      <Notice message={notice} />
      <form method="post" action={adminPaths.changePassword} class="card">
        <h2>Change password</h2>
        <ErrorNote message={error} />
        <Csrf />
        {/* The email lets a password manager file the new password under the right account. */}
        <input type="hidden" name="username" value={email} autocomplete="username" />
        <label for="currentPassword">Current password</label>
        <input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required />
        <label for="newPassword">New password</label>
        <input
          id="newPassword"
          name="newPassword"
          type="password"
          autocomplete="new-password"
          minlength={MIN_PASSWORD_LENGTH}
          required
        />
        <p class="muted">At least {MIN_PASSWORD_LENGTH} characters. Every other session is signed out.</p>
        <p>
          <button type="submit">Change password</button>
        </p>
      </form>
      <form method="post" action={adminPaths.signOutEverywhere} class="card">
        <h2>Sign out everywhere</h2>
        <Csrf />
        <p class="muted">Ends every session of this account, on every device, this one too.</p>
        <p>
          <button type="submit">Sign out everywhere</button>
        </p>
      </form>
    </>
  );
}

/** The organiser's own account: password, and the sessions it has open. */
export const accountPages = new Hono<OrganiserEnv>()
  .get('/account', (c) => {
    const notice = c.req.query('notice');
    return c.render(
      <Account email={c.var.organiser.email} notice={notice === 'password' ? notices.password : undefined} />,
      { title: 'Account' },
    );
  })
  .post('/account/password', async (c) => {
    const { db, organiser } = c.var;
    const refuse = (error: string, status: 400 | 429) => {
      c.status(status);
      return c.render(<Account email={organiser.email} error={error} />, { title: 'Account' });
    };
    const input = passwordChangeSchema.safeParse(await c.req.parseBody());
    if (!input.success) return refuse(input.error.issues[0]!.message, 400);
    const result = await changePassword(c, db, organiser, clientOf(c), input.data);
    if (result === 'wrong-password') return refuse('Your current password is not right.', 400);
    if (result !== 'changed') {
      const minutes = Math.ceil(result.waitSeconds / 60);
      c.header('Retry-After', String(result.waitSeconds));
      return refuse(`Too many wrong passwords. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`, 429);
    }
    return c.redirect(adminPaths.account('password'), 303);
  })
  .post('/account/sign-out-everywhere', async (c) => {
    await endAllSessions(c.var.db, c.var.organiser.id);
    await endSession(c, c.var.db);
    return c.redirect(adminPaths.signIn(), 303);
  });
