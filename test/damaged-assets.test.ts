import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { assetKey } from '../src/assets/keys';
import { assets, events, templates } from '../src/db/schema';
import type { Layout } from '../src/render/layout';
import {
  assetHashOf,
  distinct,
  jpegWithNoise,
  pngWithBrokenPixels,
  realJpeg,
  realTtf,
  truncated,
  ttfWithBrokenGlyphs,
} from './damaged-files';
import { createEvent, createOrganiser, db, ORIGIN, pngPixels, runner, signIn } from './fixtures';

/** A published event with one finisher, owned by an organiser who is signed in to the admin. */
async function publishedEvent() {
  const { organiser, email, password } = await createOrganiser();
  const { event, template } = await createEvent([runner('42', 'Grete Waitz')]);
  await db.update(events).set({ organiserId: organiser.id }).where(eq(events.id, event.id));
  const browser = await signIn(email, password);
  const upload = (bytes: Uint8Array, name: string) =>
    browser.post(`/admin/events/${event.id}/assets`, { file: new File([bytes], name) });
  const certificateTab = async () => (await browser.get(`/admin/events/${event.id}/certificate`)).text();
  return { event, template, browser, upload, certificateTab };
}

const messageOf = async (res: Response) => (await res.text()).match(/<p[^>]*>([^<]*)<\/p>/)?.[1];
const storedAssets = async () => (await env.FILES.list({ prefix: 'assets/' })).objects.length;

describe('damaged uploads are refused, and nothing is stored', () => {
  it('refuses a JPEG whose scan data is cut short or overwritten, small or downscaled', async () => {
    const { upload, event } = await publishedEvent();
    const jpeg = await realJpeg();
    const before = await storedAssets();
    for (const [bytes, name] of [
      [truncated(jpeg), 'cut-short.jpg'],
      [jpegWithNoise(jpeg), 'noisy.jpg'],
      // 6000×4000: downscaled through the Images binding, which gets nothing out of it.
      [truncated(new Uint8Array(env.SAMPLE_PHOTO_JPEG)), 'camera.jpg'],
    ] as const) {
      const res = await upload(bytes, name);
      expect(res.status, name).toBe(400);
      expect(await messageOf(res), name).toMatch(/This JPEG image could not be read: the file is damaged/);
      expect(await env.FILES.head(assetKey(await assetHashOf(bytes))), name).toBeNull();
    }
    expect(await db.select().from(assets).where(eq(assets.eventId, event.id))).toHaveLength(0);
    expect(await storedAssets()).toBe(before);
    // The same photo undamaged is taken.
    expect((await upload(jpeg, 'whole.jpg')).status).toBe(303);
  });

  it('refuses a PNG whose compressed pixels are overwritten', async () => {
    const { upload, event } = await publishedEvent();
    const res = await upload(pngWithBrokenPixels(new Uint8Array(env.SAMPLE_LOGO_PNG)), 'logo.png');
    expect(res.status).toBe(400);
    expect(await messageOf(res)).toMatch(/This PNG image could not be read: the file is damaged/);
    expect(await db.select().from(assets).where(eq(assets.eventId, event.id))).toHaveLength(0);
  });

  it('refuses a font whose glyph outlines are damaged, though its tables still parse', async () => {
    const { upload, event } = await publishedEvent();
    const damaged = await ttfWithBrokenGlyphs();
    const res = await upload(damaged, 'brand.ttf');
    expect(res.status).toBe(400);
    expect(await messageOf(res)).toMatch(/This font file could not be read: the file is damaged/);
    expect(await env.FILES.head(assetKey(await assetHashOf(damaged)))).toBeNull();
    expect(await db.select().from(assets).where(eq(assets.eventId, event.id))).toHaveLength(0);
    // The font it was made from is taken.
    expect((await upload(await realTtf(), 'brand.ttf')).status).toBe(303);
  });
});

describe('an upload damaged after it was stored', () => {
  it('is left out of every certificate, never a 500, and the Certificate tab says so', async () => {
    const { event, template, upload, certificateTab } = await publishedEvent();
    // Distinct bytes: nothing rendered before this test has them cached.
    const files = {
      photo: distinct(await realJpeg(600)),
      logo: distinct(new Uint8Array(env.SAMPLE_LOGO_PNG)),
      font: distinct(await realTtf()),
    };
    for (const [bytes, name] of [
      [files.photo, 'finish-line.jpg'],
      [files.logo, 'logo.png'],
      [files.font, 'brand.ttf'],
    ] as const)
      expect((await upload(bytes, name)).status, name).toBe(303);
    const [photo, logo, font] = await Promise.all(Object.values(files).map(assetHashOf));
    const layout: Layout = {
      schema: 1,
      page: { width: 1000, height: 600 },
      background: { image: { asset: photo!, fit: 'cover' }, colour: '#123456' },
      elements: [
        { type: 'image', asset: logo!, x: 50, y: 50, width: 300, height: 120, fit: 'contain' },
        {
          type: 'text',
          x: 0,
          y: 300,
          width: 1000,
          height: 200,
          text: '{name}',
          align: 'center',
          uppercase: false,
          maxLines: 1,
          font: {
            family: 'Noto Serif',
            weight: 400,
            size: 80,
            colour: '#ffffff',
            letterSpacing: 0,
            lineHeight: 1.2,
            asset: font!,
          },
        },
      ],
    };
    await db.update(templates).set({ layout }).where(eq(templates.id, template.id));

    // The bucket's copies go bad: cut short, overwritten.
    await env.FILES.put(assetKey(photo!), truncated(files.photo));
    await env.FILES.put(assetKey(logo!), pngWithBrokenPixels(files.logo));
    await env.FILES.put(assetKey(font!), await ttfWithBrokenGlyphs());

    const search = await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=42`);
    const [result] = (await search.json<{ results: { formats: Record<string, string> }[] }>()).results;
    for (const [format, url] of Object.entries(result!.formats)) {
      expect((await SELF.fetch(url)).status, format).toBe(200);
    }
    const png = await pngPixels(new Uint8Array(await (await SELF.fetch(result!.formats.png!)).arrayBuffer()));
    const navy = [0x12, 0x34, 0x56, 255];
    expect(png.at(5, 5)).toEqual(navy); // the background's colour where the photo was
    expect(png.at(200, 110)).toEqual(navy); // and where the logo was
    let drawn = 0; // the name, in the template's own font family instead
    for (let x = 0; x < 1000; x += 2) if (png.at(x, 400)[0] > 200) drawn++;
    expect(drawn).toBeGreaterThan(10);
    const svg = await (await SELF.fetch(result!.formats.svg!)).text();
    expect(svg).not.toContain('data:image');

    const tab = await certificateTab();
    expect(tab).toContain('The image finish-line.jpg could not be drawn; certificates are shown without it.');
    expect(tab).toContain('The image logo.png could not be drawn; certificates are shown without it.');
    expect(tab).toContain('The font brand.ttf could not be drawn; certificates use the template’s own font instead.');

    // Uploading the file again puts it back, and the warning goes.
    expect((await upload(files.logo, 'logo.png')).status).toBe(303);
    expect(await certificateTab()).not.toContain('The image logo.png could not be drawn');
  });
});
