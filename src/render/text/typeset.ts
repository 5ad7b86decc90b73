import bidiFactory from 'bidi-js';
import type { Drawing, ResolvedText } from './faces';
import type { ShapingFace } from './harfbuzz';
import { outlineOf, placedPath } from './outline';
import { breaksAnywhere, scriptOf, segmenterLanguage, wordsWithoutSpaces, type ScriptTag } from './scripts';

const bidi = bidiFactory();

/** Where and how a text element sets its text. */
export interface TextBox {
  x: number;
  y: number;
  width: number;
  height: number;
  maxSize: number;
  lineHeight: number;
  letterSpacing: number;
  maxLines: number;
  align: 'left' | 'center' | 'right';
  colour: string;
}

/** A text set in its box: the SVG to draw, and what was chosen (for the tests). */
export interface SetText {
  svg: string;
  fontSize: number;
  lines: string[];
  /** The box the ink covers on the page. */
  ink: { left: number; top: number; right: number; bottom: number };
  /** Graphemes no face could draw, shown as placeholders. */
  missing: string[];
  /** The runs of the lines, in visual order. */
  runs: ShapedRun[];
  /** The clusters drawn from faces, where they stand on the page: the PDF's text layer. */
  clusters: SetCluster[];
}

/**
 * A cluster of glyphs HarfBuzz shaped from the same characters (a letter, a conjunct, a letter and
 * its marks), on the page in pixels: where its pen starts on the baseline, and how far it advances.
 */
export interface SetCluster {
  face: ShapingFace;
  /** Its widest glyph, which shows it. */
  glyph: number;
  x: number;
  y: number;
  advance: number;
  /** The characters it was shaped from, in the order they were written. */
  text: string;
}

/** One glyph of a line, at a font size of 1 (em), x from the line's start, y up from its baseline. */
interface PlacedGlyph {
  drawing: Drawing;
  glyph: number;
  x: number;
  y: number;
  /** Graphemes before this glyph in the line, each of which adds the letter spacing. */
  spaced: number;
  /** On the glyph that shows its cluster: the cluster's characters, advance, and pen start (x from this glyph's). */
  cluster?: { text: string; advance: number; dx: number };
}

/** A run of one face, script and direction as HarfBuzz shaped it: what the shaping tests check. */
export interface ShapedRun {
  face: ShapingFace;
  text: string;
  script: string;
  direction: 'ltr' | 'rtl';
  /** Glyph id and cluster (UTF-16 index in `text`), in visual order. */
  glyphs: [number, number][];
}

interface LineLayout {
  /** Advance width at size 1, without letter spacing. */
  width: number;
  graphemes: number;
  glyphs: PlacedGlyph[];
  runs: ShapedRun[];
}

const whitespace = /^\s+$/u;
const round = (n: number) => Math.round(n * 100) / 100;
// An emoji picture and a placeholder are one em wide; the placeholder is an outlined box.
const EMOJI_TOP = 0.86;
const MISSING_WIDTH = 0.6;
// Shaped widths are exact; this keeps ink that overhangs the advance (italics, marks) inside the box.
const SAFETY = 0.98;

/** Whether two graphemes are drawn by the same face, so one HarfBuzz run can shape both. */
const sameFace = (a: Drawing, b: Drawing) => a.kind === 'glyphs' && b.kind === 'glyphs' && a.face === b.face;

/** How far to move ink spanning [from, to] to lie within [min, max], if it can; 0 if it cannot or need not. */
function nudgeInto(from: number, to: number, min: number, max: number): number {
  if (from === Infinity || to - from > max - min) return 0;
  if (from < min) return min - from;
  if (to > max) return max - to;
  return 0;
}

/** Positions between graphemes where a line may break: after spaces, between CJK characters, at Thai (etc.) words. */
function breakOpportunities(text: ResolvedText): Set<number> {
  const { graphemes, scripts } = text;
  const breaks = new Set<number>();
  for (let i = 1; i < graphemes.length; i++) {
    const before = graphemes[i - 1]!;
    const here = graphemes[i]!;
    if (whitespace.test(before) && !whitespace.test(here)) breaks.add(i);
    else if (breaksAnywhere.has(scriptOf(before)) && breaksAnywhere.has(scriptOf(here))) breaks.add(i);
  }
  // Runs of scripts written without spaces, broken at the words a dictionary finds in them.
  for (let start = 0; start < graphemes.length; ) {
    const script = scripts[start]!;
    let end = start + 1;
    while (end < graphemes.length && scripts[end] === script) end++;
    if (wordsWithoutSpaces.has(script)) {
      const run = graphemes.slice(start, end);
      // The segmenter counts UTF-16 units; breaks are between graphemes.
      const graphemeAt = new Map<number, number>();
      let chars = 0;
      run.forEach((g, i) => {
        graphemeAt.set(chars, i);
        chars += g.length;
      });
      const words = new Intl.Segmenter(segmenterLanguage[script], { granularity: 'word' });
      for (const { index } of words.segment(run.join(''))) {
        const at = graphemeAt.get(index);
        if (at) breaks.add(start + at);
      }
    }
    start = end;
  }
  return breaks;
}

/** Sets one text: wraps it, shrinks it until it fits its box, and draws its glyphs as paths. */
export function setText(text: ResolvedText, box: TextBox): SetText {
  const { graphemes, scripts, drawings, primary } = text;
  const joined = graphemes.join('');
  const starts: number[] = [];
  for (let i = 0, at = 0; i < graphemes.length; at += graphemes[i]!.length, i++) starts.push(at);
  const { levels } = bidi.getEmbeddingLevels(joined);
  const levelOf = (i: number) => levels[starts[i]!]!;

  /** A line of graphemes [from, to) laid out at size 1: runs shaped, then put in visual order. */
  const layouts = new Map<string, LineLayout>();
  const layout = (from: number, to: number): LineLayout => {
    const key = `${from},${to}`;
    const known = layouts.get(key);
    if (known) return known;
    const runs: { from: number; to: number; level: number }[] = [];
    for (let i = from; i < to; ) {
      let end = i + 1;
      while (
        end < to &&
        levelOf(end) === levelOf(i) &&
        scripts[end] === scripts[i] &&
        sameFace(drawings[end]!, drawings[i]!)
      )
        end++;
      runs.push({ from: i, to: end, level: levelOf(i) });
      i = end;
    }
    // Unicode's rule L2: from the highest level down to the lowest odd one, reverse each sequence of
    // runs at that level or above.
    const maxLevel = Math.max(...runs.map((r) => r.level));
    const minOdd = Math.min(...runs.map((r) => (r.level % 2 ? r.level : r.level + 1)));
    for (let level = maxLevel; level >= minOdd; level--) {
      for (let i = 0; i < runs.length; ) {
        if (runs[i]!.level < level) {
          i++;
          continue;
        }
        let end = i;
        while (end < runs.length && runs[end]!.level >= level) end++;
        runs.splice(i, end - i, ...runs.slice(i, end).reverse());
        i = end;
      }
    }
    const glyphs: PlacedGlyph[] = [];
    const shapedRuns: ShapedRun[] = [];
    let pen = 0;
    let spaced = 0;
    for (const run of runs) {
      const drawing = drawings[run.from]!;
      if (drawing.kind !== 'glyphs') {
        glyphs.push({ drawing, glyph: 0, x: pen, y: 0, spaced });
        pen += drawing.kind === 'emoji' ? 1 : MISSING_WIDTH;
        spaced++;
        continue;
      }
      const { face } = drawing;
      const runText = graphemes.slice(run.from, run.to).join('');
      const direction = run.level % 2 ? 'rtl' : 'ltr';
      const script = scripts[run.from] as Exclude<ScriptTag, 'Zyyy'>;
      const shaped = face.shape(runText, { direction, script, language: text.language ?? undefined });
      shapedRuns.push({ face, text: runText, script, direction, glyphs: shaped.map((g) => [g.id, g.cluster]) });
      const unit = 1 / face.unitsPerEm;
      // A cluster's characters run from its index to the next cluster's; its glyphs are adjacent.
      // It is shown in the PDF's text layer by its widest glyph (a letter, not a mark drawn apart).
      const starts = [...new Set(shaped.map((g) => g.cluster))].sort((a, b) => a - b);
      let cluster: { base: number; pen: number; advance: number; text: string } | undefined;
      for (const [g, glyph] of shaped.entries()) {
        if (shaped[g - 1]?.cluster !== glyph.cluster) {
          cluster = { base: g, pen, advance: 0, text: '' };
          for (let i = g; shaped[i]?.cluster === glyph.cluster; i++) {
            cluster.advance += shaped[i]!.xAdvance * unit;
            if (shaped[i]!.xAdvance > shaped[cluster.base]!.xAdvance) cluster.base = i;
          }
          cluster.text = runText.slice(glyph.cluster, starts[starts.indexOf(glyph.cluster) + 1] ?? runText.length);
        }
        const x = pen + glyph.xOffset * unit;
        glyphs.push({
          drawing,
          glyph: glyph.id,
          x,
          y: glyph.yOffset * unit,
          spaced,
          cluster:
            cluster?.base === g ? { text: cluster.text, advance: cluster.advance, dx: cluster.pen - x } : undefined,
        });
        pen += glyph.xAdvance * unit;
        // Letter spacing follows each grapheme: where the next glyph starts another cluster.
        if (shaped[g + 1]?.cluster !== glyph.cluster) spaced++;
      }
    }
    const line = { width: pen, graphemes: to - from, glyphs, runs: shapedRuns };
    layouts.set(key, line);
    return line;
  };

  // Segments between break opportunities; a line is a sequence of them, its trailing spaces dropped.
  const breaks = [...breakOpportunities(text)].sort((a, b) => a - b);
  const bounds = [0, ...breaks, graphemes.length];
  const trimmedEnd = (from: number, to: number) => {
    let end = to;
    while (end > from && whitespace.test(graphemes[end - 1]!)) end--;
    return end;
  };
  const spacing = box.letterSpacing;
  // Each segment shaped on its own, its trailing spaces apart: a line's width is the sum of its
  // segments', so wrapping at many sizes shapes each segment once, however long the text.
  const segments = bounds.slice(0, -1).map((from, s) => {
    const to = bounds[s + 1]!;
    const end = trimmedEnd(from, to);
    return { word: layout(from, end), space: end < to ? layout(end, to) : undefined };
  });
  const widthOf = (line: LineLayout | undefined, size: number) =>
    line ? line.width * size + spacing * line.graphemes : 0;

  /**
   * Greedy: each line takes as many segments as fit; a segment wider than the box takes a line
   * alone. Lines as grapheme ranges, with their widths.
   */
  const wrap = (size: number, width: number) => {
    const lines: { range: [number, number]; width: number }[] = [];
    let start = 0;
    let lineWidth = 0;
    let pending = 0;
    segments.forEach(({ word, space }, s) => {
      const wordWidth = widthOf(word, size);
      if (s > start && lineWidth + pending + wordWidth > width) {
        lines.push({ range: [bounds[start]!, bounds[s]!], width: lineWidth });
        start = s;
        lineWidth = wordWidth;
      } else {
        lineWidth += pending + wordWidth;
      }
      pending = widthOf(space, size);
    });
    lines.push({ range: [bounds[start]!, graphemes.length], width: lineWidth });
    return lines.filter(({ range: [from, to] }) => trimmedEnd(from, to) > from);
  };

  const ascent = primary.ascender / primary.unitsPerEm;
  const descent = -primary.descender / primary.unitsPerEm;

  /** The glyphs of the lines placed on the page at `size`, with the box their ink covers. */
  type Extent = { left: number; top: number; right: number; bottom: number };
  const grow = (a: Extent, b: Extent) => {
    a.left = Math.min(a.left, b.left);
    a.top = Math.min(a.top, b.top);
    a.right = Math.max(a.right, b.right);
    a.bottom = Math.max(a.bottom, b.bottom);
  };
  const none = (): Extent => ({ left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity });

  /**
   * The glyphs of the lines placed on the page at `size`, with the box their ink covers. Aligned by
   * their advances as CSS does, then nudged inwards where ink overhangs the box (a J's hook at the
   * left edge, tall Nastaliq letters at the top), when there is room on the other side.
   */
  const place = (lines: [number, number][], size: number) => {
    const lineBox = size * box.lineHeight;
    const top = box.y + (box.height - lines.length * lineBox) / 2;
    const placed: { glyph: PlacedGlyph; x: number; y: number }[] = [];
    const ink = none();
    lines.forEach(([from, to], n) => {
      const line = layout(from, trimmedEnd(from, to));
      const width = line.width * size + spacing * line.graphemes;
      const left =
        box.align === 'left'
          ? box.x
          : box.align === 'right'
            ? box.x + box.width - width
            : box.x + (box.width - width) / 2;
      const baseline = top + n * lineBox + (lineBox - (ascent + descent) * size) / 2 + ascent * size;
      const lineInk = none();
      const first = placed.length;
      for (const glyph of line.glyphs) {
        const x = left + glyph.x * size + spacing * glyph.spaced;
        const y = baseline - glyph.y * size;
        placed.push({ glyph, x, y });
        const { drawing } = glyph;
        if (drawing.kind === 'glyphs') {
          const o = outlineOf(drawing.face, glyph.glyph);
          if (o.xMin > o.xMax) continue;
          const k = size / drawing.face.unitsPerEm;
          grow(lineInk, { left: x + o.xMin * k, top: y - o.yMax * k, right: x + o.xMax * k, bottom: y - o.yMin * k });
        } else {
          const w = drawing.kind === 'emoji' ? size : MISSING_WIDTH * size;
          grow(lineInk, { left: x, top: y - EMOJI_TOP * size, right: x + w, bottom: y + (1 - EMOJI_TOP) * size });
        }
      }
      const nudge = nudgeInto(lineInk.left, lineInk.right, box.x, box.x + box.width);
      for (let i = first; i < placed.length; i++) placed[i]!.x += nudge;
      lineInk.left += nudge;
      lineInk.right += nudge;
      grow(ink, lineInk);
    });
    const nudge = nudgeInto(ink.top, ink.bottom, box.y, box.y + box.height);
    for (const p of placed) p.y += nudge;
    ink.top += nudge;
    ink.bottom += nudge;
    return { placed, ink };
  };

  const inside = (ink: SetText['ink']) =>
    ink.left >= box.x - 0.5 &&
    ink.right <= box.x + box.width + 0.5 &&
    ink.top >= box.y - 0.5 &&
    ink.bottom <= box.y + box.height + 0.5;

  let size = Math.min(box.maxSize, box.height / box.lineHeight);
  let lines: [number, number][] = [];
  let result: ReturnType<typeof place> | undefined;
  for (;;) {
    const width = box.width * SAFETY;
    const wrapped = wrap(size, width);
    lines = wrapped.map((l) => l.range);
    const widest = Math.max(0, ...wrapped.map((l) => l.width));
    const fitsLines = lines.length <= box.maxLines && lines.length * size * box.lineHeight <= box.height;
    if (fitsLines && widest <= width) {
      result = place(lines, size);
      if (inside(result.ink) || size <= 1) break;
      // Ink taller or wider than the lines (stacked marks, Nastaliq): shrink by how much it overflows.
      const overflow = Math.max(
        (result.ink.right - result.ink.left) / box.width,
        (result.ink.bottom - result.ink.top) / box.height,
        1.01,
      );
      size = Math.max(1, Math.floor((size / overflow) * 100) / 100);
      continue;
    }
    if (size <= 1) {
      result = place(lines, size);
      break;
    }
    // Jump close to the size where the widest line fits, then step down gently.
    const next = lines.length <= box.maxLines ? Math.min(size * 0.97, (size * width) / widest) : size * 0.93;
    size = Math.max(1, Math.floor(next * 100) / 100);
  }

  // One path per face: every glyph of it in one element, which resvg and the PDF draw fastest.
  const paths = new Map<ShapingFace | undefined, string[]>();
  const pictures: string[] = [];
  const missing: string[] = [];
  const clusters: SetCluster[] = [];
  for (const { glyph, x, y } of result.placed) {
    const { drawing, cluster } = glyph;
    if (drawing.kind === 'glyphs' && cluster) {
      clusters.push({
        face: drawing.face,
        glyph: glyph.glyph,
        x: x + cluster.dx * size,
        y: y + glyph.y * size,
        advance: cluster.advance * size + spacing,
        text: cluster.text,
      });
    }
    if (drawing.kind === 'glyphs') {
      const d = placedPath(outlineOf(drawing.face, glyph.glyph), x, y, size / drawing.face.unitsPerEm);
      if (!d) continue;
      const list = paths.get(drawing.face) ?? [];
      list.push(d);
      paths.set(drawing.face, list);
    } else if (drawing.kind === 'emoji') {
      pictures.push(
        `<svg x="${round(x)}" y="${round(y - EMOJI_TOP * size)}" width="${round(size)}" height="${round(size)}" viewBox="${drawing.picture.viewBox}" preserveAspectRatio="none">${drawing.picture.content}</svg>`,
      );
    } else {
      // An outlined box, drawn as a filled path (outer edge, then the inner one the other way round).
      const [l, t, r, b] = [x + 0.08 * size, y - 0.7 * size, x + (MISSING_WIDTH - 0.08) * size, y].map(round) as [
        number,
        number,
        number,
        number,
      ];
      const w = round(0.06 * size);
      const list = paths.get(undefined) ?? [];
      const [il, it, ir, ib] = [l + w, t + w, r - w, b - w].map(round);
      list.push(`M${l},${t}L${r},${t}L${r},${b}L${l},${b}ZM${il},${it}L${il},${ib}L${ir},${ib}L${ir},${it}Z`);
      paths.set(undefined, list);
    }
  }
  for (const [i, d] of drawings.entries()) if (d.kind === 'missing') missing.push(graphemes[i]!);
  const svg =
    [...paths.values()].map((list) => `<path d="${list.join('')}" fill="${box.colour}"/>`).join('') + pictures.join('');
  return {
    svg,
    fontSize: size,
    lines: lines.map(([a, b]) => graphemes.slice(a, trimmedEnd(a, b)).join('')),
    ink: result.ink,
    missing,
    runs: lines.flatMap(([a, b]) => layout(a, trimmedEnd(a, b)).runs),
    clusters,
  };
}
