import { parse, type Font as ParsedFont } from '@shuding/opentype.js';
import type { SatoriOptions } from 'satori/standalone';
import { fontFiles } from './font-files';
import { fontFamilies, type FontFamily, type FontWeight } from './layout';

/**
 * Every subset is registered under its own name, because Satori picks a single face per name and
 * only falls back across names. An element asks for the whole chain of its family's subsets.
 */
const faceName = (family: string, subset: string) => (subset === 'latin' ? family : `${family} ${subset}`);

/** Fonts handed to Satori. Kept module-level: Satori caches parsed fonts by the identity of their data. */
export const satoriFonts: SatoriOptions['fonts'] = fontFiles.map(([family, weight, subset, data]) => ({
  name: faceName(family, subset),
  data,
  weight,
  style: 'normal' as const,
}));

/** The CSS font-family list for an element: its own family's subsets, then the other families'. */
export function fontFamilyChain(family: FontFamily): string[] {
  const ordered = [family, ...fontFamilies.filter((f) => f !== family)];
  return ordered.flatMap((f) => fontFiles.filter(([fam, w]) => fam === f && w === 400).map(([, , s]) => faceName(f, s)));
}

const parsed = new Map<string, ParsedFont>();

function parsedFaces(family: FontFamily, weight: FontWeight): ParsedFont[] {
  const chain = fontFamilyChain(family);
  return chain.map((name) => {
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
}

const faceFor = (faces: ParsedFont[], char: string) => faces.find((f) => f.charToGlyphIndex(char) > 0);

/** Characters of `text` that no bundled face can draw (they would render as empty boxes). */
export function missingGlyphs(text: string, family: FontFamily, weight: FontWeight, uploaded: ParsedFont[] = []): string[] {
  const faces = [...uploaded, ...parsedFaces(family, weight)];
  return [...text].filter((char) => !/\s/.test(char) && !faceFor(faces, char));
}

/**
 * Width of `text` at a font size of 1, resolving each character through the same fallback chain
 * Satori uses, after any uploaded font the element draws with first. Characters no face covers are
 * counted as one em, so fitting errs on the safe side.
 */
export function measureText(text: string, family: FontFamily, weight: FontWeight, uploaded: ParsedFont[] = []): number {
  const faces = [...uploaded, ...parsedFaces(family, weight)];
  let width = 0;
  for (const char of text) {
    const face = faceFor(faces, char);
    if (!face) {
      width += 1;
      continue;
    }
    width += (face.charToGlyph(char).advanceWidth ?? face.unitsPerEm) / face.unitsPerEm;
  }
  return width;
}
