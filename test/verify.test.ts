import { env } from 'cloudflare:workers';
import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { drawQrCodes } from '../src/render/qr';
import { events, records } from '../src/db/schema';
import { builtInTemplates } from '../templates';
import { createEvent, db, ORIGIN, runner, saveRunners } from './fixtures';

const verifyUrlOf = async (slug: string, bib: string) => {
  const [row] = await db
    .select()
    .from(records)
    .innerJoin(events, eq(events.id, records.eventId))
    .where(eq(events.slug, slug));
  const page = await (await SELF.fetch(`${ORIGIN}/events/${slug}/certificates/${row!.records.certificateId}`)).text();
  expect(bib).toBe(row!.records.bib);
  return page.match(/<a href="([^"]+\/verify\/[^"]+)">check this certificate<\/a>/)![1]!;
};

describe('verify page', () => {
  it('confirms a certificate that matches the current record', async () => {
    const { event } = await createEvent([runner('3', 'Catherine Ndereba', { finishTime: '2:18:47', rankOverall: 1 })]);
    const url = await verifyUrlOf(event.slug, '3');
    // The QR code carries the public address (wrangler.toml's PUBLIC_URL), whatever host served the page.
    expect(url).toMatch(/^http:\/\/localhost:8787\/verify\/[\w-]{22}\/[0-9a-f]{16}$/);
    const res = await SELF.fetch(url.replace('http://localhost:8787', ORIGIN));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Valid certificate');
    expect(html).toContain('Riverside Marathon, 19 April 2026');
    expect(html).toContain('Catherine Ndereba (bib 3)');
    expect(html).toContain('2:18:47, overall rank 1');
    expect(html).toContain('<meta name="robots" content="noindex"/>');
  });

  it('says superseded when the record changed after the certificate was issued', async () => {
    const { event } = await createEvent([runner('4', 'Tegla Loroupe', { finishTime: '2:20:47' })]);
    const url = (await verifyUrlOf(event.slug, '4')).replace('http://localhost:8787', ORIGIN);
    await saveRunners(event.id, [runner('4', 'Tegla Loroupe', { finishTime: '2:20:43' })]);
    const html = await (await SELF.fetch(url)).text();
    expect(html).toContain('Superseded');
    expect(html).toContain('2:20:43');
  });

  it('says withdrawn for a hidden record, without showing who it was', async () => {
    const { event } = await createEvent([runner('6', 'Private Person')]);
    const url = (await verifyUrlOf(event.slug, '6')).replace('http://localhost:8787', ORIGIN);
    await db.update(records).set({ hidden: true }).where(eq(records.eventId, event.id));
    const html = await (await SELF.fetch(url)).text();
    expect(html).toContain('Withdrawn');
    expect(html).not.toContain('Private Person');
  });

  it('answers an unknown certificate with 404', async () => {
    const res = await SELF.fetch(`${ORIGIN}/verify/AAAAAAAAAAAAAAAAAAAAAA/0000000000000000`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('No such certificate');
    expect((await SELF.fetch(`${ORIGIN}/verify/not-an-id`)).status).toBe(404);
  });

  it('draws the verify URL as one QR path, only where the template has a QR element', () => {
    const layout = builtInTemplates[0]!.layout;
    const fields = { name: 'A', verifyUrl: 'https://portal.example/verify/AAAAAAAAAAAAAAAAAAAAAA/0123456789abcdef' };
    const svg = drawQrCodes('<svg></svg>', layout, fields);
    expect(svg).toMatch(/^<svg><path d="(M[\d.]+,[\d.]+h\d+v\d+h-\d+z)+" fill="#0b3d2e"\/><\/svg>$/);
    expect(
      drawQrCodes('<svg></svg>', { ...layout, elements: layout.elements.filter((e) => e.type !== 'qr') }, fields),
    ).toBe('<svg></svg>');
  });
});

describe('QR code on the certificate', () => {
  it('scans back to the certificate verify URL', async () => {
    const { Resvg } = await import('@resvg/resvg-wasm');
    const { renderSvg } = await import('../src/render/pipeline');
    const jsQR = (await import('jsqr')).default;
    const layout = builtInTemplates[0]!.layout;
    const verifyUrl = 'http://localhost:8787/verify/AbCdEfGhIjKlMnOpQrStUv/0123456789abcdef';
    const svg = await renderSvg(layout, { name: 'Scan Me', event: 'Riverside', verifyUrl }, env);
    const image = new Resvg(svg).render();
    const decoded = jsQR(new Uint8ClampedArray(image.pixels), image.width, image.height);
    image.free();
    expect(decoded?.data).toBe(verifyUrl);
  });
});
