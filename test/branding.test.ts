import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events } from '../src/db/schema';
import { createEvent, createOrganiser, db, ORIGIN, pngPixels, runner, signIn } from './fixtures';

/** A published event of a signed-in organiser, with one runner. */
async function brandableEvent() {
  const { email, password, organiser } = await createOrganiser();
  const browser = await signIn(email, password);
  const { event } = await createEvent([runner('7', 'Sifan Hassan')]);
  await db.update(events).set({ organiserId: organiser.id }).where(eq(events.id, event.id));
  return { browser, event };
}

const logo = () => new File([env.SAMPLE_LOGO_PNG], 'logo.png', { type: 'image/png' });
const cover = () => new File([env.SAMPLE_PHOTO_JPEG], 'finish-line.jpg', { type: 'image/jpeg' });

async function certificatePage(slug: string) {
  const search = await (await SELF.fetch(`${ORIGIN}/events/${slug}?q=7`)).text();
  const url = search.match(/href="([^"]+\/certificates\/[^"]+)"/)![1]!;
  const page = await (await SELF.fetch(url)).text();
  return { page, shareImageUrl: page.match(/property="og:image" content="([^"]+)"/)![1]! };
}

describe("the event's own look", () => {
  it('shows the accent colour, logo and cover on the event page and the certificate page', async () => {
    const { browser, event } = await brandableEvent();
    const saved = await browser.post(`/admin/events/${event.id}/branding`, {
      accentColour: '#0B3D91',
      logo: logo(),
      cover: cover(),
    });
    expect(saved.status).toBe(303);

    const eventPage = await (await SELF.fetch(`${ORIGIN}/events/${event.slug}`)).text();
    expect(eventPage).toContain('--accent:#0b3d91');
    const logoUrl = eventPage.match(
      /<img[^>]+class="event-logo"[^>]+src="([^"]+)"|<img[^>]+src="([^"]+)"[^>]+class="event-logo"/,
    );
    expect(logoUrl).not.toBeNull();
    const logoSrc = (logoUrl![1] ?? logoUrl![2])!;
    const logoFile = await SELF.fetch(new URL(logoSrc, ORIGIN));
    expect(logoFile.status).toBe(200);
    expect(logoFile.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await logoFile.arrayBuffer())).toEqual(new Uint8Array(env.SAMPLE_LOGO_PNG));
    // The 6000 px photo was downscaled once on upload, like any other.
    const coverSrc = eventPage.match(/class="event-cover"[^>]*src="([^"]+)"|src="([^"]+)"[^>]*class="event-cover"/)!;
    const coverFile = await SELF.fetch(new URL((coverSrc[1] ?? coverSrc[2])!, ORIGIN));
    expect(coverFile.headers.get('content-type')).toBe('image/jpeg');
    expect((await coverFile.arrayBuffer()).byteLength).toBeLessThan(env.SAMPLE_PHOTO_JPEG.byteLength);

    const { page } = await certificatePage(event.slug);
    expect(page).toContain('--accent:#0b3d91');
    expect(page).toContain(logoSrc);

    // The settings page shows what was chosen, with its contrast.
    const form = await (await browser.get(`/admin/events/${event.id}/branding`)).text();
    expect(form).toContain('value="#0b3d91"');
    expect(form).toMatch(/\d+(\.\d+)?:1/);
  });

  it('leaves an unbranded event with the portal’s own look, and no logo', async () => {
    const { event } = await brandableEvent();
    const eventPage = await (await SELF.fetch(`${ORIGIN}/events/${event.slug}`)).text();
    expect(eventPage).not.toContain('event-logo');
    expect(eventPage).not.toMatch(/:root\{--accent/);
  });

  it('refuses an accent colour white text cannot be read on, saying its contrast ratio', async () => {
    const { browser, event } = await brandableEvent();
    const refused = await browser.post(`/admin/events/${event.id}/branding`, { accentColour: '#ffd166' });
    expect(refused.status).toBe(400);
    const text = await refused.text();
    // #ffd166 as link text on the page's #f6f7f9: 1.34:1 (1.44:1 under white text), far from AA's 4.5:1.
    expect(text).toContain('1.34:1');
    expect(text).toContain('4.5:1');
    const [row] = await db.select().from(events).where(eq(events.id, event.id));
    expect(row!.accentColour).toBeNull();

    const notColour = await browser.post(`/admin/events/${event.id}/branding`, { accentColour: 'red; } body {' });
    expect(notColour.status).toBe(400);
    expect(await notColour.text()).toContain('#rrggbb');
  });

  it('lets only the event’s own organiser change its look', async () => {
    const { event } = await brandableEvent();
    const stranger = await brandableEvent();
    const refused = await stranger.browser.post(`/admin/events/${event.id}/branding`, { accentColour: '#0b3d91' });
    expect(refused.status).toBe(404);
    const [row] = await db.select().from(events).where(eq(events.id, event.id));
    expect(row!.accentColour).toBeNull();
  });

  it('frames the share card in the accent colour: a new image at a new URL, the old one gone (410)', async () => {
    const { browser, event } = await brandableEvent();
    const before = await certificatePage(event.slug);
    const plain = await SELF.fetch(before.shareImageUrl);
    expect(plain.status).toBe(200);
    const plainPixels = await pngPixels(new Uint8Array(await plain.arrayBuffer()));

    expect((await browser.post(`/admin/events/${event.id}/branding`, { accentColour: '#0b3d91' })).status).toBe(303);
    const after = await certificatePage(event.slug);
    expect(after.shareImageUrl).not.toBe(before.shareImageUrl);
    expect((await SELF.fetch(before.shareImageUrl)).status).toBe(410);

    const framed = await SELF.fetch(after.shareImageUrl);
    expect(framed.status).toBe(200);
    const framedPixels = await pngPixels(new Uint8Array(await framed.arrayBuffer()));
    expect([framedPixels.width, framedPixels.height]).toEqual([1200, 630]);
    // The band along every edge is the accent; the middle is the card as it was.
    for (const [x, y] of [
      [4, 4],
      [600, 4],
      [1195, 315],
      [600, 625],
      [4, 315],
    ] as const) {
      expect(framedPixels.at(x, y)).toEqual([0x0b, 0x3d, 0x91, 255]);
      expect(plainPixels.at(x, y)).not.toEqual([0x0b, 0x3d, 0x91, 255]);
    }
    expect(framedPixels.at(600, 315)).toEqual(plainPixels.at(600, 315));
  });
});
