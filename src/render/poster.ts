import { PDFDocument } from 'pdf-lib';
import type { RenderEnv } from '../env';
import type { CertificateFields } from './fields';
import { layoutSchema } from './layout';
import { renderPdf } from './pdf';
import { renderDrawing, renderPng } from './pipeline';

const ink = '#15212e';
const muted = '#5b6775';
const accent = '#0b6e4f';

/**
 * The finish-area poster: an A4 page drawn by the certificate renderer, so an event name in any
 * script is set as a certificate's would be, and the PDF is vectors with selectable text. Its
 * texts are placeholders filled by posterFields: nothing the organiser typed is read as layout.
 */
export const posterDesign = layoutSchema.parse({
  schema: 1,
  page: { preset: 'a4-portrait' },
  background: { colour: '#ffffff' },
  elements: [
    { type: 'rect', x: 0, y: 0, width: 1240, height: 36, fill: accent },
    {
      type: 'text',
      x: 100,
      y: 150,
      width: 1040,
      height: 230,
      text: '{event}',
      font: { size: 92, weight: 700, colour: ink },
      maxLines: 2,
    },
    { type: 'text', x: 100, y: 400, width: 1040, height: 60, text: '{when}', font: { size: 42, colour: muted } },
    {
      type: 'text',
      x: 100,
      y: 530,
      width: 1040,
      height: 110,
      text: '{heading}',
      font: { size: 84, weight: 700, colour: accent },
    },
    { type: 'qr', x: 270, y: 680, width: 700, height: 700, value: '{searchUrl}', colour: ink },
    { type: 'text', x: 100, y: 1420, width: 1040, height: 60, text: '{scan}', font: { size: 40, colour: muted } },
    {
      type: 'text',
      x: 100,
      y: 1490,
      width: 1040,
      height: 140,
      text: '{searchUrl}',
      font: { size: 44, weight: 700, colour: ink },
      maxLines: 2,
    },
  ],
});

export interface PosterText {
  event: string;
  /** The event's date and place, as the poster's language writes them; empty for neither. */
  when: string;
  /** "Find your certificate", in the poster's language. */
  heading: string;
  /** "Scan the code, or go to", before the address. */
  scan: string;
  /** The event's search page, absolute: the QR code and the address under it. */
  searchUrl: string;
  /** BCP 47, for the glyph forms of names in CJK scripts. */
  language: string | null;
}

const posterFields = (text: PosterText): CertificateFields => ({
  ...text,
  // For the PDF's title: "Find your certificate · Riverside Marathon".
  name: text.heading,
  when: text.when || null,
});

/** The poster as a one-page A4 PDF, vectors throughout, ready for a print shop. */
export async function renderPoster(text: PosterText, env: RenderEnv): Promise<Uint8Array<ArrayBuffer>> {
  const fields = posterFields(text);
  const { svg, text: textLayer } = await renderDrawing(posterDesign, fields, env);
  const { width, height } = posterDesign.page;
  const bytes = await renderPdf({
    svg,
    width,
    height,
    fields,
    text: textLayer,
    raster300dpi: () => renderPng(posterDesign, fields, env, 2),
  });
  // renderPdf describes a certificate; the poster says what it is. Its dates stay fixed, as renderPdf set them.
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  pdf.setSubject('Poster: find your certificate');
  pdf.setKeywords([text.event]);
  return (await pdf.save()) as Uint8Array<ArrayBuffer>;
}
