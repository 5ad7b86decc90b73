import { parse, type Font as ParsedFont } from '@shuding/opentype.js';
import type { SatoriOptions } from 'satori/standalone';
import { fontFiles } from './font-files';
import { fontFamilies, type FontFamily, type FontWeight } from './layout';

/**
 * Every subset is registered under its own name, because Satori picks a single face per name and
 * only falls back across names. An element asks for the whole chain of its family's subsets.
 */
const faceName = (family: string, subset: string) => (subset === 'latin' ? family : `${family} ${subset}`);

interface Shaping {
  stringToGlyphs(text: string, options?: unknown): unknown[];
  defaultRenderOptions: { features: { script: string; tags: string[] }[] };
  /** Satori's list of the characters a font lacked while shaping, which it draws from another. */
  _trackBrokenChars?: string[];
}

/**
 * opentype.js applies a font's Arabic features itself to Arabic characters that reach it unshaped
 * (marks, punctuation such as ، or ٪), and throws on a contextual lookup type it lacks, which Noto
 * Sans Arabic's required ligatures use. Thrown inside Satori's layout, it also corrupts Satori's
 * WASM for every later render in the isolate. Such a text is shaped again without the features
 * the font cannot apply (Arabic first, then all); a text that shapes today is untouched.
 */
const shaping = Object.getPrototypeOf(parse(fontFiles[0]![3])) as Shaping;
const shapeWithFeatures = shaping.stringToGlyphs;
const unsupportedLookup = (error: unknown) => error instanceof Error && /is not yet supported/.test(error.message);
shaping.stringToGlyphs = function (this: Shaping, text, options) {
  const { features } = shaping.defaultRenderOptions;
  const fallbacks = [features.filter((f) => f.script !== 'arab'), []];
  const lacked = this._trackBrokenChars?.length ?? 0;
  for (let attempt = 0; ; attempt++) {
    // An own property for this one call: the font's other texts keep every feature.
    if (attempt > 0) this.defaultRenderOptions = { ...shaping.defaultRenderOptions, features: fallbacks[attempt - 1]! };
    try {
      return shapeWithFeatures.call(this, text, options);
    } catch (error) {
      if (!unsupportedLookup(error) || attempt === fallbacks.length) throw error;
      // Shaping again lists the lacking characters again.
      if (this._trackBrokenChars) this._trackBrokenChars.length = lacked;
    } finally {
      if (attempt > 0) delete (this as Partial<Shaping>).defaultRenderOptions;
    }
  }
};

/** Fonts handed to Satori. Kept module-level: Satori caches parsed fonts by the identity of their data. */
export const satoriFonts: SatoriOptions['fonts'] = fontFiles.map(([family, weight, subset, data]) => ({
  name: faceName(family, subset),
  data,
  weight,
  style: 'normal' as const,
}));

/**
 * A face fetched for one render beyond the bundled ones (CJK, see script-fonts.ts). Satori tries it
 * after the element's own chain, as measuring does.
 */
export interface ScriptFace {
  name: string;
  weight: FontWeight;
  data: ArrayBuffer;
}

/** The bundled fonts plus a render's own faces (uploaded fonts, CJK slices); without any, the same array, so Satori reuses its font loader. */
export const satoriFontsWith = (faces: readonly ScriptFace[]): SatoriOptions['fonts'] =>
  faces.length ? [...satoriFonts, ...faces.map((f) => ({ ...f, style: 'normal' as const }))] : satoriFonts;

/** The CSS font-family list for an element: its own family's subsets, then the other families'. */
export function fontFamilyChain(family: FontFamily): string[] {
  const ordered = [family, ...fontFamilies.filter((f) => f !== family)];
  return ordered.flatMap((f) =>
    fontFiles.filter(([fam, w]) => fam === f && w === 400).map(([, , s]) => faceName(f, s)),
  );
}

const parsed = new Map<string, ParsedFont>();
// Script faces come and go with script-fonts.ts's cache; their parse goes with their data.
const parsedScriptFaces = new WeakMap<ArrayBuffer, ParsedFont>();

/** Faces beyond the bundled ones that a text may be drawn with. */
export interface ExtraFaces {
  /** An uploaded font the element names, tried before everything else. */
  uploaded?: readonly ParsedFont[];
  /** CJK faces fetched for this render, tried after the bundled ones. */
  scriptFaces?: readonly ScriptFace[];
}

function parsedFaces(
  family: FontFamily,
  weight: FontWeight,
  { uploaded = [], scriptFaces = [] }: ExtraFaces,
): ParsedFont[] {
  const chain = fontFamilyChain(family);
  const bundled = chain.map((name) => {
    const key = `${name}|${weight}`;
    let font = parsed.get(key);
    if (!font) {
      const file = fontFiles.find(([fam, w, s]) => faceName(fam, s) === name && w === weight);
      if (!file) throw new Error(`No bundled face ${name} ${weight}`);
      font = parse(file[3]);
      parsed.set(key, font);
    }
    return font;
  });
  const fetched = scriptFaces
    .filter((f) => f.weight === weight)
    .map(({ data }) => {
      let font = parsedScriptFaces.get(data);
      if (!font) {
        font = parse(data);
        parsedScriptFaces.set(data, font);
      }
      return font;
    });
  return [...uploaded, ...bundled, ...fetched];
}

const faceFor = (faces: ParsedFont[], char: string) => faces.find((f) => f.charToGlyphIndex(char) > 0);

/** Characters of `text` that no face can draw, bundled or one of `extra` (they would render as boxes). */
export function missingGlyphs(text: string, family: FontFamily, weight: FontWeight, extra: ExtraFaces = {}): string[] {
  const faces = parsedFaces(family, weight, extra);
  return [...text].filter((char) => !/\s/.test(char) && !faceFor(faces, char));
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Width of `text` at a font size of 1, resolving each character through the same fallback chain
 * Satori uses, after any uploaded font the element draws with first. A grapheme no face fully covers
 * is one em: Satori draws an emoji as a 1-em picture, and a box is no wider, so fitting errs on the
 * safe side.
 */
export function measureText(text: string, family: FontFamily, weight: FontWeight, extra: ExtraFaces = {}): number {
  const faces = parsedFaces(family, weight, extra);
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    let advance = 0;
    for (const char of segment) {
      const face = faceFor(faces, char);
      if (!face) {
        advance = 1;
        break;
      }
      advance += (face.charToGlyph(char).advanceWidth ?? face.unitsPerEm) / face.unitsPerEm;
    }
    width += advance;
  }
  return width;
}
