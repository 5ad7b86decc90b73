import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records } from '../src/db/schema';
import { createEvent, createOrganiser, db, ORIGIN, runner, signIn, type Browser } from './fixtures';

// An event's address (its slug) is in every link participants shared. Renaming it keeps the old
// address working, as a permanent redirect, and out of other organisers' reach.

const get = (path: string, headers: Record<string, string> = {}) =>
  SELF.fetch(ORIGIN + path, { headers, redirect: 'manual' });

const uniqueSlug = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** A signed-in organiser with a published event of one runner, at a fresh address. */
async function organiserWithEvent() {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const { event } = await createEvent([runner('7', 'Ada Lovelace')], { slug: uniqueSlug('old') });
  await db.update(events).set({ organiserId: organiser.id }).where(eq(events.id, event.id));
  return { browser, event };
}

const rename = (browser: Browser, eventId: number, slug: string) =>
  browser.post(`/admin/events/${eventId}/edit`, { name: 'Riverside Marathon', slug, date: '2026-04-19' });

async function apiToken(browser: Browser) {
  const page = await (await browser.post('/admin/tokens', { name: 'Timing box' })).text();
  return { Authorization: `Bearer ${page.match(/<code data-token[^>]*>([^<]+)<\/code>/)![1]!}` };
}

const expectMoved = (res: Response, status: number, location: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('location')).toBe(location);
};

describe('a renamed event', () => {
  it('redirects its old address permanently: event page, certificates, search API and all beneath it', async () => {
    const { browser, event } = await organiserWithEvent();
    const [ada] = await db.select().from(records).where(eq(records.eventId, event.id));
    const renamed = uniqueSlug('new');
    expect((await rename(browser, event.id, renamed)).status).toBe(303);

    expectMoved(await get(`/events/${event.slug}?q=ada`), 301, `/events/${renamed}?q=ada`);
    const certificate = `/certificates/${ada!.certificateId}`;
    expectMoved(await get(`/events/${event.slug}${certificate}`), 301, `/events/${renamed}${certificate}`);
    expectMoved(await get(`/events/${event.slug}/anything/else`), 301, `/events/${renamed}/anything/else`);
    const search = await get(`/api/v1/events/${event.slug}/search?q=ada`, { Origin: 'https://photos.example' });
    expectMoved(search, 301, `/api/v1/events/${renamed}/search?q=ada`);
    // Another site's page that embeds the search follows the redirect only when it too allows it.
    expect(search.headers.get('access-control-allow-origin')).toBe('*');

    // The new address answers; an address no event ever had is still not found.
    expect(await (await get(`/events/${renamed}?q=ada`)).text()).toContain('Ada Lovelace');
    expect((await get(`/events/${uniqueSlug('never')}`)).status).toBe(404);

    // Renamed again: both earlier addresses lead straight to the newest one, in one hop.
    const newest = uniqueSlug('newest');
    expect((await rename(browser, event.id, newest)).status).toBe(303);
    expectMoved(await get(`/events/${event.slug}`), 301, `/events/${newest}`);
    expectMoved(await get(`/events/${renamed}`), 301, `/events/${newest}`);
  });

  it('does not tell the public where an unpublished event went', async () => {
    const { browser, event } = await organiserWithEvent();
    await db.update(events).set({ published: false }).where(eq(events.id, event.id));
    expect((await rename(browser, event.id, uniqueSlug('hidden'))).status).toBe(303);
    const res = await get(`/events/${event.slug}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
  });

  it('says on the edit form that the old address keeps working, and lists the earlier ones', async () => {
    const { browser, event } = await organiserWithEvent();
    const form = await (await browser.get(`/admin/events/${event.id}/edit`)).text();
    expect(form).toContain('The old address will keep working and redirect here');
    await rename(browser, event.id, uniqueSlug('new'));
    expect(await (await browser.get(`/admin/events/${event.id}/edit`)).text()).toContain(`/events/${event.slug}`);
  });

  it("answers the organiser API at the old address with a redirect, for its owner's token only", async () => {
    const { browser, event } = await organiserWithEvent();
    const auth = await apiToken(browser);
    const renamed = uniqueSlug('new');
    await rename(browser, event.id, renamed);
    expectMoved(await get(`/api/v1/events/${event.slug}`, auth), 301, `/api/v1/events/${renamed}`);
    const patch = await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}`, {
      method: 'PATCH',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ location: 'Kiel' }),
      redirect: 'manual',
    });
    // 308: the client sends the same PATCH again to the new address.
    expectMoved(patch, 308, `/api/v1/events/${renamed}`);

    const stranger = await createOrganiser();
    const theirs = await apiToken(await signIn(stranger.email, stranger.password));
    const refused = await get(`/api/v1/events/${event.slug}`, theirs);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('location')).toBeNull();
  });
});

describe('an old address', () => {
  it('stays reserved for its organiser: another one can neither create nor rename an event to it', async () => {
    const { browser, event } = await organiserWithEvent();
    const moved = uniqueSlug('new');
    await rename(browser, event.id, moved);

    const stranger = await createOrganiser();
    const other = await signIn(stranger.email, stranger.password);
    const created = await other.post('/admin/events', { name: 'Copycat Run', slug: event.slug });
    expect(created.status).toBe(409);
    expect(await created.text()).toContain(
      `The address “${event.slug}” belonged to another organiser’s event and still leads there. Choose another.`,
    );
    const mine = await other.post('/admin/events', { name: 'Copycat Run', slug: uniqueSlug('copycat') });
    const myId = Number(mine.headers.get('location')!.match(/\/admin\/events\/(\d+)\//)![1]);
    const renamed = await rename(other, myId, event.slug);
    expect(renamed.status).toBe(409);
    expect(await renamed.text()).toContain('still leads there');

    const auth = { ...(await apiToken(other)), 'Content-Type': 'application/json' };
    const viaApi = await SELF.fetch(`${ORIGIN}/api/v1/events`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Copycat Run', slug: event.slug }),
    });
    expect(viaApi.status).toBe(409);
    expect(await viaApi.json()).toEqual({
      error: `The slug "${event.slug}" belonged to another organiser's event and still leads there. Choose another.`,
    });
    const [copycat] = await db.select().from(events).where(eq(events.id, myId));
    const patched = await SELF.fetch(`${ORIGIN}/api/v1/events/${copycat!.slug}`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ slug: event.slug }),
    });
    expect(patched.status).toBe(409);
    // Still where it was.
    expectMoved(await get(`/events/${event.slug}`), 301, `/events/${moved}`);
  });

  it('can be taken back by the event it belonged to, which then redirects from the address it leaves', async () => {
    const { browser, event } = await organiserWithEvent();
    const renamed = uniqueSlug('new');
    await rename(browser, event.id, renamed);
    expect((await rename(browser, event.id, event.slug)).status).toBe(303);
    expect((await get(`/events/${event.slug}`)).status).toBe(200);
    expectMoved(await get(`/events/${renamed}`), 301, `/events/${event.slug}`);
  });
});

describe('the new-event form', () => {
  it('suggests the address from the name with a script under the page’s nonce, and works without it', async () => {
    const { email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    const res = await browser.get('/admin/events/new');
    const html = await res.text();
    const nonce = res.headers.get('content-security-policy')!.match(/'nonce-([^']+)'/)![1]!;
    expect(html).toMatch(/<input id="slug" name="slug"[^>]* data-suggest-from="name"/);
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toMatch(/<script nonce="[^"]+">[^<]*data-suggest-from/);
    // An existing event's address is never rewritten from its name.
    const created = await browser.post('/admin/events', { name: 'Harbour 10K', slug: uniqueSlug('harbour') });
    expect(created.status).toBe(303);
    const edit = await (await browser.get(created.headers.get('location')!.replace(/\/setup$/, '/edit'))).text();
    expect(edit).not.toContain('data-suggest-from');
  });
});
