import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiTokens } from '../src/db/schema';
import { createOrganiser, db, ORIGIN, signIn, type Browser } from './fixtures';

const DAY_MS = 24 * 3600 * 1000;

async function makeToken(browser: Browser, name: string, expires?: string) {
  const res = await browser.post('/admin/tokens', expires === undefined ? { name } : { name, expires });
  const page = await res.text();
  const token = page.match(/<code data-token[^>]*>([^<]+)<\/code>/)?.[1];
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.name, name));
  return { res, page, token, row };
}

/** A call the organiser API accepts the token for: an empty event is refused as 400, not 401. */
const useToken = (token: string) =>
  SELF.fetch(`${ORIGIN}/api/v1/events`, {
    method: 'POST',
    body: '{}',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });

describe('API tokens expire', async () => {
  const { email, password } = await createOrganiser();
  const browser = await signIn(email, password);

  it('offers 30, 90 and 365 days or never on the tokens page, 90 days chosen', async () => {
    const page = await (await browser.get('/admin/tokens')).text();
    const options = [...page.matchAll(/<option value="(\w+)"( selected(?:="")?)?>/g)].map((m) => [m[1], !!m[2]]);
    expect(options).toEqual([
      ['30', false],
      ['90', true],
      ['365', false],
      ['never', false],
    ]);
  });

  it('stores the expiry chosen and lists it', async () => {
    const before = Date.now();
    const month = await makeToken(browser, `month-${crypto.randomUUID()}`, '30');
    expect(month.res.status).toBe(201);
    expect(month.row!.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(month.row!.expiresAt!.getTime()).toBeLessThan(Date.now() + 30 * DAY_MS + 1000);
    const forever = await makeToken(browser, `forever-${crypto.randomUUID()}`, 'never');
    expect(forever.row!.expiresAt).toBeNull();
    const unsaid = await makeToken(browser, `unsaid-${crypto.randomUUID()}`);
    expect(Math.round((unsaid.row!.expiresAt!.getTime() - Date.now()) / DAY_MS)).toBe(90);

    const list = await (await browser.get('/admin/tokens')).text();
    expect(list).toContain(`<td>${month.row!.expiresAt!.toISOString().slice(0, 10)}</td>`);
    expect((await useToken(month.token!)).status).toBe(400);
    expect((await useToken(forever.token!)).status).toBe(400);
  });

  it('refuses a lifetime that is not on offer', async () => {
    const name = `odd-${crypto.randomUUID()}`;
    const odd = await makeToken(browser, name, '100000');
    expect(odd.res.status).toBe(400);
    expect(odd.page).toContain('Choose how long the token lasts.');
    expect(odd.row).toBeUndefined();
  });

  it('answers an expired token 401 with a clear message, and lists it as expired', async () => {
    const { token, row } = await makeToken(browser, `old-${crypto.randomUUID()}`, '30');
    expect((await useToken(token!)).status).toBe(400);
    const expiredAt = new Date(Date.now() - 1000);
    await db.update(apiTokens).set({ expiresAt: expiredAt }).where(eq(apiTokens.id, row!.id));

    const refused = await useToken(token!);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await refused.json()).toEqual({
      error: 'This API token has expired. Create a new one in the admin under API tokens.',
    });
    const list = await (await browser.get('/admin/tokens')).text();
    expect(list).toContain(`expired ${expiredAt.toISOString().slice(0, 10)}`);
  });
});
