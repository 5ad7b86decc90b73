import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, hostnames } from '../src/db/schema';
import { createEvent, createOrganiser, db, runner, signIn } from './fixtures';

/** A signed-in organiser with published events of their own. */
async function organiserWithEvents(names: string[]) {
  const { email, password, organiser } = await createOrganiser();
  const browser = await signIn(email, password);
  const own = [];
  for (const name of names) {
    const { event } = await createEvent([runner('7', 'Sifan Hassan'), runner('8', 'Eliud Kipchoge')]);
    await db.update(events).set({ organiserId: organiser.id, name }).where(eq(events.id, event.id));
    own.push({ ...event, name });
  }
  return { browser, organiser, events: own };
}

/** A request as Cloudflare hands it over for a custom hostname: the URL and Host name it. */
const onHost = (hostname: string, path: string) =>
  SELF.fetch(`https://${hostname}${path}`, { headers: { Host: hostname }, redirect: 'manual' });

const unique = () => crypto.randomUUID().slice(0, 8);

describe("an event's own hostname", () => {
  it("answers with the event's portal at /, with links, certificate pages and images on that host", async () => {
    const {
      browser,
      events: [event],
    } = await organiserWithEvents(['Example Race']);
    const hostname = `results-${unique()}.example-race.org`;
    const saved = await browser.post(`/admin/events/${event!.id}/branding/hostname`, {
      hostname: ` ${hostname.toUpperCase()}. `,
      shows: 'event',
    });
    expect(saved.status).toBe(303);

    const home = await onHost(hostname, '/');
    expect(home.status).toBe(200);
    const homePage = await home.text();
    expect(homePage).toContain('<h1>Example Race</h1>');
    expect(homePage).toContain(`action="/events/${event!.slug}"`);

    const search = await (await onHost(hostname, `/events/${event!.slug}?q=Hassan`)).text();
    const certificateUrl = search.match(/href="([^"]+\/certificates\/[^"]+)"/)![1]!;
    expect(certificateUrl).toMatch(new RegExp(`^https://${hostname.replace(/\./g, '\\.')}/events/`));

    const certificate = await onHost(hostname, new URL(certificateUrl).pathname);
    expect(certificate.status).toBe(200);
    const page = await certificate.text();
    const shareImageUrl = page.match(/property="og:image" content="([^"]+)"/)![1]!;
    expect(new URL(shareImageUrl).hostname).toBe(hostname);
    const image = await onHost(hostname, new URL(shareImageUrl).pathname);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
  });

  it('sends organisers to the portal’s own address to sign in, never on an organiser’s hostname', async () => {
    const {
      browser,
      events: [event],
    } = await organiserWithEvents(['Admin Elsewhere Race']);
    const hostname = `results-${unique()}.example-race.org`;
    await browser.post(`/admin/events/${event!.id}/branding/hostname`, { hostname, shows: 'event' });
    for (const path of ['/admin', '/admin/sign-in?next=%2Fadmin', `/admin/events/${event!.id}`]) {
      const res = await onHost(hostname, path);
      expect(res.status).toBe(308);
      expect(res.headers.get('location')).toBe(`http://localhost:8787${path}`);
    }
  });

  it('lists the organiser’s events at / of an organiser hostname, and no one else’s', async () => {
    const { browser, events: own } = await organiserWithEvents(['Spring Ten', 'Autumn Half']);
    const other = await organiserWithEvents(['Someone Else’s Race']);
    const hostname = `races-${unique()}.example-club.org`;
    const saved = await browser.post(`/admin/events/${own[0]!.id}/branding/hostname`, { hostname, shows: 'organiser' });
    expect(saved.status).toBe(303);

    const page = await (await onHost(hostname, '/')).text();
    expect(page).toContain('Spring Ten');
    expect(page).toContain('Autumn Half');
    expect(page).not.toContain(other.events[0]!.name);
    expect(page).toContain(`href="/events/${own[1]!.slug}"`);
  });

  it('never trusts a Host no one configured: links stay on the portal’s address', async () => {
    const {
      events: [event],
    } = await organiserWithEvents(['Example Race']);
    const search = await (await onHost('evil.example', `/events/${event!.slug}?q=Hassan`)).text();
    const certificateUrl = search.match(/href="([^"]+\/certificates\/[^"]+)"/)![1]!;
    expect(certificateUrl.startsWith('http://localhost:8787/events/')).toBe(true);
    expect(search).not.toContain('evil.example');
  });

  it('refuses a hostname another organiser has, and one that is not a hostname', async () => {
    const first = await organiserWithEvents(['First Race']);
    const second = await organiserWithEvents(['Second Race']);
    const hostname = `results-${unique()}.example-race.org`;
    expect(
      (await first.browser.post(`/admin/events/${first.events[0]!.id}/branding/hostname`, { hostname, shows: 'event' }))
        .status,
    ).toBe(303);

    const taken = await second.browser.post(`/admin/events/${second.events[0]!.id}/branding/hostname`, {
      hostname,
      shows: 'event',
    });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain(`${hostname} is already in use`);
    const [row] = await db.select().from(hostnames).where(eq(hostnames.hostname, hostname));
    expect(row!.organiserId).toBe(first.organiser.id);
    expect(row!.eventId).toBe(first.events[0]!.id);
    // It still answers with the first organiser's event.
    expect(await (await onHost(hostname, '/')).text()).toContain('First Race');

    for (const bad of ['not a hostname', 'localhost', 'https://results.example.org/', '192.168.1.1']) {
      const refused = await second.browser.post(`/admin/events/${second.events[0]!.id}/branding/hostname`, {
        hostname: bad,
        shows: 'event',
      });
      expect(refused.status, bad).toBe(400);
    }
  });

  it('lets the organiser move or remove their hostname; a removed one is an ordinary unknown host again', async () => {
    const { browser, events: own } = await organiserWithEvents(['First Race', 'Second Race']);
    const hostname = `results-${unique()}.example-race.org`;
    await browser.post(`/admin/events/${own[0]!.id}/branding/hostname`, { hostname, shows: 'event' });
    expect(await (await onHost(hostname, '/')).text()).toContain('First Race');

    await browser.post(`/admin/events/${own[1]!.id}/branding/hostname`, { hostname, shows: 'event' });
    expect(await (await onHost(hostname, '/')).text()).toContain('Second Race');

    const removed = await browser.post(`/admin/events/${own[1]!.id}/branding/hostname/remove`, { hostname });
    expect(removed.status).toBe(303);
    expect(await db.select().from(hostnames).where(eq(hostnames.hostname, hostname))).toEqual([]);
    const home = await (await onHost(hostname, '/')).text();
    expect(home).not.toContain('<h1>Second Race</h1>');
  });
});
