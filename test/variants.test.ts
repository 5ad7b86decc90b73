import { env } from 'cloudflare:workers';
import { SELF } from 'cloudflare:test';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { renderPdf, vectorShapes } from '../src/render/pdf';
import { renderPng, renderSvg } from '../src/render/pipeline';
import { adaptDesign } from '../src/render/adapt';
import { certificateFields } from '../src/render/fields';
import { eq } from 'drizzle-orm';
import { events } from '../src/db/schema';
import { createEvent, createOrganiser, db, ORIGIN, pngSize, runner, signIn } from './fixtures';

const layout = builtInTemplates[0]!.layout;

describe('every format from one template', async () => {
  const { event } = await createEvent([runner('5', 'Joan Benoit Samuelson')]);
  const search = await (await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=5`)).json<{
    results: { formats: Record<string, string> }[];
  }>();
  const formats = search.results[0]!.formats;

  it('serves the square and story images at their sizes, adapted from the certificate', async () => {
    for (const [name, size] of [
      ['square', { width: 1080, height: 1080 }],
      ['story', { width: 1080, height: 1920 }],
      ['share', { width: 1200, height: 630 }],
      ['png', { width: 1754, height: 1240 }],
    ] as const) {
      const res = await SELF.fetch(formats[name]!);
      expect(res.headers.get('content-type'), name).toBe('image/png');
      expect(pngSize(new Uint8Array(await res.arrayBuffer())), name).toEqual(size);
    }
  });

  it('serves a print-size PDF whose text is vector shapes, not an image', async () => {
    const res = await SELF.fetch(formats.pdf!);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const pdf = await PDFDocument.load(bytes);
    const [page] = pdf.getPages();
    // A4 landscape: 297 × 210 mm.
    expect(page!.getWidth()).toBeCloseTo(841.9, 0);
    expect(page!.getHeight()).toBeCloseTo(595.2, 0);
    expect(pdf.getTitle()).toBe('Joan Benoit Samuelson · Riverside Marathon');
    expect(new TextDecoder('latin1').decode(bytes)).not.toContain('/Subtype /Image');
    // The same certificate gives the same bytes, as its content-hashed URL promises.
    const again = new Uint8Array(await (await SELF.fetch(formats.pdf!)).arrayBuffer());
    expect(again).toEqual(bytes);
  });

  it('falls back to a 300 dpi image for designs that are not plain vectors', async () => {
    const gradient = { ...layout, background: { gradient: { from: '#ffffff', to: '#dddddd', angle: 90 } } };
    const fields = certificateFields({
      event: { name: 'E', date: null, location: null, language: null },
      record: {
        ...runner('1', 'Grete Waitz'),
        bib: '1',
        category: null,
        gender: null,
        age: null,
        rankGender: null,
        rankCategory: null,
        extra: null,
        finishTime: '2:25:29',
        rankOverall: 1,
        status: 'finished',
        language: null,
      },
    });
    const svg = await renderSvg(gradient, fields, env);
    expect(vectorShapes(svg)).toBeUndefined();
    let rasterScale = 0;
    const bytes = await renderPdf({
      svg,
      ...gradient.page,
      fields: {},
      raster300dpi: async () => {
        rasterScale = 2;
        return renderPng(gradient, fields, env, 2);
      },
    });
    expect(rasterScale).toBe(2);
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).toContain('/Subtype /Image');
    expect(text).toMatch(/\/Width 3508/);
  });

  it('adapts the certificate to a story by re-flowing its texts inside the safe area', () => {
    const story = adaptDesign(layout, { width: 1080, height: 1920 });
    expect(story.page).toEqual({ width: 1080, height: 1920 });
    for (const element of story.elements) {
      expect(element.x).toBeGreaterThanOrEqual(0);
      expect(element.x + element.width).toBeLessThanOrEqual(1080);
      if (element.type !== 'text') continue;
      expect(element.y).toBeGreaterThanOrEqual(250);
      expect(element.y + element.height).toBeLessThanOrEqual(1580);
    }
  });
});

describe('organiser API record', () => {
  it('lists the URL of each format once the certificate is public', async () => {
    const { email, password, organiser } = await createOrganiser();
    const browser = await signIn(email, password);
    const page = await (await browser.post('/admin/tokens', { name: 't' })).text();
    const token = page.match(/<code data-token[^>]*>([^<]+)<\/code>/)![1]!;
    const { event } = await createEvent([runner('77', 'Public Person')]);
    await db.update(events).set({ organiserId: organiser.id }).where(eq(events.id, event.id));
    const record = await (
      await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/records/77`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json<{ formats: Record<string, string>; verifyUrl: string }>();
    expect(Object.keys(record.formats).sort()).toEqual(['pdf', 'png', 'share', 'square', 'story', 'svg']);
    expect(record.formats.pdf).toMatch(/\/certificate-[0-9a-f]{24}\.pdf$/);
    expect(record.verifyUrl).toMatch(/\/verify\/[\w-]{22}\/[0-9a-f]{16}$/);
  });
});
