import { env } from 'cloudflare:workers';
import serifBold from '@fontsource/noto-serif/files/noto-serif-latin-700-normal.woff';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { assets, events, templates } from '../src/db/schema';
import { sniffAsset } from '../src/assets/sniff';
import type { Layout } from '../src/render/layout';
import { renderPdf, vectorShapes } from '../src/render/pdf';
import { renderPng, renderSvg } from '../src/render/pipeline';
import { builtInTemplates } from '../templates';
import { createOrganiser, db, ORIGIN, pngPixels, pngSize, signIn } from './fixtures';
import { SELF } from 'cloudflare:test';

async function organiserWithEvent() {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [event] = await db
    .insert(events)
    .values({ slug: `assets-${crypto.randomUUID().slice(0, 8)}`, name: 'Lakeside 10K', organiserId: organiser.id })
    .returning();
  const [template] = await db
    .insert(templates)
    .values({ eventId: event!.id, name: 'Mine', layout: builtInTemplates[0]!.layout })
    .returning();
  const upload = (bytes: ArrayBuffer | Uint8Array, name: string) =>
    browser.post(`/admin/events/${event!.id}/assets`, { file: new File([bytes], name) });
  const uploaded = async (bytes: ArrayBuffer | Uint8Array, name: string) => {
    const res = await upload(bytes, name);
    expect(res.status, await res.clone().text()).toBe(303);
    const [row] = await db.select().from(assets).where(eq(assets.eventId, event!.id)).orderBy(assets.id);
    return (
      (await db.select().from(assets).where(eq(assets.eventId, event!.id))).find(
        (a) => a.name === name || a.kind === 'font',
      ) ?? row!
    );
  };
  const preview = (layout: unknown) =>
    SELF.fetch(`${ORIGIN}/admin/events/${event!.id}/templates/${template!.id}/preview`, {
      method: 'POST',
      headers: { Cookie: browser.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': browser.csrfToken },
      body: JSON.stringify({ layout }),
    });
  return { browser, event: event!, template: template!, upload, uploaded, preview };
}

const errorOf = async (res: Response) =>
  (await res.text()).match(/<p[^>]*>([^<]*(?:PNG|JPEG|font|MB|px|file)[^<]*)<\/p>/)?.[1];

/** A PNG header claiming the given size: the size check must refuse it before anything decodes it. */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return bytes;
}

describe('asset uploads', () => {
  it('downscales a 6000×4000 photo once on upload and lists it with both sizes', async () => {
    const { event, uploaded, browser } = await organiserWithEvent();
    const photo = await uploaded(env.SAMPLE_PHOTO_JPEG, 'finish-line.jpg');
    expect(photo).toMatchObject({
      kind: 'image',
      contentType: 'image/jpeg',
      width: 2560,
      height: 1707,
      originalWidth: 6000,
      originalHeight: 4000,
    });
    const stored = await env.FILES.get(`assets/${photo.hash}`);
    expect(sniffAsset(new Uint8Array(await stored!.arrayBuffer()))).toMatchObject({ width: 2560, height: 1707 });

    const page = await (await browser.get(`/admin/events/${event.id}/certificate`)).text();
    expect(page).toContain('finish-line.jpg');
    expect(page).toContain('2560×1707 px');
    expect(page).toContain('downscaled from 6000×4000 px');
  });

  it('keeps a small logo as it is, and stores the same file once however often it is uploaded', async () => {
    const { event, upload, uploaded } = await organiserWithEvent();
    const logo = await uploaded(env.SAMPLE_LOGO_PNG, 'logo.png');
    expect(logo).toMatchObject({
      kind: 'image',
      contentType: 'image/png',
      width: 600,
      height: 240,
      originalWidth: null,
    });
    expect((await upload(env.SAMPLE_LOGO_PNG, 'logo.png')).status).toBe(303);
    expect(await db.select().from(assets).where(eq(assets.eventId, event.id))).toHaveLength(1);
  });

  it('accepts a WOFF font', async () => {
    const { uploaded } = await organiserWithEvent();
    expect(await uploaded(serifBold, 'brand.woff')).toMatchObject({
      kind: 'font',
      contentType: 'font/woff',
      name: 'brand.woff',
    });
  });

  it('refuses anything else with a message that says what to upload instead', async () => {
    const { upload, event } = await organiserWithEvent();
    const cases: Array<[Uint8Array, string, number, RegExp]> = [
      [new TextEncoder().encode('GIF89a....'), 'anim.gif', 415, /GIF images are not supported\. Upload a PNG or JPEG/],
      [
        new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
        'logo.svg',
        415,
        /SVG files are not supported/,
      ],
      [
        new TextEncoder().encode('wOF2\x00\x01\x00\x00'),
        'brand.woff2',
        415,
        /WOFF2 fonts are not supported.*TTF, OTF or WOFF/,
      ],
      [
        new TextEncoder().encode('bib,name\n1,Ann'),
        'results.png',
        415,
        /not a PNG or JPEG image, nor a TTF, OTF or WOFF font/,
      ],
      [pngHeader(9000, 3000), 'huge.png', 413, /9000×3000 px; images may be at most 8,000 px a side/],
      [new Uint8Array(10 * 1024 * 1024 + 1), 'big.jpg', 413, /at most 10 MB/],
      [new TextEncoder().encode('wOFF this is not really a font'), 'broken.woff', 400, /font file could not be read/],
      [new Uint8Array(0), 'empty.png', 400, /The file is empty/],
    ];
    for (const [bytes, name, status, message] of cases) {
      const res = await upload(bytes, name);
      expect(res.status, name).toBe(status);
      expect(await errorOf(res), name).toMatch(message);
    }
    expect(await db.select().from(assets).where(eq(assets.eventId, event.id))).toHaveLength(0);
  });

  it("serves an asset only to its event's organiser", async () => {
    const owner = await organiserWithEvent();
    const logo = await owner.uploaded(env.SAMPLE_LOGO_PNG, 'logo.png');
    const path = `/admin/events/${owner.event.id}/assets/${logo.id}`;
    expect((await owner.browser.get(path)).headers.get('content-type')).toBe('image/png');
    const other = await organiserWithEvent();
    expect((await other.browser.get(path)).status).toBe(404);
  });
});

describe('images on certificates', () => {
  it('draws an uploaded background (cover) and logo (contain) in the preview', async () => {
    const { uploaded, preview } = await organiserWithEvent();
    const photo = await uploaded(env.SAMPLE_PHOTO_JPEG, 'finish-line.jpg');
    const logo = await uploaded(env.SAMPLE_LOGO_PNG, 'logo.png');
    const layout = {
      schema: 1,
      page: { preset: 'a4-landscape' },
      background: { image: { asset: photo.hash, fit: 'cover' } },
      elements: [{ type: 'image', asset: logo.hash, x: 100, y: 100, width: 600, height: 600, fit: 'contain' }],
    };
    const res = await preview(layout);
    expect(res.status).toBe(200);
    const png = await pngPixels(new Uint8Array(await res.arrayBuffer()));
    expect({ width: png.width, height: png.height }).toEqual({ width: 1754, height: 1240 });
    const [r, , b] = png.at(10, 10);
    expect(b).toBeGreaterThan(r); // the photo's blue sky at the top, not a white page
    const [lr, lg, lb] = png.at(400, 400);
    expect(lr).toBeGreaterThan(150); // the logo's red, drawn at its box's centre
    expect(lg + lb).toBeLessThan(200);
    // Contained: the 600×240 logo is 240 px tall in its 600 px box, so its box's top stays clear.
    expect(png.at(400, 150)).not.toEqual(png.at(400, 400));
  });

  it('puts the photo itself in the PDF, with the text still vectors', async () => {
    const { uploaded } = await organiserWithEvent();
    const photo = await uploaded(env.SAMPLE_PHOTO_JPEG, 'finish-line.jpg');
    const design: Layout = {
      ...builtInTemplates[0]!.layout,
      background: { image: { asset: photo.hash, fit: 'cover' }, colour: '#ffffff' },
    };
    const svg = await renderSvg(design, { name: 'Grete Waitz', event: 'Lakeside 10K' }, env);
    const shapes = vectorShapes(svg)!;
    expect(shapes[1]).toMatchObject({ kind: 'image', height: 1240 }); // covering the page: 1754×1240 cut from 1860×1240
    expect(shapes.filter((s) => s.kind === 'path').length).toBeGreaterThan(0);
    const pdf = new TextDecoder('latin1').decode(
      await renderPdf({
        svg,
        ...design.page,
        fields: {},
        raster300dpi: () => Promise.reject(new Error('no raster expected')),
      }),
    );
    expect(pdf).toMatch(/\/Subtype \/Image[\s\S]*?\/Width 2560/);
    expect(pdf).toContain('/DCTDecode');
  });

  it('crops a cover image to its box and draws a contained one without a clip', async () => {
    const { uploaded } = await organiserWithEvent();
    const logo = await uploaded(env.SAMPLE_LOGO_PNG, 'logo.png');
    const design = (fit: 'cover' | 'contain'): Layout => ({
      schema: 1,
      page: { width: 1000, height: 1000 },
      background: { colour: '#ffffff' },
      elements: [{ type: 'image', asset: logo.hash, x: 300, y: 300, width: 300, height: 300, fit }],
    });
    const cover = await pngPixels(await renderPng(design('cover'), { name: 'X' }, env));
    expect(cover.at(450, 450)[1]).toBeLessThan(100); // the logo's red fills the box
    expect(cover.at(290, 450)).toEqual([255, 255, 255, 255]); // and stops at its edge
    expect(cover.at(610, 450)).toEqual([255, 255, 255, 255]);
    const contained = await renderSvg(design('contain'), { name: 'X' }, env);
    expect(contained).toMatch(/<image x="300" y="390" width="300" height="120"[^>]*preserveAspectRatio="none"\/>/);
  });

  it('keeps an image background and its colour when the designer saves them', async () => {
    const { uploaded, browser, event, template } = await organiserWithEvent();
    const photo = await uploaded(env.SAMPLE_PHOTO_JPEG, 'finish-line.jpg');
    const background = { image: { asset: photo.hash, fit: 'cover' }, colour: '#123456' };
    const res = await SELF.fetch(`${ORIGIN}/admin/events/${event.id}/templates/${template.id}/layout`, {
      method: 'POST',
      headers: { Cookie: browser.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': browser.csrfToken },
      body: JSON.stringify({ layout: { ...builtInTemplates[0]!.layout, background } }),
    });
    expect(res.status).toBe(200);
    const [saved] = await db.select().from(templates).where(eq(templates.id, template.id));
    expect((saved!.layout as Layout).background).toEqual(background);
  });

  it('fits a background with contain over the background colour', async () => {
    const { uploaded } = await organiserWithEvent();
    const logo = await uploaded(env.SAMPLE_LOGO_PNG, 'logo.png');
    const design: Layout = {
      schema: 1,
      page: { width: 1000, height: 1000 },
      background: { image: { asset: logo.hash, fit: 'contain' }, colour: '#00ff00' },
      elements: [],
    };
    const svg = await renderSvg(design, { name: 'X' }, env);
    expect(svg).toMatch(/<image[^>]+href="data:image\/png;base64,/);
    expect(svg).toContain('#00ff00');
  });

  it('draws text in an uploaded font', async () => {
    const { uploaded } = await organiserWithEvent();
    const font = await uploaded(serifBold, 'brand.woff');
    const text = (asset?: string): Layout => ({
      schema: 1,
      page: { width: 800, height: 200 },
      background: { colour: '#ffffff' },
      elements: [
        {
          type: 'text',
          x: 0,
          y: 0,
          width: 800,
          height: 200,
          text: '{name}',
          align: 'center',
          uppercase: false,
          maxLines: 1,
          font: {
            family: 'Noto Sans',
            weight: 400,
            size: 60,
            colour: '#111111',
            letterSpacing: 0,
            lineHeight: 1.2,
            asset,
          },
        },
      ],
    });
    const plain = await renderSvg(text(), { name: 'Lakeside' }, env);
    const branded = await renderSvg(text(font.hash), { name: 'Lakeside' }, env);
    const serifReference = await renderSvg(
      {
        ...text(),
        elements: [
          {
            ...(text().elements[0] as object),
            font: { ...(text().elements[0] as { font: object }).font, family: 'Noto Serif', weight: 700 },
          },
        ],
      } as Layout,
      { name: 'Lakeside' },
      env,
    );
    expect(branded).not.toEqual(plain);
    expect(branded).toEqual(serifReference);
  });

  it("refuses a layout that uses another event's upload, and an upload in use cannot be deleted", async () => {
    const other = await organiserWithEvent();
    const theirs = await other.uploaded(env.SAMPLE_LOGO_PNG, 'logo.png');
    const { preview, browser, event, template, uploaded } = await organiserWithEvent();
    const withLogo = (hash: string) => ({
      ...builtInTemplates[0]!.layout,
      elements: [
        ...builtInTemplates[0]!.layout.elements,
        { type: 'image', asset: hash, x: 10, y: 10, width: 100, height: 100 },
      ],
    });
    const refused = await preview(withLogo(theirs.hash));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('not uploaded to this event');

    const mine = await uploaded(env.SAMPLE_LOGO_PNG, 'logo.png');
    await db
      .update(templates)
      .set({ layout: withLogo(mine.hash) })
      .where(eq(templates.id, template.id));
    const blocked = await browser.post(`/admin/events/${event.id}/assets/${mine.id}/delete`);
    expect(blocked.status).toBe(409);
    expect(await blocked.text()).toContain('still used by Mine');
    expect(pngSize(new Uint8Array(await (await preview(withLogo(mine.hash))).arrayBuffer()))).toEqual({
      width: 1754,
      height: 1240,
    });
  });
});
