import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { adminPaths } from '../paths';
import { Page } from '../ui/page';
import { noStore, readableForm, requireSignIn } from '../auth/guard';
import { verifyPassword } from '../auth/password';
import { clientOf } from '../auth/clients';
import { endSession, findOrganiserByEmail, startSession } from '../auth/session';
import { claimSignInAttempt, signInSucceeded } from '../auth/sign-in-limits';

const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
  next: z.string().optional(),
});

// Only same-site admin paths: never an open redirect to somewhere else.
const safeNext = (next: string | undefined) => (next && /^\/admin(\/[\w\-/.]*)?$/.test(next) ? next : adminPaths.home);

function SignInPage({ error, email, next }: { error?: string; email?: string; next?: string }) {
  return (
    <Page title="Sign in · Certify admin" head={<meta name="robots" content="noindex" />}>
      <h1>Sign in</h1>
      <form method="post" action={adminPaths.signIn()} class="card">
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <input type="hidden" name="next" value={next ?? ''} />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </Page>
  );
}

/** Sign-in and sign-out. Sign-in has no session yet, so cross-site posts are refused by Origin. */
export const auth = new Hono<AppEnv>()
  .get('/sign-in', noStore, (c) => c.html(<SignInPage next={c.req.query('next')} />))
  .post('/sign-in', noStore, csrf(), async (c) => {
    const form = signInSchema.safeParse(await readableForm(c));
    if (!form.success) return c.html(<SignInPage error="Enter your email and password." />, 400);
    const { email, password, next } = form.data;
    const client = clientOf(c);
    const db = c.var.db;
    // Counted before the password is checked, so parallel guesses cannot outrun the count.
    const waitSeconds = await claimSignInAttempt(db, email, client);
    if (waitSeconds > 0) {
      const minutes = Math.ceil(waitSeconds / 60);
      const error = `Too many failed attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
      return c.html(<SignInPage email={email} next={next} error={error} />, 429, {
        'Retry-After': String(waitSeconds),
      });
    }
    const organiser = await findOrganiserByEmail(db, email);
    // Hash even for an unknown email, so response time does not reveal which emails exist.
    const valid = await verifyPassword(
      password,
      organiser?.passwordHash ?? 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA',
    );
    if (!organiser || !valid) {
      return c.html(<SignInPage email={email} next={next} error="That email and password do not match." />, 401);
    }
    await signInSucceeded(db, email, client);
    await startSession(c, db, organiser.id);
    return c.redirect(safeNext(next), 303);
  })
  .post('/sign-out', requireSignIn, async (c) => {
    await endSession(c, c.var.db);
    return c.redirect(adminPaths.signIn(), 303);
  });
