import latinWoff from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff';
import devanagariWoff from '@fontsource/noto-sans/files/noto-sans-devanagari-400-normal.woff';
import arabicWoff from '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff';
import { beforeAll, describe, expect, it } from 'vitest';
import { harfbuzzReady, type ShapedGlyph, ShapingFace } from '../src/render/text/harfbuzz';
import { outlineOf } from '../src/render/text/outline';
import { sfntFromWoff } from '../src/render/text/sfnt';

// Expected glyphs are what the HarfBuzz command line (hb-shape 6.0, --bot --eot) gives for the
// same TTF files, which sfntFromWoff wrote to disk; its clusters are character indices, the same
// as UTF-16 ones for these names.
type Expected = Omit<ShapedGlyph, 'yAdvance'>;
const glyph = (id: number, cluster: number, xAdvance: number, xOffset = 0, yOffset = 0): Expected => ({
  id,
  cluster,
  xAdvance,
  xOffset,
  yOffset,
});
const placed = (glyphs: ShapedGlyph[]) => glyphs.map(({ yAdvance: _, ...rest }) => rest);

let latin: ShapingFace;
let devanagari: ShapingFace;
let arabic: ShapingFace;

const faceOf = async (woff: ArrayBuffer) => ShapingFace.create(await sfntFromWoff(woff));

beforeAll(async () => {
  await harfbuzzReady();
  latin = await faceOf(latinWoff);
  devanagari = await faceOf(devanagariWoff);
  arabic = await faceOf(arabicWoff);
});

describe('shaping names with HarfBuzz', () => {
  it('joins a Devanagari name into its conjuncts, the i-sign drawn before the consonant it follows', () => {
    const glyphs = devanagari.shape('क्षत्रिय', { direction: 'ltr', script: 'Deva', language: 'hi' });
    // क्ष and त्र are one glyph each; ि (typed after त्र) comes first, in त्र's cluster.
    expect(placed(glyphs)).toEqual([glyph(286, 0, 717), glyph(162, 3, 259), glyph(298, 3, 552), glyph(138, 7, 580)]);
  });

  it('places the vowel marks of an Arabic name on their letters, right to left', () => {
    const glyphs = arabic.shape('مُحَمَّد', { direction: 'rtl', script: 'Arab', language: 'ar' });
    expect(placed(glyphs)).toEqual([
      glyph(29, 7, 532),
      glyph(344, 4, 0, 120, 104),
      glyph(341, 4, 0, 128, -96),
      glyph(78, 4, 578),
      glyph(344, 2, 0, -6, -106),
      glyph(26, 2, 637),
      glyph(345, 0, 0, 130, -100),
      glyph(79, 0, 525),
    ]);
  });

  it('joins the Urdu letters of ٹیپو, each in the form its neighbours ask for', () => {
    const glyphs = arabic.shape('ٹیپو', { direction: 'rtl', script: 'Arab', language: 'ur' });
    expect(placed(glyphs)).toEqual([
      glyph(98, 3, 472),
      glyph(297, 2, 0, 35, -8),
      glyph(18, 2, 373),
      glyph(292, 1, 0, 39, -5),
      glyph(18, 1, 373),
      glyph(284, 0, 0, 12, -26),
      glyph(21, 0, 299),
    ]);
    // Alone, ٹ takes its isolated form, wider and not the initial one the name begins with.
    const alone = arabic.shape('ٹ', { direction: 'rtl', script: 'Arab', language: 'ur' });
    expect(placed(alone)).toEqual([glyph(284, 0, 0, 351, -132), glyph(14, 0, 993)]);
  });

  it('kerns and makes ligatures unless told not to', () => {
    const latn = { direction: 'ltr', script: 'Latn' } as const;
    expect(placed(latin.shape('AVA', latn))).toEqual([glyph(36, 0, 599), glyph(57, 1, 560), glyph(36, 2, 639)]);
    expect(placed(latin.shape('AVA', { ...latn, features: '-kern' }))).toEqual([
      glyph(36, 0, 639),
      glyph(57, 1, 600),
      glyph(36, 2, 639),
    ]);
    expect(placed(latin.shape('ffi', latn))).toEqual([glyph(238, 0, 946)]);
    expect(latin.shape('ffi', { ...latn, features: 'kern, -liga' }).map((g) => g.id)).toEqual([73, 73, 76]);
  });

  it('counts clusters in UTF-16 units, so they index the JavaScript string', () => {
    const text = 'A\u{1D49C}A'; // 𝒜 is two UTF-16 units, missing from the font
    expect(latin.shape(text, { direction: 'ltr', script: 'Latn' }).map((g) => g.cluster)).toEqual([0, 1, 3]);
    expect(latin.shape('', { direction: 'ltr', script: 'Latn' })).toEqual([]);
  });

  it('says which characters a face has, so another face can draw the rest', () => {
    expect(latin.has('A'.codePointAt(0)!)).toBe(true);
    expect(latin.has('中'.codePointAt(0)!)).toBe(false);
    expect(latin.has('क'.codePointAt(0)!)).toBe(false);
    expect(devanagari.has('क'.codePointAt(0)!)).toBe(true);
    expect(arabic.has('ٹ'.codePointAt(0)!)).toBe(true);
  });

  it("gives the font's metrics in its own units", () => {
    expect([latin.unitsPerEm, latin.ascender, latin.descender]).toEqual([1000, 1069, -293]);
    expect([arabic.unitsPerEm, arabic.ascender, arabic.descender]).toEqual([1000, 1374, -738]);
  });

  it('draws a letter as a closed outline standing on the baseline, y up, and a space as nothing', () => {
    const [a] = latin.shape('A', { direction: 'ltr', script: 'Latn' });
    const path = latin.glyphPath(a!.id);
    expect(path).toMatch(/^M[-\d.,]+([LQ][-\d., ]+|Z|M[-\d.,]+)+Z$/);
    const ys = [...path.matchAll(/,(-?[\d.]+)/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys)).toBe(0);
    expect(Math.max(...ys)).toBe(717); // the apex: cap height, below the ascender
    expect(latin.glyphPath(a!.id)).toBe(path);

    const [space] = latin.shape(' ', { direction: 'ltr', script: 'Latn' });
    expect(latin.glyphPath(space!.id)).toBe('');
  });

  it('draws a Devanagari conjunct as one glyph over its own advance, from the baseline to the headline', () => {
    const [ksha, ...rest] = devanagari.shape('क्ष', { direction: 'ltr', script: 'Deva', language: 'hi' });
    expect(rest).toEqual([]);
    expect(devanagari.glyphPath(ksha!.id)).toMatch(/^M.*Z$/);
    const { tokens, xMin, xMax, yMin, yMax } = outlineOf(devanagari, ksha!.id);
    expect(tokens.filter((t) => t === 'M').length).toBeGreaterThan(1); // the loop of ष is a contour of its own
    // Over its advance (717), the headline running on a little to meet the next letter's; down to
    // the baseline, up to the headline.
    expect(xMin).toBeGreaterThanOrEqual(0);
    expect(xMax).toBeGreaterThan(ksha!.xAdvance - 50);
    expect(xMax).toBeLessThan(ksha!.xAdvance + 50);
    expect(xMax - xMin).toBeGreaterThan(ksha!.xAdvance / 2);
    expect(yMin).toBeLessThanOrEqual(0);
    expect(yMin).toBeGreaterThan(devanagari.descender);
    expect(yMax).toBeGreaterThan(500);
    expect(yMax).toBeLessThan(devanagari.ascender);
  });

  it('draws every glyph of a face and still shapes after', () => {
    const name = () => arabic.shape('مُحَمَّد', { direction: 'rtl', script: 'Arab', language: 'ar' });
    const before = name();
    let inked = 0;
    // Noto Sans Arabic has 1,340 glyphs: ids past the last draw nothing.
    for (let id = 0; id < 1500; id++) if (arabic.glyphPath(id) !== '') inked++;
    expect(inked).toBeGreaterThan(1300);
    expect(arabic.glyphPath(1340)).toBe('');
    expect(arabic.glyphPath(-1)).toBe('');
    expect(name()).toEqual(before);
    expect(placed(devanagari.shape('क्षत्रिय', { direction: 'ltr', script: 'Deva' })).map((g) => g.id)).toEqual([
      286, 162, 298, 138,
    ]);
  });

  it('lets a face go, and refuses to use it after', async () => {
    const face = await faceOf(latinWoff);
    expect(face.shape('A', { direction: 'ltr', script: 'Latn' })).toHaveLength(1);
    face.destroy();
    expect(() => face.shape('A', { direction: 'ltr', script: 'Latn' })).toThrow(/destroyed/);
    expect(() => ShapingFace.create(new ArrayBuffer(64))).toThrow(/Not a TrueType or OpenType font/);
  });
});

describe('unwrapping WOFF fonts', () => {
  /** The OpenType checksum: the sum of a table's big-endian 32-bit words, zero-padded. */
  const checksum = (bytes: Uint8Array) => {
    const padded = new Uint8Array((bytes.length + 3) & ~3);
    padded.set(bytes);
    const view = new DataView(padded.buffer);
    let sum = 0;
    for (let i = 0; i < padded.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
    return sum;
  };

  it('rebuilds the TrueType font a WOFF file holds, every table intact', async () => {
    const sfnt = await sfntFromWoff(arabicWoff);
    const view = new DataView(sfnt);
    const woffTables = new DataView(arabicWoff).getUint16(12);
    expect(view.getUint32(0)).toBe(0x00010000);
    expect(view.getUint16(4)).toBe(woffTables);
    expect([view.getUint16(6), view.getUint16(8), view.getUint16(10)]).toEqual([128, 3, woffTables * 16 - 128]);
    let previousTag = 0;
    for (let i = 0; i < woffTables; i++) {
      const [tag, sum, offset, length] = [0, 4, 8, 12].map((at) => view.getUint32(12 + i * 16 + at)) as [
        number,
        number,
        number,
        number,
      ];
      expect(tag).toBeGreaterThan(previousTag);
      previousTag = tag;
      expect(offset % 4).toBe(0);
      const table = new Uint8Array(sfnt, offset, length).slice();
      if (tag === 0x68656164) table.fill(0, 8, 12); // head's checkSumAdjustment is left out of its sum
      expect(checksum(table)).toBe(sum);
    }
  });

  it('gives TrueType and OpenType fonts back as they are', async () => {
    const sfnt = await sfntFromWoff(latinWoff);
    expect(await sfntFromWoff(sfnt)).toBe(sfnt);
  });

  it('refuses WOFF2, damaged WOFF and anything else with a clear error', async () => {
    const woff2 = new TextEncoder().encode('wOF2').buffer.slice(0) as ArrayBuffer;
    await expect(sfntFromWoff(woff2)).rejects.toThrow(/Not a WOFF 1\.0, TrueType or OpenType font/);
    await expect(sfntFromWoff(new ArrayBuffer(0))).rejects.toThrow(/Not a WOFF 1\.0/);
    await expect(sfntFromWoff(latinWoff.slice(0, 2000))).rejects.toThrow(/WOFF table directory is damaged/);
    // The glyph outlines, zlib-compressed: their stream is broken in the middle.
    const corrupt = new Uint8Array(latinWoff.slice(0));
    const woff = new DataView(corrupt.buffer);
    const entries = Array.from({ length: woff.getUint16(12) }, (_, i) => 44 + i * 20);
    const glyf = entries.find((at) => woff.getUint32(at) === 0x676c7966)!;
    const [offset, compLength] = [woff.getUint32(glyf + 4), woff.getUint32(glyf + 8)];
    corrupt.fill(0xff, offset + compLength / 2, offset + compLength / 2 + 16);
    await expect(sfntFromWoff(corrupt.buffer)).rejects.toThrow(/WOFF table is damaged/);
  });
});
