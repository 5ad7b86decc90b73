import { PageSizes, PDFDocument, rgb, type PDFImage, type PDFPage } from 'pdf-lib';
import type { CertificateFields } from './fields';
import { drawTextLayer, type TextLayer } from './pdf-text';

// Templates are laid out at 150 dpi (A4 landscape is 1754×1240 px); PDF measures in points.
const POINTS_PER_PIXEL = 72 / 150;

type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; fill: string }
  | { kind: 'path'; d: string; fill: string }
  | { kind: 'image'; x: number; y: number; width: number; height: number; href: string };

function colour(value: string) {
  const hex = value.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i)?.[1];
  if (!hex) return undefined;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255) as [number, number, number];
  return rgb(r, g, b);
}

const attributes = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

/**
 * The filled rectangles and paths of a Satori SVG, and its uncropped images, in paint order.
 * Satori draws text as paths, so this is the whole certificate as vectors. Masks and definitions
 * paint nothing and are skipped. Anything else (gradients, clipping, strokes, transforms, nested
 * pictures) returns undefined: the caller then embeds a raster instead.
 */
export function vectorShapes(svg: string): Shape[] | undefined {
  const shapes: Shape[] = [];
  let skipped = 0;
  let pages = 0;
  for (const [, closing, name, rest] of svg.matchAll(/<(\/?)(\w+)([^>]*)>/g)) {
    const selfClosing = rest!.endsWith('/');
    // A nested <svg> (an emoji) has a view box of its own.
    if (name === 'svg' && !closing && pages++ > 0) return undefined;
    if (name === 'mask' || name === 'defs') {
      if (closing) skipped--;
      else if (!selfClosing) skipped++;
      continue;
    }
    if (closing || skipped > 0 || name === 'svg' || name === 'g') continue;
    const a = attributes(rest!);
    if (name === 'image') {
      const uncropped =
        a.preserveAspectRatio === 'none' && !('clip-path' in a) && !('mask' in a) && !('transform' in a);
      if (!uncropped || !/^data:image\/(png|jpeg);base64,/.test(a.href ?? '')) return undefined;
      shapes.push({
        kind: 'image',
        x: Number(a.x ?? 0),
        y: Number(a.y ?? 0),
        width: Number(a.width),
        height: Number(a.height),
        href: a.href!,
      });
      continue;
    }
    const unsupported = ['transform', 'clip-path', 'stroke', 'opacity', 'fill-opacity', 'mask'].some((k) => k in a);
    if (unsupported || !a.fill || !colour(a.fill)) return undefined;
    if (name === 'rect') {
      shapes.push({
        kind: 'rect',
        x: Number(a.x ?? 0),
        y: Number(a.y ?? 0),
        width: Number(a.width),
        height: Number(a.height),
        fill: a.fill,
      });
    } else if (name === 'path' && a.d) {
      shapes.push({ kind: 'path', d: a.d, fill: a.fill });
    } else {
      return undefined;
    }
  }
  return shapes;
}

async function drawShapes(pdf: PDFDocument, page: PDFPage, shapes: Shape[], heightPx: number) {
  const embedded = new Map<string, PDFImage>();
  for (const shape of shapes) {
    if (shape.kind === 'image') {
      let image = embedded.get(shape.href);
      if (!image) {
        // The uploaded file itself: a JPEG goes in as it is, a PNG is repacked without loss.
        const bytes = Uint8Array.from(atob(shape.href.slice(shape.href.indexOf(',') + 1)), (c) => c.charCodeAt(0));
        image = shape.href.startsWith('data:image/png') ? await pdf.embedPng(bytes) : await pdf.embedJpg(bytes);
        embedded.set(shape.href, image);
      }
      page.drawImage(image, {
        x: shape.x * POINTS_PER_PIXEL,
        y: (heightPx - shape.y - shape.height) * POINTS_PER_PIXEL,
        width: shape.width * POINTS_PER_PIXEL,
        height: shape.height * POINTS_PER_PIXEL,
      });
      continue;
    }
    const color = colour(shape.fill)!;
    if (shape.kind === 'rect') {
      page.drawRectangle({
        x: shape.x * POINTS_PER_PIXEL,
        y: (heightPx - shape.y - shape.height) * POINTS_PER_PIXEL,
        width: shape.width * POINTS_PER_PIXEL,
        height: shape.height * POINTS_PER_PIXEL,
        color,
      });
    } else {
      // drawSvgPath takes SVG coordinates (y down) from the given top-left corner.
      page.drawSvgPath(shape.d, {
        x: 0,
        y: heightPx * POINTS_PER_PIXEL,
        scale: POINTS_PER_PIXEL,
        color,
        borderWidth: 0,
      });
    }
  }
}

/**
 * The version of what renderPdf writes beyond the drawing (text layer, metadata, page size). It
 * is part of every image URL's hash (cache.ts): raise it when the PDF of an unchanged certificate
 * would come out different, so an old PDF URL answers 410 rather than new bytes.
 */
export const PDF_VERSION = 2;

// Paper a template's page prints on, in points, when its size at 150 dpi is within a point of it.
const papers = [PageSizes.A4, PageSizes.Letter].flatMap(([w, h]) => [
  [w, h],
  [h, w],
]) as [number, number][];

/** The page in points: the paper a template names by its size (A4, Letter), else its size at 150 dpi. */
function pageSize(width: number, height: number): [number, number] {
  const points: [number, number] = [width * POINTS_PER_PIXEL, height * POINTS_PER_PIXEL];
  return papers.find(([w, h]) => Math.abs(w - points[0]) < 1 && Math.abs(h - points[1]) < 1) ?? points;
}

const text = (value: CertificateFields[string] | undefined) =>
  value === null || value === undefined ? '' : String(value);

/**
 * What the PDF says about itself, from the certificate's fields: title, author (the event),
 * subject, keywords, language, and the date it was issued (the record's last change, as the
 * verify page states it) as its creation date. A fixed date, not the time of rendering, keeps
 * equal certificates byte-equal, as their content-hashed URLs promise.
 */
function describe(pdf: PDFDocument, fields: CertificateFields) {
  const [name, event, bib] = [text(fields.name), text(fields.event), text(fields.bib)];
  pdf.setTitle([name, event].filter(Boolean).join(' · '), { showInWindowTitleBar: true });
  if (event) pdf.setAuthor(event);
  pdf.setSubject(fields.status === 'finished' ? 'Finisher certificate' : 'Certificate of participation');
  // pdf-lib joins keywords with spaces, which would run a name into the event's; commas keep them apart.
  pdf.setKeywords([[event, name, bib && `bib ${bib}`].filter(Boolean).join(', ')]);
  if (fields.language) pdf.setLanguage(text(fields.language));
  pdf.setCreator('Certify');
  // Fields without an issue day (a sample record) keep the fixed date of 1970.
  const issued = /^\d{4}-\d{2}-\d{2}$/.test(text(fields.issued)) ? new Date(`${fields.issued}T00:00:00Z`) : new Date(0);
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);
}

export interface PdfInput {
  svg: string;
  width: number;
  height: number;
  /** The certificate's fields, for the document's title, author, keywords and date. */
  fields: CertificateFields;
  /** The text the SVG draws as outlines, for a text layer that can be selected and searched. */
  text?: TextLayer;
  /** A raster of the page at twice the template's 150 dpi, for designs that are not plain vectors. */
  raster300dpi: () => Promise<Uint8Array>;
}

/**
 * A print-size PDF of the certificate: vector shapes where it can, else a 300 dpi image; over
 * either, its text as invisible text that can be selected and searched (pdf-text.ts).
 */
export async function renderPdf({
  svg,
  width,
  height,
  fields,
  text: textLayer,
  raster300dpi,
}: PdfInput): Promise<Uint8Array<ArrayBuffer>> {
  const pdf = await PDFDocument.create();
  describe(pdf, fields);
  const page = pdf.addPage(pageSize(width, height));
  const shapes = vectorShapes(svg);
  if (shapes) {
    await drawShapes(pdf, page, shapes, height);
  } else {
    const image = await pdf.embedPng(await raster300dpi());
    page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  }
  if (textLayer) await drawTextLayer(pdf, page, textLayer, { scale: POINTS_PER_PIXEL, heightPx: height });
  return (await pdf.save()) as Uint8Array<ArrayBuffer>;
}
