import type { Font as ParsedFont } from '@shuding/opentype.js';
import { measureText, type ScriptFace } from './fonts';
import type { FontFamily, FontWeight } from './layout';

export interface FitRequest {
  text: string;
  family: FontFamily;
  weight: FontWeight;
  maxSize: number;
  letterSpacing: number;
  lineHeight: number;
  width: number;
  height: number;
  maxLines: number;
  /** An uploaded font drawn before the family's own faces. */
  uploaded?: readonly ParsedFont[];
  /** Faces fetched for this render beyond the bundled ones (CJK), measured as Satori will draw them. */
  scriptFaces?: readonly ScriptFace[];
}

export interface FittedText {
  fontSize: number;
  lines: string[];
}

// Glyph advances ignore kerning and hinting; a small margin keeps the rendered line inside its box.
const SAFETY = 0.97;

/**
 * Wraps text at spaces into at most `maxLines` lines, shrinking the font until every line fits the
 * box. Words are never split, so a glyph is never cut: a long word shrinks the whole text instead.
 */
export function fitText(req: FitRequest): FittedText {
  const words = req.text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return { fontSize: req.maxSize, lines: [] };
  const unit = (s: string) =>
    measureText(s, req.family, req.weight, { uploaded: req.uploaded, scriptFaces: req.scriptFaces });
  const wordWidths = words.map(unit);
  const spaceWidth = unit(' ');
  const width = req.width * SAFETY;

  const wrap = (size: number): string[] => {
    const spacing = req.letterSpacing;
    const widthOf = (w: number, chars: number) => w * size + spacing * chars;
    const lines: string[] = [];
    let line = '';
    let lineWidth = 0;
    words.forEach((word, i) => {
      const w = widthOf(wordWidths[i]!, [...word].length);
      const joined = line ? lineWidth + widthOf(spaceWidth, 1) + w : w;
      if (line && joined > width) {
        lines.push(line);
        line = word;
        lineWidth = w;
      } else {
        line = line ? `${line} ${word}` : word;
        lineWidth = joined;
      }
    });
    lines.push(line);
    return lines;
  };

  const fits = (size: number, lines: string[]) =>
    lines.length <= req.maxLines &&
    lines.length * size * req.lineHeight <= req.height &&
    lines.every((l) => unit(l) * size + req.letterSpacing * [...l].length <= width);

  let size = Math.min(req.maxSize, req.height / req.lineHeight);
  for (;;) {
    const lines = wrap(size);
    if (fits(size, lines) || size <= 1) return { fontSize: Math.max(size, 1), lines };
    // Jump close to the size where the widest line fits, then step down gently.
    const widest = Math.max(...lines.map((l) => unit(l) * size));
    const next = lines.length <= req.maxLines ? Math.min(size * 0.97, (size * width) / widest) : size * 0.93;
    size = Math.max(1, Math.floor(next * 100) / 100);
  }
}
