import sansRegular from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff';
import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  type PDFRawStream,
  PDFRef,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { assetKey } from '../src/assets/keys';
import { certificateLinks, findPublicCertificate } from '../src/certificates/public';
import { records, templates } from '../src/db/schema';
import { linkOrigin } from '../src/paths';
import { builtInTemplates } from '../templates';
import { createEvent, db, ORIGIN, runner } from './fixtures';

/** A published certificate's PDF, fetched at the URL its page links to; the template is the first built-in one, or `layout`. */
async function certificatePdf(name: string, layout?: unknown) {
  const { event, template } = await createEvent([runner('42', name)]);
  if (layout) await db.update(templates).set({ layout }).where(eq(templates.id, template.id));
  const [record] = await db.select().from(records).where(eq(records.eventId, event.id));
  const certificate = (await findPublicCertificate(db, record!.certificateId))!;
  const { formats } = await certificateLinks(linkOrigin(env.PUBLIC_URL, ORIGIN), certificate);
  const res = await SELF.fetch(formats.pdf);
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('application/pdf');
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes, pdf: await PDFDocument.load(bytes, { updateMetadata: false }), record: record!, url: formats.pdf };
}

const resolved = (page: PDFPage, object: PDFObject | undefined) =>
  object instanceof PDFRef ? page.doc.context.lookup(object) : object;

/** The page's fonts: name in the content stream to font dictionary. */
function pageFonts(page: PDFPage): Map<string, PDFDict> {
  const fonts = resolved(page, page.node.Resources()?.get(PDFName.of('Font'))) as PDFDict | undefined;
  return new Map(
    (fonts?.entries() ?? []).map(([name, ref]) => [name.asString().slice(1), resolved(page, ref) as PDFDict]),
  );
}

const streamText = (page: PDFPage, object: PDFObject | undefined) =>
  new TextDecoder('latin1').decode(decodePDFRawStream(resolved(page, object) as PDFRawStream).decode());

/**
 * The page's text as a PDF reader extracts it: each glyph shown, through its font's ToUnicode
 * map, in the order the content stream shows them.
 */
function extractText(page: PDFPage): string {
  const maps = new Map(
    [...pageFonts(page)].map(([name, font]) => {
      const cmap = streamText(page, font.get(PDFName.of('ToUnicode')));
      const entries = [...cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/gi)].map(([, code, hex]) => [
        parseInt(code!, 16),
        String.fromCharCode(...hex!.match(/.{4}/g)!.map((u) => parseInt(u, 16))),
      ]);
      return [name, new Map(entries as [number, string][])];
    }),
  );
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : [contents];
  let text = '';
  let font: Map<number, string> | undefined;
  for (const stream of streams) {
    for (const [, name, code] of streamText(page, stream).matchAll(/\/(\S+) [\d.]+ Tf|<([0-9a-f]+)> Tj/gi)) {
      if (name) font = maps.get(name);
      else text += font?.get(parseInt(code!, 16)) ?? '';
    }
  }
  return text;
}

describe('the certificate PDF as a document', () => {
  it('has the text of the certificate, selectable and searchable, in fonts embedded as subsets', async () => {
    const { pdf } = await certificatePdf('Paula Radcliffe');
    const [page] = pdf.getPages();
    const text = extractText(page!);
    expect(text).toContain('Paula Radcliffe');
    expect(text).toContain('Riverside Marathon');
    expect(text).toContain('3:12:45');

    const fonts = [...pageFonts(page!).values()];
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.get(PDFName.of('Subtype'))).toBe(PDFName.of('Type0'));
      const [descendant] = (resolved(page!, font.get(PDFName.of('DescendantFonts'))) as PDFArray).asArray();
      const cidFont = resolved(page!, descendant) as PDFDict;
      // A subset is named with a six-letter tag, as readers and printers expect.
      expect((cidFont.get(PDFName.of('BaseFont')) as PDFName).decodeText()).toMatch(/^[A-Z]{6}\+Noto/);
      const descriptor = resolved(page!, cidFont.get(PDFName.of('FontDescriptor'))) as PDFDict;
      const file = resolved(page!, descriptor.get(PDFName.of('FontFile2'))) as PDFRawStream;
      // The subset holds the few glyphs drawn, not the whole face.
      expect(decodePDFRawStream(file).decode().length).toBeGreaterThan(200);
      expect(decodePDFRawStream(file).decode().length).toBeLessThan(60_000);
    }
  });

  it('has the text of names in other scripts', async () => {
    for (const name of ['Дмитрий Иванов', 'Γιώργος Παπαδόπουλος']) {
      const { pdf } = await certificatePdf(name);
      expect(extractText(pdf.getPages()[0]!)).toContain(name);
    }
  });

  it('has its text over a design that is printed as a picture', async () => {
    // A gradient is not drawn as vectors: the page is a 300 dpi image, with the text over it.
    const base = builtInTemplates[0]!.layout;
    const layout = { ...base, background: { gradient: { from: '#ffffff', to: '#e0e7ff', angle: 135 } } };
    const { pdf } = await certificatePdf('Paula Radcliffe', layout);
    const page = pdf.getPages()[0]!;
    expect(resolved(page, page.node.Resources()?.get(PDFName.of('XObject')))).toBeInstanceOf(PDFDict);
    expect(extractText(page)).toContain('Paula Radcliffe');
  });

  it("has the text of a name drawn in the organiser's uploaded font", async () => {
    const font = new Uint8Array(sansRegular);
    const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', font))]
      .slice(0, 16)
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    await env.FILES.put(assetKey(hash), font, { httpMetadata: { contentType: 'font/woff' } });
    const base = builtInTemplates[0]!.layout;
    const nameIn = (asset?: string) => ({
      ...base,
      elements: base.elements.map((e) =>
        e.type === 'text' && e.text === '{name}' ? { ...e, font: { ...e.font, weight: 400, asset } } : e,
      ),
    });
    const { pdf } = await certificatePdf('Grete Waitz', nameIn(hash));
    const page = pdf.getPages()[0]!;
    expect(extractText(page)).toContain('Grete Waitz');
    // The upload is Noto Sans too: a subset of its own beside the bundled face's, which other texts use.
    const sansSubsets = (p: PDFPage) =>
      [...pageFonts(p).values()].filter((f) => /\+NotoSans-Regular$/.test(f.get(PDFName.of('BaseFont'))!.toString()))
        .length;
    const bundled = await certificatePdf('Grete Waitz', nameIn());
    expect(sansSubsets(page)).toBe(sansSubsets(bundled.pdf.getPages()[0]!) + 1);
  });

  it('says what it is: title, author, subject, keywords, and the day it was issued', async () => {
    const { pdf, record } = await certificatePdf('Paula Radcliffe');
    expect(pdf.getTitle()).toBe('Paula Radcliffe · Riverside Marathon');
    expect(pdf.getAuthor()).toBe('Riverside Marathon');
    expect(pdf.getSubject()).toBe('Finisher certificate');
    expect(pdf.getKeywords()).toBe('Riverside Marathon, Paula Radcliffe, bib 42');
    const issued = new Date(`${record.updatedAt.toISOString().slice(0, 10)}T00:00:00Z`);
    expect(pdf.getCreationDate()).toEqual(issued);
    expect(pdf.getModificationDate()).toEqual(issued);
  });

  it('prints on the paper its template is laid out for', async () => {
    const a4 = (await certificatePdf('Paula Radcliffe')).pdf.getPages()[0]!;
    expect([a4.getWidth(), a4.getHeight()]).toEqual([841.89, 595.28]);
    const layout = { ...builtInTemplates[0]!.layout, page: { preset: 'letter-landscape' } };
    const letter = (await certificatePdf('Paula Radcliffe', layout)).pdf.getPages()[0]!;
    expect([letter.getWidth(), letter.getHeight()]).toEqual([792, 612]);
  });

  it('comes out byte for byte the same when it is rendered again', async () => {
    const { bytes, url } = await certificatePdf('Paula Radcliffe');
    const key = new URL(url).pathname.replace(/^\//, '');
    // The first render is stored after the answer has gone.
    for (let wait = 0; !(await env.FILES.head(key)) && wait < 50; wait++) await new Promise((r) => setTimeout(r, 50));
    await env.FILES.delete(key);
    const again = await SELF.fetch(url);
    expect(again.headers.get('X-Certificate-Cache')).toBe('miss');
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(bytes);
  });
});
