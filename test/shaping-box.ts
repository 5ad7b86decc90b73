import type { TextBox } from '../src/render/text/typeset';

/** One line wide enough for any test name, so each name is shaped whole. */
export const referenceBox: TextBox = {
  x: 0,
  y: 0,
  width: 4000,
  height: 120,
  maxSize: 60,
  lineHeight: 1.2,
  letterSpacing: 0,
  maxLines: 1,
  align: 'left',
  colour: '#000000',
};

/** A name as scripts/shaping-reference.ts wrote it: each run with HarfBuzz's glyph ids and clusters. */
export interface ShapingReference {
  name: string;
  language: string | null;
  runs: { file: string; text: string; script: string; direction: string; glyphs: [number, number][] }[];
}
