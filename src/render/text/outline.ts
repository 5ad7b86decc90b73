import type { ShapingFace } from './harfbuzz';

/** A glyph's outline in font units (y up), with the box its points span. */
export interface Outline {
  /** Path commands and numbers, as HarfBuzz draws them (absolute M, L, Q, C and Z). */
  tokens: (string | number)[];
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

const outlines = new WeakMap<ShapingFace, Map<number, Outline>>();
const token = /[MLQCZ]|-?\d*\.?\d+(?:e[-+]?\d+)?/gi;

/** A glyph's outline, read once per face. Control points bound the curves, so the box holds the ink. */
export function outlineOf(face: ShapingFace, glyph: number): Outline {
  let byGlyph = outlines.get(face);
  if (!byGlyph) {
    byGlyph = new Map();
    outlines.set(face, byGlyph);
  }
  let outline = byGlyph.get(glyph);
  if (!outline) {
    const tokens = (face.glyphPath(glyph).match(token) ?? []).map((t) =>
      /[a-z]/i.test(t) ? t.toUpperCase() : Number(t),
    );
    outline = { tokens, xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity };
    let x = true;
    for (const t of tokens) {
      if (typeof t !== 'number') continue;
      if (x) {
        outline.xMin = Math.min(outline.xMin, t);
        outline.xMax = Math.max(outline.xMax, t);
      } else {
        outline.yMin = Math.min(outline.yMin, t);
        outline.yMax = Math.max(outline.yMax, t);
      }
      x = !x;
    }
    byGlyph.set(glyph, outline);
  }
  return outline;
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * A glyph's outline as SVG path data on the page: its origin at (x, y), `scale` page pixels per
 * font unit, y turned downwards. Plain coordinates, no transform, so the PDF can draw it as a vector.
 */
export function placedPath({ tokens }: Outline, x: number, y: number, scale: number): string {
  let d = '';
  let isX = true;
  for (const t of tokens) {
    if (typeof t === 'string') {
      d += t;
      continue;
    }
    const value = isX ? x + t * scale : y - t * scale;
    // Numbers after a command are separated by commas; a negative one needs none.
    d += `${/[\d.]$/.test(d) ? ',' : ''}${round(value)}`;
    isX = !isX;
  }
  return d;
}
