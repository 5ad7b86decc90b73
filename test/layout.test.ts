import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { assets, events, templates } from '../src/db/schema';
import { designFor } from '../src/render/adapt';
import { layoutSchema, type Design, type Layout } from '../src/render/layout';
import { renderPng } from '../src/render/pipeline';
import { socialVariants, type ImageVariant } from '../src/render/variants';
import { builtInTemplates } from '../templates';
import { certificateFieldsFor, createOrganiser, db, ORIGIN, pngPixels, signIn } from './fixtures';

/** What the designer's page gives its script (see designer.tsx): the layout it edits and where it posts. */
interface DesignerConfig {
  layout: Layout;
  saveUrl: string;
  adaptUrl: string;
  csrfToken: string;
  images: { hash: string }[];
}

/** An organiser's template, with a photo uploaded, open in the designer as a browser sees it. */
async function designerWithPhoto(layout: unknown = builtInTemplates[0]!.layout) {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [event] = await db
    .insert(events)
    .values({ slug: `layout-${crypto.randomUUID().slice(0, 8)}`, name: 'Lakeside 10K', organiserId: organiser.id })
    .returning();
  const [template] = await db.insert(templates).values({ eventId: event!.id, name: 'Mine', layout }).returning();
  const upload = await browser.post(`/admin/events/${event!.id}/assets`, {
    file: new File([env.SAMPLE_PHOTO_JPEG], 'finish-line.jpg'),
  });
  expect(upload.status).toBe(303);
  const [photo] = await db.select().from(assets).where(eq(assets.eventId, event!.id));
  const page = await (await browser.get(`/admin/events/${event!.id}/templates/${template!.id}/design`)).text();
  const json = page.match(/<script type="application\/json" id="designer-config">\s*([\s\S]*?)<\/script>/)![1]!;
  const config = JSON.parse(json) as DesignerConfig;
  expect(config.images.map((i) => i.hash)).toEqual([photo!.hash]);
  // The designer's fetch: JSON with the CSRF token from its config, and the session cookie.
  const send = (path: string, body: unknown) =>
    SELF.fetch(ORIGIN + path, {
      method: 'POST',
      headers: { Cookie: browser.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': config.csrfToken },
      body: JSON.stringify(body),
    });
  const saved = async () => {
    const [row] = await db.select().from(templates).where(eq(templates.id, template!.id));
    return row!.layout as Layout;
  };
  return { config, send, saved, photo: photo! };
}

type BackgroundKind = 'colour' | 'gradient' | 'image';

/**
 * What designer.client.js does when the organiser picks a background kind and then a colour (its
 * page panel's change handler), so the test sends exactly what the browser sends.
 */
function pickBackground(design: Design, kind: BackgroundKind, config: DesignerConfig, chosenColour: string) {
  const colour = (design.background as { colour?: string }).colour ?? '#ffffff';
  if (kind === 'colour') design.background = { colour };
  else if (kind === 'gradient') design.background = { gradient: { from: colour, to: '#dddddd', angle: 135 } };
  else design.background = { image: { asset: config.images[0]!.hash, fit: 'cover' }, colour };
  // The colour field shows for a colour or an image background, not for a gradient.
  if (kind !== 'gradient') (design.background as { colour: string }).colour = chosenColour;
}

describe('backgrounds as the designer saves them', () => {
  it('keeps a colour, gradient or photo background in every format, and draws the photo', async () => {
    const { config, send, saved } = await designerWithPhoto();
    const fields = certificateFieldsFor('Grete Waitz');
    for (const kind of ['colour', 'gradient', 'image'] as const) {
      const layout = structuredClone(config.layout);
      for (const variant of ['certificate', ...socialVariants] as const) {
        // A format without a design of its own gets one first ("Give it a design of its own").
        if (variant !== 'certificate' && !layout[variant]) {
          const adapted = await send(config.adaptUrl, { layout, format: variant });
          expect(adapted.status).toBe(200);
          layout[variant] = (await adapted.json<{ design: Design }>()).design;
        }
        pickBackground(designFor(layout, variant), kind, config, '#ffeedd');
      }
      const res = await send(config.saveUrl, { layout });
      expect(res.status, await res.clone().text()).toBe(200);

      const stored = await saved();
      for (const variant of ['certificate', ...socialVariants] as const) {
        expect(designFor(stored, variant).background, `${kind} background of the ${variant}`).toEqual(
          designFor(layout, variant).background,
        );
      }
      if (kind !== 'image') continue;
      // The certificate as the public gets it: the stored layout, read as public.ts reads it.
      const published = layoutSchema.parse(stored);
      for (const variant of ['certificate', ...socialVariants] as ImageVariant[]) {
        const png = await pngPixels(await renderPng(designFor(published, variant), fields, env));
        const [r, , b] = png.at(20, 25);
        expect(b - r, `the photo's blue sky in the ${variant}'s corner, not the page colour`).toBeGreaterThan(60);
      }
    }
  });

  it('keeps a preset page as the designer sends it back', async () => {
    const preset = layoutSchema.parse({ ...builtInTemplates[0]!.layout, page: { preset: 'a4-portrait' } });
    const { config, send, saved } = await designerWithPhoto(preset);
    expect(config.layout.page).toEqual({ preset: 'a4-portrait', width: 1240, height: 1754 });
    expect((await send(config.saveUrl, { layout: config.layout })).status).toBe(200);
    expect((await saved()).page).toEqual({ preset: 'a4-portrait', width: 1240, height: 1754 });
  });
});

describe('layout unions', () => {
  const layout = builtInTemplates[0]!.layout;
  const photo = 'a'.repeat(32);

  it('refuses a background or page that mixes two kinds, rather than dropping part of it', () => {
    for (const background of [
      { colour: '#123456', gradient: { from: '#000000', to: '#ffffff' } },
      { image: { asset: photo }, gradient: { from: '#000000', to: '#ffffff' } },
      { image: { asset: photo }, colour: '#123456', gradient: { from: '#000000', to: '#ffffff' } },
    ]) {
      const parsed = layoutSchema.safeParse({ ...layout, background });
      expect(parsed.success, JSON.stringify(background)).toBe(false);
      expect(parsed.error!.issues[0]!.path).toEqual(['background']);
    }
    for (const page of [
      { preset: 'a4-landscape', width: 1000, height: 1000 },
      { preset: 'a4-landscape', height: 1000 },
    ]) {
      const parsed = layoutSchema.safeParse({ ...layout, page });
      expect(parsed.success, JSON.stringify(page)).toBe(false);
      expect(parsed.error!.issues[0]!.path).toEqual(['page']);
    }
  });

  it('reads each kind of background and page alone, whatever order its keys come in', () => {
    const parse = (design: object) => layoutSchema.parse({ ...layout, ...design });
    expect(parse({ background: { colour: '#123456', image: { asset: photo } } }).background).toEqual({
      image: { asset: photo, fit: 'cover' },
      colour: '#123456',
    });
    expect(parse({ background: { image: { asset: photo, fit: 'contain' } } }).background).toEqual({
      image: { asset: photo, fit: 'contain' },
      colour: '#ffffff',
    });
    expect(parse({ background: { gradient: { from: '#000000', to: '#ffffff' } } }).background).toEqual({
      gradient: { from: '#000000', to: '#ffffff', angle: 135 },
    });
    expect(parse({ page: { width: 1240, height: 1754, preset: 'a4-portrait' } }).page).toEqual({
      preset: 'a4-portrait',
      width: 1240,
      height: 1754,
    });
    expect(parse({ page: { width: 800, height: 600 } }).page).toEqual({ width: 800, height: 600 });
  });

  it('tells the designer what a background may be', async () => {
    const { config, send } = await designerWithPhoto();
    const background = { colour: '#123456', gradient: { from: '#000000', to: '#ffffff' } };
    const res = await send(config.saveUrl, { layout: { ...config.layout, background } });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: string }>()).error).toMatch(/^layout\.background: .*colour.*gradient.*image/);
  });
});
