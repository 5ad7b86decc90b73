import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sessions } from '../src/db/schema';
import { createOrganiser, db, ORIGIN, signIn } from './fixtures';

/** Whether a session cookie still opens the admin. */
const signedIn = async (cookie: string) =>
  (await SELF.fetch(`${ORIGIN}/admin`, { headers: { Cookie: cookie }, redirect: 'manual' })).status === 200;

const sessionCount = async (organiserId: number) =>
  (await db.select().from(sessions).where(eq(sessions.organiserId, organiserId))).length;

/** The sign-in form, as a person would post it. */
const signInStatus = async (email: string, password: string) =>
  (
    await SELF.fetch(`${ORIGIN}/admin/sign-in`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password }),
      redirect: 'manual',
    })
  ).status;

describe('the account page', () => {
  it('is linked from the admin header and carries CSRF tokens in its forms', async () => {
    const { email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    expect(await (await browser.get('/admin')).text()).toContain('href="/admin/account"');
    const res = await browser.get('/admin/account');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    expect(page).toContain('action="/admin/account/password"');
    expect(page).toContain('action="/admin/account/sign-out-everywhere"');
    expect(page.match(new RegExp(`name="_csrf" value="${browser.csrfToken}"`, 'g'))!.length).toBeGreaterThanOrEqual(3);
    expect(page).toContain('autocomplete="current-password"');
    expect(page).toContain('autocomplete="new-password"');
  });

  it('signs out everywhere: every session of the organiser ends, nobody else’s', async () => {
    const { organiser, email, password } = await createOrganiser();
    const here = await signIn(email, password);
    const phone = await signIn(email, password);
    const other = await createOrganiser();
    const someoneElse = await signIn(other.email, other.password);
    expect(await sessionCount(organiser.id)).toBe(2);

    const res = await here.post('/admin/account/sign-out-everywhere');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/sign-in');
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-session=;/);
    expect(await signedIn(here.cookie)).toBe(false);
    expect(await signedIn(phone.cookie)).toBe(false);
    expect(await sessionCount(organiser.id)).toBe(0);
    expect(await signedIn(someoneElse.cookie)).toBe(true);
  });

  it('refuses both forms without the CSRF token', async () => {
    const { email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    for (const [path, fields] of [
      ['/admin/account/sign-out-everywhere', {}],
      ['/admin/account/password', { currentPassword: password, newPassword: 'a brand new passphrase' }],
    ] as const) {
      const res = await SELF.fetch(ORIGIN + path, {
        method: 'POST',
        headers: { Cookie: browser.cookie, Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
        redirect: 'manual',
      });
      expect(res.status, path).toBe(403);
    }
    expect(await signedIn(browser.cookie)).toBe(true);
    expect(await signInStatus(email, password)).toBe(303);
  });

  it('changes the password only with the current one, by the same rules as a new organiser', async () => {
    const { email, password } = await createOrganiser();
    const browser = await signIn(email, password);

    const wrong = await browser.post('/admin/account/password', {
      currentPassword: 'not my password',
      newPassword: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Your current password is not right.');

    const short = await browser.post('/admin/account/password', { currentPassword: password, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('at least 10 characters');

    expect(await signedIn(browser.cookie)).toBe(true);
    expect(await signInStatus(email, 'a brand new passphrase')).toBe(401);
  });

  it('changing the password ends the other sessions and keeps this browser signed in', async () => {
    const { organiser, email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    const stolen = await signIn(email, password);

    const res = await browser.post('/admin/account/password', {
      currentPassword: password,
      newPassword: 'a brand new passphrase',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/account?notice=password');
    // This browser gets a fresh session; every earlier one, including its own, has ended.
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^__Host-session=[\w-]{43}$/);
    expect(await signedIn(cookie)).toBe(true);
    expect(await signedIn(stolen.cookie)).toBe(false);
    expect(await signedIn(browser.cookie)).toBe(false);
    expect(await sessionCount(organiser.id)).toBe(1);
    const page = await (
      await SELF.fetch(`${ORIGIN}/admin/account?notice=password`, { headers: { Cookie: cookie } })
    ).text();
    expect(page).toContain('Your password is changed. Every other session has been signed out.');

    expect(await signInStatus(email, password)).toBe(401);
    expect(await signInStatus(email, 'a brand new passphrase')).toBe(303);
  });
});
