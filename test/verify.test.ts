import { env } from 'cloudflare:workers';
import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { statementProof } from '../src/certificates/public';
import { certificateFields } from '../src/render/fields';
import { drawQrCodes } from '../src/render/qr';
import { events, records } from '../src/db/schema';
import { builtInTemplates } from '../templates';
import { createEvent, createOrganiser, db, ORIGIN, runner, saveRunners, signIn } from './fixtures';

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

/** Opens the certificate as its participant would: the page, then its image, which carries the QR code. */
const issueCertificate = async (slug: string) => {
  const [row] = await db
    .select()
    .from(records)
    .innerJoin(events, eq(events.id, records.eventId))
    .where(eq(events.slug, slug));
  const page = await (await SELF.fetch(`${ORIGIN}/events/${slug}/certificates/${row!.records.certificateId}`)).text();
  const image = page.match(/src="https?:\/\/[^/"]+(\/certificates\/[^"]+\.png)"/)![1]!;
  const res = await SELF.fetch(ORIGIN + image);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
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
    await issueCertificate(event.slug);
    await saveRunners(event.id, [runner('4', 'Tegla Loroupe', { finishTime: '2:20:43' })]);
    const res = await SELF.fetch(url);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Superseded');
    expect(html).not.toContain('Not a valid certificate');
    expect(html).toContain('2:20:43');
  });

  it('says superseded for each certificate issued along the way, and valid for the current one', async () => {
    const { event } = await createEvent([runner('5', 'Uta Pippig', { finishTime: '2:27:12' })]);
    const first = (await verifyUrlOf(event.slug, '5')).replace('http://localhost:8787', ORIGIN);
    await issueCertificate(event.slug);
    await saveRunners(event.id, [runner('5', 'Uta Pippig', { finishTime: '2:27:10' })]);
    const second = (await verifyUrlOf(event.slug, '5')).replace('http://localhost:8787', ORIGIN);
    await issueCertificate(event.slug);
    await saveRunners(event.id, [runner('5', 'Uta Pippig', { finishTime: '2:27:09' })]);
    const current = (await verifyUrlOf(event.slug, '5')).replace('http://localhost:8787', ORIGIN);
    expect(new Set([first, second, current]).size).toBe(3);
    for (const url of [first, second]) expect(await (await SELF.fetch(url)).text()).toContain('Superseded');
    const res = await SELF.fetch(current);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Valid certificate');
  });

  it('knows the proofs of certificates the publish queue drew, before anyone opened them', async () => {
    const { organiser, email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    const { event } = await createEvent([runner('8', 'Rosa Mota', { finishTime: '2:25:21' })], { published: false });
    await db.update(events).set({ organiserId: organiser.id }).where(eq(events.id, event.id));
    expect((await browser.post(`/admin/events/${event.id}/publish`)).status).toBe(303);
    for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 200))) {
      const { run } = await (await browser.get(`/admin/events/${event.id}/publish/progress`)).json<{
        run: { finished: boolean };
      }>();
      if (run.finished) break;
      if (Date.now() > deadline) throw new Error('publish did not finish');
    }
    const url = (await verifyUrlOf(event.slug, '8')).replace('http://localhost:8787', ORIGIN);
    await saveRunners(event.id, [runner('8', 'Rosa Mota', { finishTime: '2:25:17' })]);
    expect(await (await SELF.fetch(url)).text()).toContain('Superseded');
  });

  it('says not valid for a proof that was never issued: mistyped, or made up for altered fields', async () => {
    const { event } = await createEvent([runner('7', 'Joan Benoit', { finishTime: '2:24:52' })]);
    const url = (await verifyUrlOf(event.slug, '7')).replace('http://localhost:8787', ORIGIN);
    await issueCertificate(event.slug);
    const proof = url.slice(-16);
    const mistyped = url.slice(0, -16) + (proof[0] === 'a' ? 'b' : 'a') + proof.slice(1);
    // A forger can compute the proof of what they would like the certificate to say.
    const [row] = await db.select().from(records).where(eq(records.eventId, event.id));
    const altered = await statementProof(
      certificateFields({ event, record: { ...row!, finishTime: '2:14:52', rankOverall: 1 } }),
    );
    for (const forged of [mistyped, url.slice(0, -16) + altered]) {
      const res = await SELF.fetch(forged);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('Not a valid certificate');
      expect(html).not.toContain('Superseded');
      // What the portal does state, to hold the forgery against.
      expect(html).toContain('2:24:52');
    }
    // A result changed since then does not make the made-up proof any more valid.
    await saveRunners(event.id, [runner('7', 'Joan Benoit', { finishTime: '2:24:51' })]);
    expect(await (await SELF.fetch(mistyped)).text()).toContain('Not a valid certificate');
    expect(await (await SELF.fetch(url)).text()).toContain('Superseded');
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
