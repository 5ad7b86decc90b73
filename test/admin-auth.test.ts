import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createOrganiser, ORIGIN, signIn } from './fixtures';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
  redirect: 'manual' as const,
});

describe('organiser sign-in', () => {
  it('stores only a salted PBKDF2 hash with its parameters', async () => {
    const { organiser } = await createOrganiser();
    expect(organiser.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$[\w+/=]{24}\$[\w+/=]{44}$/);
    const other = await createOrganiser(undefined, 'correct horse battery');
    expect(other.organiser.passwordHash).not.toBe(organiser.passwordHash);
  });

  it('signs in with a __Host- session cookie that is HttpOnly, Secure, SameSite=Lax and expires', async () => {
    const { email, password } = await createOrganiser();
    const res = await SELF.fetch(`${ORIGIN}/admin/sign-in`, form({ email, password }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-session=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toMatch(/Max-Age=604800/);
    const id = cookie.split(';')[0]!.split('=')[1]!;
    const stored = await env.DB.prepare('SELECT id_hash FROM sessions').all<{ id_hash: string }>();
    expect(stored.results.map((r) => r.id_hash)).not.toContain(id);
    expect(stored.results.every((r) => /^[0-9a-f]{64}$/.test(r.id_hash))).toBe(true);
  });

  it('refuses a wrong password without saying whether the email exists', async () => {
    const { email } = await createOrganiser();
    const wrong = await SELF.fetch(`${ORIGIN}/admin/sign-in`, form({ email, password: 'wrong password' }));
    const unknown = await SELF.fetch(`${ORIGIN}/admin/sign-in`, form({ email: 'nobody@example.com', password: 'x' }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toContain('do not match');
    expect(await unknown.text()).toContain('do not match');
  });

  it('rate-limits repeated failed sign-ins, even with the right password afterwards', async () => {
    const { email, password } = await createOrganiser();
    for (let i = 0; i < 5; i++) {
      expect((await SELF.fetch(`${ORIGIN}/admin/sign-in`, form({ email, password: `guess ${i}` }))).status).toBe(401);
    }
    const blocked = await SELF.fetch(`${ORIGIN}/admin/sign-in`, form({ email, password }));
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toMatch(/Too many failed attempts\. Try again in \d+ minutes/);
  });

  it('refuses a cross-site sign-in post', async () => {
    const { email, password } = await createOrganiser();
    const res = await SELF.fetch(`${ORIGIN}/admin/sign-in`, {
      ...form({ email, password }),
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(403);
  });

  it('signs out by revoking the session, so the old cookie stops working', async () => {
    const { email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    expect((await browser.get('/admin')).status).toBe(200);
    const out = await browser.post('/admin/sign-out');
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/__Host-session=;.*Max-Age=0/);
    const after = await browser.get('/admin');
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin');
  });

  it('refuses a state-changing admin form without the CSRF token', async () => {
    const { email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    const body = new FormData();
    body.set('name', 'Sneaky');
    body.set('slug', 'sneaky-event');
    const res = await SELF.fetch(`${ORIGIN}/admin/events`, {
      method: 'POST',
      headers: { Cookie: browser.cookie },
      body,
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This form has expired');
  });
});
