import type { Design, Layout, LayoutElement, RectElement } from './layout';
import { variants, type ImageVariant } from './variants';

type Size = { width: number; height: number };
type Box = { x: number; y: number; width: number; height: number };

/**
 * Where nothing that matters goes on a story: Instagram and TikTok draw the account and progress
 * bar over its top 250 px and the reply box over its bottom 340 px (of 1920).
 */
export function storySafeArea(page: Size): { top: number; bottom: number } {
  const unit = page.height / 1920;
  return { top: 250 * unit, bottom: page.height - 340 * unit };
}

const isStory = (size: Size) => size.height >= 1.5 * size.width;

/** An element moved into a new box, its font, strokes and lines changed by `scale`. */
function placed(element: LayoutElement, box: Box, scale: number, maxLines?: number): LayoutElement {
  if (element.type === 'rect') {
    return { ...element, ...box, strokeWidth: element.strokeWidth * scale, radius: element.radius * scale };
  }
  if (element.type === 'qr' || element.type === 'image' || element.type === 'photo') return { ...element, ...box };
  return {
    ...element,
    ...box,
    font: { ...element.font, size: element.font.size * scale, letterSpacing: element.font.letterSpacing * scale },
    maxLines: maxLines ?? element.maxLines,
  };
}

const contains = (outer: Box, inner: Box) => {
  const cx = inner.x + inner.width / 2;
  const cy = inner.y + inner.height / 2;
  return cx > outer.x && cx < outer.x + outer.width && cy > outer.y && cy < outer.y + outer.height;
};

/**
 * Rectangles that belong to the page rather than to a line of the certificate: frames around most
 * of it, stripes along a whole edge, and empty bands along the top or bottom. They are stretched to
 * the new page, keeping their distance from the edges they run along.
 */
function isPageRect(element: LayoutElement, page: Size, content: LayoutElement[]): element is RectElement {
  if (element.type !== 'rect') return false;
  const wide = element.width >= 0.9 * page.width;
  const tall = element.height >= 0.9 * page.height;
  if (tall || (wide && element.height >= 0.5 * page.height)) return true;
  const atEdge = element.y <= 0.02 * page.height || element.y + element.height >= 0.98 * page.height;
  return wide && atEdge && !content.some((e) => e !== element && contains(element, e));
}

/** A page rect on the new page: along each side it spans, stretched; along the others, kept to its edge. */
function stretched(rect: RectElement, from: Size, to: Size, scale: number): LayoutElement {
  const along = (start: number, length: number, fromSide: number, toSide: number) => {
    const before = start * scale;
    const after = (fromSide - start - length) * scale;
    // A rect touching one edge only keeps its length from that edge; one spanning the page keeps both distances.
    if (length >= 0.5 * fromSide) return [before, toSide - before - after];
    return start + length / 2 < fromSide / 2
      ? [before, length * scale]
      : [toSide - after - length * scale, length * scale];
  };
  const [x, width] = along(rect.x, rect.width, from.width, to.width);
  const [y, height] = along(rect.y, rect.height, from.height, to.height);
  return placed(rect, { x: x!, y: y!, width: width!, height: height! }, scale);
}

/**
 * Elements whose extents overlap along an axis: by y, the rows of the certificate; by x, the
 * pieces of a row laid out as one, such as a label over its value or a QR code and its caption.
 */
function groupsBy(elements: number[], boxes: LayoutElement[], axis: 'x' | 'y'): number[][] {
  const length = axis === 'x' ? 'width' : 'height';
  const sorted = [...elements].sort((a, b) => boxes[a]![axis] - boxes[b]![axis] || a - b);
  const groups: { end: number; members: number[] }[] = [];
  for (const i of sorted) {
    const e = boxes[i]!;
    const last = groups.at(-1);
    if (last && e[axis] < last.end - 1) {
      last.members.push(i);
      last.end = Math.max(last.end, e[axis] + e[length]);
    } else groups.push({ end: e[axis] + e[length], members: [i] });
  }
  return groups.map((g) => g.members);
}

const extent = (members: number[], elements: LayoutElement[]) => {
  const x = Math.min(...members.map((i) => elements[i]!.x));
  const y = Math.min(...members.map((i) => elements[i]!.y));
  const right = Math.max(...members.map((i) => elements[i]!.x + elements[i]!.width));
  const bottom = Math.max(...members.map((i) => elements[i]!.y + elements[i]!.height));
  return { x, y, width: right - x, height: bottom - y };
};

interface Stack {
  /** New boxes by element index, with y from the top of the stack. */
  boxes: Map<number, LayoutElement>;
  height: number;
}

/**
 * The certificate's content as a vertical stack at text scale `scale`: each row of the certificate
 * (elements side by side) in turn, wide texts re-set across the new width with room for as many
 * more lines as the narrower width needs, narrower pieces kept together and wrapped into lines
 * that fit. Panels behind a row grow around it.
 */
function stack(design: Design, rows: number[][], panels: Set<number>, width: number, scale: number, page: Size): Stack {
  const { elements } = design;
  const boxes = new Map<number, LayoutElement>();
  const wide = (i: number) => elements[i]!.width >= 0.5 * design.page.width;
  let y = 0;
  let previousBottom: number | undefined;
  for (const row of rows) {
    const area = extent(row, elements);
    if (previousBottom !== undefined) y += Math.min(Math.max(area.y - previousBottom, 0), 50) * scale;
    const top = y;
    const content = row.filter((i) => !panels.has(i));
    // Wide texts (and rules) take the whole width; what is left is laid out piece by piece.
    const full = content.filter(wide);
    const pieces = groupsBy(
      content.filter((i) => !wide(i)),
      elements,
      'x',
    );
    // A row set to one side of the certificate stays on that side; one across it, centred.
    const middle = (area.x + area.width / 2) / design.page.width;
    const side = middle < 0.4 ? 'left' : middle > 0.6 ? 'right' : 'center';
    let bottom = top;
    for (const i of full) {
      const e = elements[i]!;
      const dy = (e.y - area.y) * scale;
      if (e.type === 'text') {
        const lines = e.maxLines === 1 ? 1 : Math.min(10, Math.ceil((e.maxLines * e.width * scale) / width - 0.25));
        const height = (e.height * scale * lines) / e.maxLines;
        boxes.set(i, placed(e, { x: (page.width - width) / 2, y: top + dy, width, height }, scale, lines));
        bottom = Math.max(bottom, top + dy + height);
      } else {
        const w = Math.min(e.width * scale, width);
        const box = { x: (page.width - w) / 2, y: top + dy, width: w, height: e.height * scale };
        boxes.set(i, placed(e, box, scale));
        bottom = Math.max(bottom, box.y + box.height);
      }
    }
    // Pieces side by side as long as they fit, each line of them centred.
    const gap = 40 * scale;
    let line: { members: number[]; area: Box; fit: number }[] = [];
    let lineTop = full.length > 0 ? bottom : top;
    const flush = () => {
      if (line.length === 0) return;
      const total = line.reduce((sum, p) => sum + p.area.width * p.fit, 0) + gap * (line.length - 1);
      const start = {
        left: (page.width - width) / 2,
        center: (page.width - total) / 2,
        right: (page.width + width) / 2 - total,
      };
      let x = start[side];
      let lineBottom = lineTop;
      for (const piece of line) {
        for (const i of piece.members) {
          const e = elements[i]!;
          const box = {
            x: x + (e.x - piece.area.x) * piece.fit,
            y: lineTop + (e.y - area.y) * piece.fit,
            width: e.width * piece.fit,
            height: e.height * piece.fit,
          };
          boxes.set(i, placed(e, box, piece.fit));
          lineBottom = Math.max(lineBottom, box.y + box.height);
        }
        x += piece.area.width * piece.fit + gap;
      }
      bottom = Math.max(bottom, lineBottom);
      lineTop = lineBottom + gap / 2;
      line = [];
    };
    // Pieces that fit on one line a little smaller stay together (a row of ranks); others wrap.
    const areas = pieces.map((members) => extent(members, elements));
    const together = (width - gap * (pieces.length - 1)) / areas.reduce((sum, a) => sum + a.width, 0);
    const shared = together >= 0.6 * scale ? Math.min(scale, together) : scale;
    let used = 0;
    for (const [n, members] of pieces.entries()) {
      const pieceArea = areas[n]!;
      const fit = Math.min(shared, width / pieceArea.width);
      const w = pieceArea.width * fit;
      if (line.length > 0 && used + gap + w > width) {
        flush();
        used = 0;
      }
      used += (line.length > 0 ? gap : 0) + w;
      line.push({ members, area: pieceArea, fit });
    }
    flush();
    for (const i of row.filter((i) => panels.has(i))) {
      const e = elements[i]!;
      const inner = row.filter((j) => j !== i && boxes.has(j) && contains(e, elements[j]!));
      const around = inner.length > 0 ? extent(inner, elements) : e;
      const padTop = (around.y - e.y) * scale;
      const padBottom = (e.y + e.height - around.y - around.height) * scale;
      const laid = inner.map((j) => boxes.get(j)!);
      const innerTop = laid.length > 0 ? Math.min(...laid.map((b) => b.y)) : top;
      const innerBottom = laid.length > 0 ? Math.max(...laid.map((b) => b.y + b.height)) : top + e.height * scale;
      const bleed = e.width >= 0.9 * design.page.width;
      const w = bleed ? page.width : Math.min(width, e.width * scale);
      const box = {
        x: (page.width - w) / 2,
        y: innerTop - padTop,
        width: w,
        height: innerBottom - innerTop + padTop + padBottom,
      };
      boxes.set(i, placed(e, box, scale));
      bottom = Math.max(bottom, box.y + box.height);
    }
    y = bottom;
    previousBottom = area.y + area.height;
  }
  return { boxes, height: y };
}

/** The colour the certificate is drawn in: its largest filled rect's, or else its biggest text's. */
function accentColour(design: Design): string | undefined {
  const filled = design.elements
    .filter((e): e is RectElement & { fill: string } => e.type === 'rect' && !!e.fill)
    .sort((a, b) => b.width * b.height - a.width * a.height);
  if (filled[0]) return filled[0].fill;
  const texts = design.elements
    .flatMap((e) => (e.type === 'text' ? [e] : []))
    .sort((a, b) => b.font.size - a.font.size);
  return texts[0]?.font.colour;
}

/** The certificate scaled to fit inside a margin and centred, for a page wider than it. */
function scaledDesign(design: Design, size: Size): Design {
  const margin = 0.06 * Math.min(size.width, size.height);
  const scale = Math.min(
    (size.width - 2 * margin) / design.page.width,
    (size.height - 2 * margin) / design.page.height,
  );
  const dx = (size.width - design.page.width * scale) / 2;
  const dy = (size.height - design.page.height * scale) / 2;
  const elements = design.elements.map((e) =>
    placed(e, { x: e.x * scale + dx, y: e.y * scale + dy, width: e.width * scale, height: e.height * scale }, scale),
  );
  return { page: { ...size }, background: design.background, elements };
}

/**
 * The certificate re-flowed into another shape, so a square or story shows the same design
 * without the organiser drawing it again: its rows stacked top to bottom at the largest text size
 * that fits, frames and stripes stretched to the new page. On a story the stack keeps inside the
 * safe area, and the bands the apps draw over take the certificate's colour (which also keeps the
 * apps' white overlay legible).
 */
export function adaptDesign(design: Design, size: Size): Design {
  // A page at least as wide as the certificate (the share card) takes it whole, scaled.
  if (size.width / size.height >= design.page.width / design.page.height) return scaledDesign(design, size);
  const { elements } = design;
  const margin = 0.07 * size.width;
  const width = size.width - 2 * margin;
  const story = isStory(size);
  const area = story ? storySafeArea(size) : { top: margin, bottom: size.height - margin };
  // The certificate's own page: on a story, the part between the bands the apps draw over.
  const inset = 0.02 * size.height;
  const frame = story ? { top: area.top - inset, bottom: area.bottom + inset } : { top: 0, bottom: size.height };
  const framed = { width: size.width, height: frame.bottom - frame.top };
  const pageScale = Math.min(framed.width / design.page.width, framed.height / design.page.height);

  const pageRects = new Set(elements.flatMap((e, i) => (isPageRect(e, design.page, elements) ? [i] : [])));
  const content = elements.flatMap((_, i) => (pageRects.has(i) ? [] : [i]));
  const panels = new Set(
    content.filter((i) => {
      const e = elements[i]!;
      return e.type === 'rect' && content.some((j) => j !== i && contains(e, elements[j]!));
    }),
  );
  const rows = groupsBy(content, elements, 'y');

  // The largest text scale whose stack fits, found by halving the interval.
  const room = area.bottom - area.top - 2 * 0.03 * size.height;
  let low = 0.2;
  let high = 1.6;
  for (let step = 0; step < 12; step++) {
    const mid = (low + high) / 2;
    if (stack(design, rows, panels, width, mid, size).height <= room) low = mid;
    else high = mid;
  }
  const laid = stack(design, rows, panels, width, low, size);
  const offset = area.top + (area.bottom - area.top - laid.height) / 2;

  const placedElements = elements.map((e, i) => {
    if (pageRects.has(i)) {
      const rect = stretched(e as RectElement, design.page, framed, pageScale);
      return { ...rect, y: rect.y + frame.top };
    }
    const box = laid.boxes.get(i)!;
    const moved = { ...box, y: box.y + offset };
    // A panel along the certificate's top or bottom edge still reaches that edge.
    if (panels.has(i)) {
      if (e.y <= 0.02 * design.page.height)
        return { ...moved, y: frame.top, height: moved.y + moved.height - frame.top };
      if (e.y + e.height >= 0.98 * design.page.height) return { ...moved, height: frame.bottom - moved.y };
    }
    return moved;
  });
  const accent = accentColour(design);
  const band = (y: number, height: number): LayoutElement => ({
    type: 'rect',
    x: 0,
    y,
    width: size.width,
    height,
    fill: accent,
    strokeWidth: 0,
    radius: 0,
  });
  // A photo background fills the story by itself, and bands would hide it.
  const banded = story && accent && !('image' in design.background);
  const bands = banded ? [band(0, frame.top), band(frame.bottom, size.height - frame.bottom)] : [];
  return { page: { ...size }, background: design.background, elements: [...bands, ...placedElements] };
}

/** The design a variant renders: the certificate itself, the organiser's own design for it, or the adapted certificate. */
export function designFor(layout: Layout, variant: ImageVariant): Design {
  const { size } = variants[variant];
  if (variant === 'certificate' || !size) return layout;
  return layout[variant] ?? adaptDesign(layout, size);
}
