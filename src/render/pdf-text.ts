import fontkit, { type Font } from '@pdf-lib/fontkit';
import {
  PDFHexString,
  PDFName,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  type PDFDocument,
  type PDFOperator,
  type PDFPage,
  type PDFRef,
  beginText,
  endText,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  TextRenderingMode,
} from 'pdf-lib';
import { hash53 } from '../digest';

/** A cluster of glyphs the certificate draws, as HarfBuzz set it: see SetCluster in text/typeset.ts. */
export interface TextCluster {
  /** The font file of its face (see fileOf in text/faces.ts). */
  file: string;
  /** Its widest glyph, which shows it. */
  glyph: number;
  /** Where its pen starts on the baseline, and how far it advances, in page pixels. */
  x: number;
  y: number;
  advance: number;
  /** The text's font size, in pixels. */
  size: number;
  /** The characters it was shaped from. */
  text: string;
}

/** The text a certificate draws, for the PDF's text layer, and where to read each face's font file. */
export interface TextLayer {
  clusters: TextCluster[];
  fontFile: (file: string) => Promise<ArrayBuffer | undefined>;
}

/** Where the text layer goes: page pixels to PDF points (y up). */
export interface PagePlacement {
  scale: number;
  heightPx: number;
}

/** One face in the PDF: a subset of its font, and a character code and width for each (glyph, text) pair. */
interface EmbeddedFace {
  name: PDFName;
  ref: PDFRef;
  codes: Map<string, { code: number; width: number }>;
}

const codeKey = (glyph: number, text: string) => `${glyph}\u0000${text}`;
const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const utf16Hex = (text: string) => [...Array(text.length)].map((_, i) => hex4(text.charCodeAt(i))).join('');

/**
 * Whether the font's licence lets it be embedded as a subset in a document that can be printed
 * (OS/2 fsType), and whether it has TrueType outlines: a CFF font's character codes are its glyph
 * ids, which cannot tell apart one glyph standing for different text. Its text stays outlines only.
 */
function embeddable(font: Font): boolean {
  const fsType = (font as unknown as { 'OS/2'?: { fsType?: Record<string, boolean> } })['OS/2']?.fsType ?? {};
  const restricted = fsType.noEmbedding && !fsType.viewOnly && !fsType.editable;
  return !font.cff && !restricted && !fsType.noSubsetting && !fsType.bitmapOnly;
}

async function encodeSubset(subset: ReturnType<Font['createSubset']>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await new Promise<void>((resolve) => {
    subset
      .encodeStream()
      .on('data', (data) => parts.push(data))
      .on('end', () => resolve());
  });
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** ToUnicode: each character code to the text its glyph stands for. */
function toUnicode(texts: string[]): string {
  const entries = texts.flatMap((text, code) => (code > 0 ? [`<${hex4(code)}> <${utf16Hex(text)}>`] : []));
  const blocks: string[] = [];
  // A bfchar block holds at most 100 entries.
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    blocks.push(`${block.length} beginbfchar\n${block.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <ffff>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/** Six capitals naming a subset, from what it holds, so equal certificates stay byte-equal. */
function subsetTag(seed: string): string {
  let n = hash53(seed);
  let tag = '';
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (n % 26));
    n = Math.floor(n / 26);
  }
  return tag;
}

/**
 * Embeds a subset of one face's font as a Type 0 font (Identity-H). Each (glyph, text) pair gets
 * a character code of its own, mapped to the glyph by CIDToGIDMap and to its text by ToUnicode:
 * the same glyph can show clusters of different text (a consonant with different vowel signs).
 */
async function embedFace(
  pdf: PDFDocument,
  font: Font,
  pairs: { glyph: number; text: string }[],
  resource: string,
): Promise<EmbeddedFace> {
  const { context } = pdf;
  const subset = font.createSubset();
  const codes = new Map<string, { code: number; width: number }>();
  // Code 0 is .notdef, as glyph 0 is.
  const gids = [0];
  const texts = [''];
  const widths: number[] = [];
  const scale = 1000 / font.unitsPerEm;
  for (const { glyph, text } of pairs) {
    if (codes.has(codeKey(glyph, text))) continue;
    const width = Math.round(font.getGlyph(glyph).advanceWidth * scale);
    codes.set(codeKey(glyph, text), { code: gids.length, width });
    gids.push(subset.includeGlyph(glyph));
    texts.push(text);
    widths.push(width);
  }
  const fontFile = await encodeSubset(subset);
  const baseFont = `${subsetTag(`${resource}:${pairs.map((p) => p.glyph).join(',')}`)}+${(font.postscriptName ?? 'Font').replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '')}`;
  const bbox = (font as unknown as { bbox: { minX: number; minY: number; maxX: number; maxY: number } }).bbox;
  const metrics = font as unknown as { ascent: number; descent: number; capHeight?: number; italicAngle: number };
  const cidToGid = new Uint8Array(gids.length * 2);
  gids.forEach((gid, code) => {
    cidToGid[code * 2] = gid >> 8;
    cidToGid[code * 2 + 1] = gid & 0xff;
  });
  const descriptor = context.obj({
    Type: 'FontDescriptor',
    FontName: baseFont,
    // Symbolic: its glyphs are named by the font's own codes, not a standard encoding.
    Flags: 4,
    FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale].map(Math.round),
    ItalicAngle: metrics.italicAngle,
    Ascent: Math.round(metrics.ascent * scale),
    Descent: Math.round(metrics.descent * scale),
    CapHeight: Math.round((metrics.capHeight || metrics.ascent) * scale),
    StemV: 0,
    FontFile2: context.register(context.flateStream(fontFile, { Length1: fontFile.length })),
  });
  const cidFont = context.obj({
    Type: 'Font',
    Subtype: 'CIDFontType2',
    BaseFont: baseFont,
    CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
    FontDescriptor: context.register(descriptor),
    W: [1, widths],
    CIDToGIDMap: context.register(context.flateStream(cidToGid)),
  });
  const type0 = context.obj({
    Type: 'Font',
    Subtype: 'Type0',
    BaseFont: baseFont,
    Encoding: 'Identity-H',
    DescendantFonts: [context.register(cidFont)],
    ToUnicode: context.register(context.flateStream(toUnicode(texts))),
  });
  return { name: PDFName.of(resource), codes, ref: context.register(type0) };
}

/**
 * The certificate's text as invisible text (render mode 3, as in a scanned document made
 * searchable) over the outlines that draw it: the page looks exactly as before, and its text can
 * be selected, searched and copied. Each of HarfBuzz's clusters is shown as its widest glyph, in an
 * embedded subset of the face that drew it, standing for the cluster's characters, where the
 * cluster stands and as wide as it is: what is selected is what the reader sees, in the order it
 * was written. A face that cannot be embedded (see embeddable) leaves its text as outlines only.
 */
export async function drawTextLayer(
  pdf: PDFDocument,
  page: PDFPage,
  { clusters, fontFile }: TextLayer,
  { scale, heightPx }: PagePlacement,
): Promise<void> {
  // A hundredth of a point is finer than any printer; more digits would only make the file longer.
  const points = (px: number) => Math.round(px * scale * 100) / 100;
  const byFile = new Map<string, TextCluster[]>();
  for (const cluster of clusters) {
    const list = byFile.get(cluster.file) ?? [];
    list.push(cluster);
    byFile.set(cluster.file, list);
  }
  const faces = new Map<string, EmbeddedFace>();
  for (const [file, placed] of byFile) {
    const bytes = await fontFile(file);
    if (!bytes) continue;
    try {
      const font = fontkit.create(new Uint8Array(bytes));
      if (!embeddable(font)) continue;
      const face = await embedFace(pdf, font, placed, `T${faces.size + 1}`);
      page.node.setFontDictionary(face.name, face.ref);
      faces.set(file, face);
    } catch (error) {
      // An uploaded font HarfBuzz draws but fontkit cannot read: its text stays outlines, the PDF is still made.
      console.warn('font not embedded in the PDF', file, error);
    }
  }
  if (faces.size === 0) return;

  const operators: PDFOperator[] = [
    pushGraphicsState(),
    beginText(),
    setTextRenderingMode(TextRenderingMode.Invisible),
  ];
  let current = '';
  let squeeze = 100;
  for (const { file, glyph, x, y, advance, size, text } of clusters) {
    const face = faces.get(file);
    if (!face) continue;
    const font = `${file}@${size}`;
    if (font !== current) {
      operators.push(setFontAndSize(face.name, points(size)));
      current = font;
    }
    const { code, width } = face.codes.get(codeKey(glyph, text))!;
    // Each cluster at its own place, HarfBuzz's (kerning, marks, letter spacing), its glyph
    // scaled to the cluster's width, so readers see no gap to break a word at. (Character spacing
    // would not do: readers take it off a glyph's width.)
    const scaled = width > 0 ? Math.round((advance / ((width / 1000) * size)) * 1000) / 10 : 100;
    if (scaled !== squeeze) {
      operators.push(setCharacterSqueeze(scaled));
      squeeze = scaled;
    }
    operators.push(setTextMatrix(1, 0, 0, 1, points(x), points(heightPx - y)), showText(PDFHexString.of(hex4(code))));
  }
  operators.push(endText(), popGraphicsState());
  page.pushOperators(...operators);
}
