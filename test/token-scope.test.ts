import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiTokens, events } from '../src/db/schema';
import { apiEvent, db, ORIGIN, type Browser } from './fixtures';

const csv = 'Bib,Name,Time\n1,Ana Gómez,2:31:07\n';

const call = (token: string, path: string, init: RequestInit = {}) =>
  SELF.fetch(ORIGIN + path, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });

async function newToken(browser: Browser, name: string, event?: string) {
  const res = await browser.post('/admin/tokens', event === undefined ? { name } : { name, event });
  const page = await res.text();
  const token = page.match(/<code data-token[^>]*>([^<]+)<\/code>/)?.[1];
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.name, name));
  return { res, page, token, row };
}

/** An organiser with two events made through the API, and a browser on the admin. */
async function twoEvents() {
  const first = await apiEvent('Harbour 10K', 'harbour');
  const otherSlug = `hills-${crypto.randomUUID().slice(0, 8)}`;
  const created = await call(first.token, '/api/v1/events', {
    method: 'POST',
    body: JSON.stringify({ name: 'Hills Half', slug: otherSlug }),
    headers: { 'Content-Type': 'application/json' },
  });
  expect(created.status).toBe(201);
  const [other] = await db.select().from(events).where(eq(events.slug, otherSlug));
  return { ...first, other: other! };
}

describe('API token scope', () => {
  it('offers all events or one of them on the tokens page', async () => {
    const { browser, event, other } = await twoEvents();
    const page = await (await browser.get('/admin/tokens')).text();
    const options = [...page.matchAll(/<option value="(\d*)"[^>]*>([^<]+)<\/option>/g)].map((m) => [m[1], m[2]]);
    expect(options).toEqual(
      expect.arrayContaining([
        ['', 'All your events'],
        [String(event.id), 'Harbour 10K'],
        [String(other.id), 'Hills Half'],
      ]),
    );
  });

  it('lets a token made for one event use that event and no other', async () => {
    const { browser, event, other } = await twoEvents();
    const name = `scoped-${crypto.randomUUID()}`;
    const scoped = await newToken(browser, name, String(event.id));
    expect(scoped.res.status).toBe(201);
    expect(scoped.row!.eventId).toBe(event.id);
    const token = scoped.token!;

    expect((await call(token, `/api/v1/events/${event.slug}`)).status).toBe(200);
    const imported = await call(token, `/api/v1/events/${event.slug}/imports`, {
      method: 'POST',
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(imported.status).toBe(200);

    // The organiser's other event does not exist for this token.
    const elsewhere = await call(token, `/api/v1/events/${other.slug}`);
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toEqual({ error: `You have no event "${other.slug}".` });
    const pushedElsewhere = await call(token, `/api/v1/events/${other.slug}/imports`, {
      method: 'POST',
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(pushedElsewhere.status).toBe(404);

    const create = await call(token, '/api/v1/events', {
      method: 'POST',
      body: JSON.stringify({ name: 'Sneaky', slug: `sneaky-${crypto.randomUUID().slice(0, 8)}` }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(create.status).toBe(403);
    expect(await create.json()).toEqual({
      error: 'This API token is for one event only, so it cannot create events. Use a token for all your events.',
    });

    const list = await (await browser.get('/admin/tokens')).text();
    const row = list.split('<tr>').find((tr) => tr.includes(name))!;
    expect(row).toContain('Harbour 10K');
  });

  it('lets a token for all events use each of them', async () => {
    const { browser, event, other } = await twoEvents();
    const all = await newToken(browser, `all-${crypto.randomUUID()}`, '');
    expect(all.row!.eventId).toBeNull();
    expect((await call(all.token!, `/api/v1/events/${event.slug}`)).status).toBe(200);
    expect((await call(all.token!, `/api/v1/events/${other.slug}`)).status).toBe(200);
  });

  it("refuses to make a token for another organiser's event", async () => {
    const { browser } = await twoEvents();
    const stranger = await twoEvents();
    const name = `foreign-${crypto.randomUUID()}`;
    const made = await newToken(browser, name, String(stranger.event.id));
    expect(made.res.status).toBe(400);
    expect(made.page).toContain('Choose one of your events.');
    expect(made.row).toBeUndefined();
  });
});

describe('API token last use', () => {
  it('shows when a token was last used, written at most once a minute', async () => {
    const { browser, event } = await twoEvents();
    const name = `used-${crypto.randomUUID()}`;
    const { token, row } = await newToken(browser, name);
    const rowOf = (page: string) => page.split('<tr>').find((tr) => tr.includes(name))!;
    expect(rowOf(await (await browser.get('/admin/tokens')).text())).toContain('<td>never</td>');

    expect((await call(token!, `/api/v1/events/${event.slug}`)).status).toBe(200);
    const [used] = await db.select().from(apiTokens).where(eq(apiTokens.id, row!.id));
    expect(used!.lastUsedAt).not.toBeNull();
    const shown = used!.lastUsedAt!.toISOString().slice(0, 16).replace('T', ' ');
    expect(rowOf(await (await browser.get('/admin/tokens')).text())).toContain(shown);

    // Within the minute: no second write.
    await call(token!, `/api/v1/events/${event.slug}`);
    const [same] = await db.select().from(apiTokens).where(eq(apiTokens.id, row!.id));
    expect(same!.lastUsedAt!.getTime()).toBe(used!.lastUsedAt!.getTime());

    // A minute later, the next request is noted.
    const earlier = new Date(Date.now() - 61_000);
    await db.update(apiTokens).set({ lastUsedAt: earlier }).where(eq(apiTokens.id, row!.id));
    await call(token!, `/api/v1/events/${event.slug}`);
    const [later] = await db.select().from(apiTokens).where(eq(apiTokens.id, row!.id));
    expect(later!.lastUsedAt!.getTime()).toBeGreaterThan(earlier.getTime());
  });
});
