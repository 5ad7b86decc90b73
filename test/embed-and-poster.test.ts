import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import jsQR from 'jsqr';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, type PDFPage } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { events, records, templates } from '../src/db/schema';
import { t } from '../src/portal/i18n';
import { undrawnCharacters } from '../src/render/pipeline';
import { posterDesign } from '../src/render/poster';
import { setRecordHidden } from '../src/records/queries';
import { apiEvent, createEvent, createOrganiser, db, ORIGIN, runner, signIn } from './fixtures';

const PUBLIC_URL = 'http://localhost:8787';

/** An organiser's own event, published with a built-in template and two runners, one of them hidden. */
async function organiserEvent(name = 'Harbour 10K') {
  const made = await apiEvent(name, 'embed');
  const imported = await made.api('/imports', {
    method: 'POST',
    body: 'Bib,Name,Time\n1,Ana Gómez,0:38:07\n2,Hidden Runner,0:40:00\n',
    headers: { 'Content-Type': 'text/csv' },
  });
  expect(imported.status).toBe(200);
  const template = builtInTemplates[0]!;
  const [saved] = await db
    .insert(templates)
    .values({ eventId: made.event.id, name: template.name, layout: template.layout })
    .returning();
  await db
    .update(events)
    .set({ templateId: saved!.id, published: true, date: '2026-05-03', location: 'Kiel' })
    .where(eq(events.id, made.event.id));
  const [hidden] = await db.select().from(records).where(eq(records.name, 'Hidden Runner'));
  await setRecordHidden(db, hidden!.id, true);
  return made;
}

const framing = (res: Response) => ({
  xFrameOptions: res.headers.get('x-frame-options'),
  frameAncestors: /frame-ancestors ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')?.[1],
});

describe('the embeddable search box', async () => {
  const { event } = await createEvent([runner('7', 'Ana Gómez'), runner('8', 'Hidden Runner')]);
  const [hidden] = await db.select().from(records).where(eq(records.name, 'Hidden Runner'));
  await setRecordHidden(db, hidden!.id, true);
  const embed = `${ORIGIN}/events/${event.slug}/embed`;

  it('may be framed by any site, while every other page still refuses framing', async () => {
    for (const url of [embed, `${embed}?q=ana`, `${ORIGIN}/events/no-such-event/embed`]) {
      expect(framing(await SELF.fetch(url)), url).toEqual({ xFrameOptions: null, frameAncestors: '*' });
    }
    const [ana] = await db.select().from(records).where(eq(records.name, 'Ana Gómez'));
    for (const path of [
      `/events/${event.slug}`,
      `/events/${event.slug}/certificates/${ana!.certificateId}`,
      `/events/${event.slug}/embed/x`,
      '/',
      '/admin/sign-in',
    ]) {
      expect(framing(await SELF.fetch(ORIGIN + path)), path).toEqual({
        xFrameOptions: 'SAMEORIGIN',
        frameAncestors: "'none'",
      });
    }
  });

  it('is the search form alone, without scripts, fitting a narrow frame', async () => {
    const res = await SELF.fetch(embed);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`action="/events/${event.slug}/embed"`);
    expect(html).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(html).toContain('@media (max-width: 20rem)');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<header');
    expect(html).not.toMatch(/(src|href)="https?:\/\/(?!localhost)/);
  });

  it('finds runners and opens their certificate in a new tab, and never shows a hidden one', async () => {
    const [ana] = await db.select().from(records).where(eq(records.name, 'Ana Gómez'));
    const html = await (await SELF.fetch(`${embed}?q=7`)).text();
    expect(html).toContain('Ana Gómez');
    expect(html).toContain(
      `<a href="${PUBLIC_URL}/events/${event.slug}/certificates/${ana!.certificateId}" target="_blank" rel="noopener"`,
    );
    const none = await (await SELF.fetch(`${embed}?q=hidden`)).text();
    expect(none).not.toContain('Hidden Runner');
    expect(none).toContain(t('en').noMatch('hidden'));
    expect(await (await SELF.fetch(`${embed}?q=8`)).text()).not.toContain('Hidden Runner');
  });

  it("speaks the runner's language and keeps it for the next search, as a frame keeps no cookie", async () => {
    const html = await (await SELF.fetch(`${embed}?lang=de`)).text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(t('de').searchLabel);
    expect(html).toContain('<input type="hidden" name="lang" value="de"/>');
  });

  it('refuses a bad search with a clear message, and an unknown event with a 404', async () => {
    const long = await SELF.fetch(`${embed}?q=${'a'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain(t('en').searchTooLong(200));
    const unknown = await SELF.fetch(`${ORIGIN}/events/no-such-event/embed`);
    expect(unknown.status).toBe(404);
  });

  it('gives the organiser a copy-paste <iframe> snippet on the Publish tab', async () => {
    const { browser, event: own } = await organiserEvent();
    const page = await (await browser.get(`/admin/events/${own.id}/publish`)).text();
    const snippet = `&lt;iframe src=&quot;${PUBLIC_URL}/events/${own.slug}/embed&quot; title=&quot;Find your certificate&quot;`;
    expect(page).toContain(snippet);
    expect(page).toContain(`href="/admin/events/${own.id}/poster.pdf?lang=de"`);
    expect(page).toContain(`href="/admin/events/${own.id}/mail-merge.csv"`);
  });
});

/**
 * The QR code a poster PDF draws, read back from its vectors: the renderer draws each run of dark
 * modules as a closed path of four corners (render/qr.ts), which pdf-lib writes as `m l l l h` in
 * the page's pixels at 150 dpi, scaled to points by a `cm`. Those boxes are filled into a bitmap
 * of the page and scanned. Rectangles drawn in points (the background) are left out.
 */
function qrOfPdfPage(pdf: PDFDocument, page: PDFPage, width: number, height: number): string | undefined {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => pdf.context.lookup(ref)) : [contents];
  const operators = streams
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
    .map((s) => new TextDecoder().decode(decodePDFRawStream(s).decode()))
    .join('\n');
  const inPixels = operators.split(/\bQ\b/).filter((group) => group.includes('0.48 0 0 -0.48 0 0 cm'));
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  const n = '(-?[\\d.]+)';
  const box = new RegExp(`${n} ${n} m\\s+${n} ${n} l\\s+${n} ${n} l\\s+${n} ${n} l\\s+h`, 'g');
  for (const m of inPixels.flatMap((group) => [...group.matchAll(box)])) {
    const xs = [m[1], m[3], m[5], m[7]].map(Number);
    const ys = [m[2], m[4], m[6], m[8]].map(Number);
    // Only axis-aligned boxes: a glyph's outline of four slanting sides is no module.
    if (new Set(xs.map((x) => Math.round(x))).size !== 2 || new Set(ys.map((y) => Math.round(y))).size !== 2) continue;
    const [left, right] = [Math.round(Math.min(...xs)), Math.round(Math.max(...xs))];
    const [top, bottom] = [Math.round(Math.min(...ys)), Math.round(Math.max(...ys))];
    for (let y = Math.max(0, top); y < Math.min(height, bottom); y++)
      rgba.fill(0, (y * width + Math.max(0, left)) * 4, (y * width + Math.min(width, right)) * 4);
  }
  // Filling set alpha to 0 too: every pixel opaque again.
  for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
  return jsQR(rgba, width, height)?.data;
}

describe('the finish-area poster', async () => {
  const { browser, event } = await organiserEvent('Kieler Förde-Lauf');

  it('is a one-page A4 PDF whose QR code leads to the event search page', async () => {
    const res = await browser.get(`/admin/events/${event.id}/poster.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${event.slug}-poster-en.pdf"`);
    const pdf = await PDFDocument.load(await res.arrayBuffer());
    expect(pdf.getPageCount()).toBe(1);
    const page = pdf.getPage(0);
    expect(page.getWidth()).toBeCloseTo(595.28, 1);
    expect(page.getHeight()).toBeCloseTo(841.89, 1);
    expect(pdf.getTitle()).toBe('Find your certificate · Kieler Förde-Lauf');
    expect(qrOfPdfPage(pdf, page, 1240, 1754)).toBe(`${PUBLIC_URL}/events/${event.slug}`);
  });

  it('comes in the portal languages, and an event name in any script is drawn', async () => {
    await db.update(events).set({ name: '東京ナイトラン 2026' }).where(eq(events.id, event.id));
    const res = await browser.get(`/admin/events/${event.id}/poster.pdf?lang=de`);
    expect(res.status).toBe(200);
    const pdf = await PDFDocument.load(await res.arrayBuffer());
    expect(pdf.getTitle()).toBe(`${t('de').homeTitle} · 東京ナイトラン 2026`);
    // Every character has a face: no placeholder box where a kana should be.
    const fields = { event: '東京ナイトラン 2026', heading: t('de').homeTitle, scan: t('de').posterScan };
    expect(await undrawnCharacters(posterDesign, fields, env)).toEqual([]);
    expect(qrOfPdfPage(pdf, pdf.getPage(0), 1240, 1754)).toBe(`${PUBLIC_URL}/events/${event.slug}`);
  });

  it('refuses a language the portal does not speak, with a clear message', async () => {
    const res = await browser.get(`/admin/events/${event.id}/poster.pdf?lang=xx`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('A poster is in one of the portal');
  });

  it("is the event's organiser's alone", async () => {
    expect((await browser.get(`/admin/events/${event.id}/poster.pdf?lang=fr`)).status).toBe(200);
    const anonymous = await SELF.fetch(`${ORIGIN}/admin/events/${event.id}/poster.pdf`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    const other = await createOrganiser();
    const stranger = await signIn(other.email, other.password);
    expect((await stranger.get(`/admin/events/${event.id}/poster.pdf`)).status).toBe(404);
  });
});
