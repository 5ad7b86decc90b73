import { env } from 'cloudflare:workers';
import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { assetKey } from '../src/assets/keys';
import { events } from '../src/db/schema';
import { designFor } from '../src/render/adapt';
import type { CertificateFields, FieldSources } from '../src/render/fields';
import { layoutSchema, type Layout } from '../src/render/layout';
import { rasterise, renderDrawing, renderLayers, renderPng } from '../src/render/pipeline';
import { encodePng } from '../src/render/png';
import { ISOLATE_CACHE_BYTES, RecentCache } from '../src/render/recent';
import { forgetIsolateLayers, renderCertificatePng } from '../src/render/static-layer';
import { RenderTiming } from '../src/render/timing';
import { variantNames } from '../src/render/variants';
import { certificateFieldsFor, createEvent, db, pngPixels, runner } from './fixtures';

// The fast path (a static layer kept per design and event, the per-record band drawn alone) must
// give the pixels of the whole-page render, within 2/255 on every channel, for every built-in
// design, variant and script; designs it cannot take fall back to the whole page, saying why.

const names = {
  latinLong: 'Maria del Carmen Fernández de la Concepción Rodríguez-Villaseñor y Hohenzollern-Sigmaringen Smith-Jones',
  arabic: 'محمد عبد الله',
  chinese: '王小明',
  devanagari: 'अमिताभ बच्चन',
};

const fieldsFor = (name: string, own: Partial<FieldSources['record']> = {}): CertificateFields => ({
  ...certificateFieldsFor(name, own),
  verifyUrl: `https://portal.example/verify/cert-0000000000000000/${name.length.toString(16).padStart(16, '0')}`,
});

/** The largest difference of any channel of any pixel, after checking both are the same size. */
async function largestDifference(a: Uint8Array, b: Uint8Array): Promise<number> {
  const [x, y] = await Promise.all([pngPixels(a), pngPixels(b)]);
  expect([x.width, x.height]).toEqual([y.width, y.height]);
  let most = 0;
  for (let i = 0; i < x.rgba.length; i++) most = Math.max(most, Math.abs(x.rgba[i]! - y.rgba[i]!));
  return most;
}

/** Both renders of a design for a record, and how the fast one went. */
async function bothWays(layout: Layout, variant: (typeof variantNames)[number], fields: CertificateFields) {
  const design = designFor(layout, variant);
  const timing = new RenderTiming();
  const fast = await renderCertificatePng(design, fields, env, timing);
  const whole = await renderPng(design, fields, env);
  return { path: timing.path, difference: await largestDifference(fast, whole), bytes: fast.length };
}

async function upload(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const id = [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  await env.FILES.put(assetKey(id), bytes, { httpMetadata: { contentType } });
  return id;
}

describe('the fast path of a certificate PNG', () => {
  for (const template of builtInTemplates) {
    it(`draws ${template.slug} as the whole-page render does, every variant and script`, async () => {
      for (const variant of variantNames) {
        for (const [script, name] of Object.entries(names)) {
          const { path, difference } = await bothWays(template.layout, variant, fieldsFor(name));
          expect(path, `${variant} ${script}`).toBe('fast');
          expect(difference, `${variant} ${script}`).toBeLessThanOrEqual(2);
        }
      }
    });
  }

  it('writes the SVG of a plain design without Satori, to exactly the pixels Satori gives', async () => {
    const plainOnes: string[] = [];
    for (const template of builtInTemplates) {
      for (const variant of variantNames) {
        const design = designFor(template.layout, variant);
        const fields = fieldsFor(names.latinLong);
        const timing = new RenderTiming();
        const [plain, satori] = await Promise.all([
          renderLayers(design, fields, env, timing, { plain: true }),
          renderLayers(design, fields, env),
        ]);
        if (!('satori' in timing.ms)) plainOnes.push(`${template.slug} ${variant}`);
        const pixels = (svg: string) => rasterise(svg, design.page, design.page.width, new RenderTiming()).pixels;
        const [mine, satoris] = [pixels(plain.svg), pixels(satori.svg)];
        expect(mine.length).toBe(satoris.length);
        expect(
          mine.findIndex((v, i) => v !== satoris[i]),
          `${template.slug} ${variant}`,
        ).toBe(-1);
      }
    }
    // The demo's design and the share card are plain; a gradient or rounded corners go through Satori.
    expect(plainOnes).toContain('classic-finisher certificate');
    expect(plainOnes.length).toBeLessThan(builtInTemplates.length * variantNames.length);
  });

  it('keeps conditions: a DNF record loses its time and ranks as the whole page does', async () => {
    const dnf = fieldsFor('Paula Radcliffe', {
      status: 'dnf',
      finishTime: null,
      rankOverall: null,
      rankGender: null,
      rankCategory: null,
    });
    for (const template of builtInTemplates) {
      const { path, difference } = await bothWays(template.layout, 'certificate', dnf);
      expect(path, template.slug).toBe('fast');
      expect(difference, template.slug).toBeLessThanOrEqual(2);
    }
  });

  it("falls back to the whole page when a name's marks reach out of its band", async () => {
    const zalgo = fieldsFor('Z̷̢̛̛̛a̸͎͝͝͝l̴̰̈̈̈g̵̱̏̏̏o̶̧͠͠͠ Kent');
    for (const template of builtInTemplates) {
      const { path, difference } = await bothWays(template.layout, 'certificate', zalgo);
      expect(path, template.slug).toMatch(/^(fast|full: per-record ink outside its band)$/);
      expect(difference, template.slug).toBeLessThanOrEqual(2);
    }
  });

  it('draws uploaded images, a QR code per record and a logo overlapping the name band', async () => {
    const logo = await upload(new Uint8Array(env.SAMPLE_LOGO_PNG), 'image/png');
    const photo = await upload(new Uint8Array(env.SAMPLE_PHOTO_JPEG), 'image/jpeg');
    const base = builtInTemplates[0]!.layout;
    const layout = layoutSchema.parse({
      ...base,
      elements: [
        ...base.elements,
        // Over the name, painted after it: the band draws it again, in the same order.
        { type: 'image', asset: logo, x: 700, y: 440, width: 300, height: 120 },
        { type: 'image', asset: photo, x: 1374, y: 80, width: 300, height: 300, fit: 'cover' },
        { type: 'qr', x: 1500, y: 900, width: 180, height: 180, background: '#ffffff' },
        {
          type: 'rect',
          x: 177,
          y: 560,
          width: 400,
          height: 20,
          fill: '#c9a227',
          when: { field: 'rankOverall', op: 'lte', value: 20 },
        },
      ],
    });
    for (const variant of variantNames) {
      for (const [script, name] of Object.entries(names)) {
        const { path, difference } = await bothWays(layout, variant, fieldsFor(name));
        expect(path, `${variant} ${script}`).toBe('fast');
        expect(difference, `${variant} ${script}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it('falls back to the whole page for a photo background, and says so', async () => {
    const photo = await upload(new Uint8Array(env.SAMPLE_PHOTO_JPEG), 'image/jpeg');
    const layout = layoutSchema.parse({
      ...builtInTemplates[0]!.layout,
      background: { image: { asset: photo, fit: 'cover' } },
    });
    const { path, difference } = await bothWays(layout, 'certificate', fieldsFor(names.arabic));
    expect(path).toBe('full: photo background');
    expect(difference).toBe(0);
  });

  it('falls back where per-record elements cover most of the page', async () => {
    const layout = layoutSchema.parse({
      ...builtInTemplates[2]!.layout,
      elements: [
        // A frame only finishers get: per record, and the whole page high.
        {
          type: 'rect',
          x: 20,
          y: 20,
          width: 1714,
          height: 1200,
          stroke: '#c9a227',
          strokeWidth: 6,
          when: { field: 'status', op: 'eq', value: 'finished' },
        },
        ...builtInTemplates[2]!.layout.elements,
      ],
    });
    const { path, difference } = await bothWays(layout, 'certificate', fieldsFor(names.chinese));
    expect(path).toBe('full: per-record elements span 97% of the page');
    expect(difference).toBe(0);
  });

  it('makes small PNGs of the demo design', async () => {
    const sizes: Record<string, number> = {};
    for (const variant of variantNames) {
      sizes[variant] = (await bothWays(builtInTemplates[0]!.layout, variant, fieldsFor('Paula Radcliffe'))).bytes;
    }
    console.log('fast-path PNG bytes', sizes);
    expect(sizes.certificate).toBeLessThanOrEqual(90_000);
    expect(sizes.share).toBeLessThanOrEqual(50_000);
  });

  it('tells where an image request spent its time, and draws the static layer after the first response', async () => {
    const bibs = ['15', '16', '17', '18', '19', '20'];
    const { event } = await createEvent(bibs.map((bib) => runner(bib, `Tirunesh Dibaba ${bib}`)));
    // An event name no other test draws, so no static layer of it is in this isolate yet.
    await db
      .update(events)
      .set({ name: `Fast Path ${event.slug}` })
      .where(eq(events.id, event.id));
    const serverTiming = async (bib: string) => {
      const res = await SELF.fetch(`https://portal.test/api/v1/events/${event.slug}/search?q=${bib}`);
      const { results } = await res.json<{ results: { imageUrl: string }[] }>();
      const image = await SELF.fetch(results[0]!.imageUrl);
      expect(image.status).toBe(200);
      expect(image.headers.get('x-certificate-cache')).toBe('miss');
      await image.arrayBuffer();
      return image.headers.get('server-timing')!;
    };
    // This design and event have not been drawn in this isolate: the first participant gets the whole page.
    const first = await serverTiming(bibs[0]!);
    expect(first).toContain('path;desc="full: static layer being drawn"');
    for (const phase of ['d1', 'r2', 'fonts', 'text', 'resvg', 'png', 'total'])
      expect(first).toMatch(new RegExp(`\\b${phase};dur=\\d+\\.\\d`));
    // The whole is at least its longest phase (phases may overlap, so not their sum).
    const durations = Object.fromEntries([...first.matchAll(/(\w+);dur=([\d.]+)/g)].map((m) => [m[1]!, Number(m[2])]));
    expect(durations.total).toBeGreaterThanOrEqual(Math.max(...Object.values(durations)));
    let later = '';
    for (const bib of bibs.slice(1)) {
      later = await serverTiming(bib);
      if (later.includes('path;desc="fast"')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(later).toContain('path;desc="fast"');

    // A fresh isolate takes the layer this one drew from R2: its first participant is on the fast path too.
    expect((await env.FILES.list({ prefix: 'static-layers/' })).objects.length).toBeGreaterThan(0);
    forgetIsolateLayers();
    expect(await serverTiming(bibs.at(-1)!)).toContain('path;desc="fast"');
  });

  it('draws from a layer kept in R2 the pixels of the whole page', async () => {
    const design = designFor(builtInTemplates[1]!.layout, 'certificate');
    const fields = { ...fieldsFor('Haile Gebrselassie'), event: 'Layer In R2 Marathon' };
    await renderCertificatePng(design, fields, env, new RenderTiming());
    forgetIsolateLayers();
    const timing = new RenderTiming();
    const fast = await renderCertificatePng(design, fields, env, timing);
    expect(timing.path).toBe('fast');
    expect(await largestDifference(fast, await renderPng(design, fields, env))).toBeLessThanOrEqual(2);
  });
});

// Keeps the encoder honest for pictures the renderer never makes: a 1×1 page.
it('encodes a one-pixel PNG', async () => {
  const { rgba } = await pngPixels(encodePng(new Uint8Array([1, 2, 3, 4]), 1, 1));
  expect([...rgba]).toEqual([1, 2, 3, 4]);
});

/** Drops what every cache of the isolate holds: a cache filling their common bound pushes the rest out. */
function forgetIsolateCaches() {
  const filler = new RecentCache<string>(ISOLATE_CACHE_BYTES);
  filler.set('filler', 'x', ISOLATE_CACHE_BYTES);
  filler.clear();
}

it('draws a text set by an earlier render as it draws one set afresh, pixels and PDF text alike', async () => {
  const design = designFor(builtInTemplates[0]!.layout, 'certificate');
  const fields = fieldsFor(names.arabic);
  // Another runner first: the labels, the category and "finished in" are set then, not for this one.
  await renderPng(design, fieldsFor('Paula Radcliffe'), env);
  const png = await renderPng(design, fields, env);
  const { text } = await renderDrawing(design, fields, env);
  forgetIsolateCaches();
  expect(await largestDifference(png, await renderPng(design, fields, env))).toBe(0);
  forgetIsolateCaches();
  expect(text.clusters).toEqual((await renderDrawing(design, fields, env)).text.clusters);
  expect(text.clusters.some((c) => /\p{Script=Arabic}/u.test(c.text))).toBe(true);
});
