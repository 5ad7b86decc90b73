import { noAssets, recordPhoto, type DesignAssets, type DesignImage } from './design-assets';
import { conditionHolds, fillPlaceholders, type CertificateFields } from './fields';
import type { Design, ImageElement, LayoutElement, RectElement, TextElement } from './layout';
import { limitMarks } from './text/marks';
import type { TextToSet } from './text/faces';
import type { TextBox } from './text/typeset';

/** The element shape Satori takes, written without JSX so the renderer owns no JSX runtime. */
export interface SatoriNode {
  type: string;
  props: {
    style?: Record<string, unknown>;
    children?: SatoriNode[] | string;
    src?: string;
    width?: number;
    height?: number;
  };
}

// Satori chokes on style keys whose value is undefined, so they are left out.
const node = (style: Record<string, unknown>, children?: SatoriNode[] | string): SatoriNode => ({
  type: 'div',
  props: { style: Object.fromEntries(Object.entries(style).filter(([, v]) => v !== undefined)), children },
});

function backgroundStyle(background: Design['background']): Record<string, unknown> {
  // An image background is drawn underneath by backdrop.ts; the page itself stays transparent.
  if ('image' in background) return {};
  if ('gradient' in background) {
    const { from, to, angle } = background.gradient;
    return { backgroundImage: `linear-gradient(${angle}deg, ${from}, ${to})` };
  }
  return { backgroundColor: background.colour };
}

type Box = { left: number; top: number; width: number; height: number };

/**
 * An image placed in its box. Contained, it is sized here rather than with CSS object-fit, so
 * nothing needs cropping; only a cover image is cropped by Satori's clip path, which costs more.
 */
function imageNode(image: DesignImage, box: Box, fit: ImageElement['fit']): SatoriNode {
  if (fit === 'cover') {
    return {
      type: 'img',
      props: {
        src: image.uri,
        width: box.width,
        height: box.height,
        style: { position: 'absolute', ...box, objectFit: 'cover' },
      },
    };
  }
  const scale = Math.min(box.width / image.width, box.height / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  const placed = { left: box.left + (box.width - width) / 2, top: box.top + (box.height - height) / 2, width, height };
  return { type: 'img', props: { src: image.uri, width, height, style: { position: 'absolute', ...placed } } };
}

// Controls and invisible formatting characters (bidi overrides among them) draw nothing right or
// can make a name show other than it reads. The joiners stay (scripts and emoji sequences need
// them), and so do the tag characters of a subdivision flag (🏴 England).
const flagTags = String.raw`\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}`;
const invisible = new RegExp(`(${flagTags})|(?![\u200C\u200D])[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}]`, 'gu');

// "{date} · {location}" with no location must not end in a dangling separator. A loop, not a
// regex: one anchored at the end retries from every space and took seconds over a long text.
const isEdge = (c: string) => c === '·' || /\s/.test(c);
function trimSeparators(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isEdge(text[start]!)) start++;
  while (end > start && isEdge(text[end - 1]!)) end--;
  return text.slice(start, end);
}

type Position = { left: number; top: number; width: number; height: number };

/**
 * A rectangle as plain filled boxes. Satori draws a CSS border through a clip path, which costs
 * resvg a full-page mask (hundreds of ms at A4); four thin boxes look the same and cost nothing.
 * Only a rounded outline still needs the border.
 */
function rectNodes(rect: RectElement, position: Position & Record<string, unknown>): SatoriNode[] {
  const nodes: SatoriNode[] = [];
  if (rect.fill) nodes.push(node({ ...position, backgroundColor: rect.fill, borderRadius: rect.radius }));
  if (!rect.stroke || rect.strokeWidth === 0) return nodes;
  const { left, top, width, height } = position;
  const w = Math.min(rect.strokeWidth, width / 2, height / 2);
  if (rect.radius > 0) {
    nodes.push(node({ ...position, border: `${w}px solid ${rect.stroke}`, borderRadius: rect.radius }));
    return nodes;
  }
  const edge = (l: number, t: number, ew: number, eh: number) =>
    node({
      position: 'absolute',
      display: 'flex',
      left: l,
      top: t,
      width: ew,
      height: eh,
      backgroundColor: rect.stroke,
    });
  nodes.push(
    edge(left, top, width, w),
    edge(left, top + height - w, width, w),
    edge(left, top + w, w, height - 2 * w),
    edge(left + width - w, top + w, w, height - 2 * w),
  );
  return nodes;
}

/** What a text element draws for this record: placeholders filled and cleaned; empty for nothing. */
function drawnText(element: TextElement, fields: CertificateFields): string {
  let text = trimSeparators(
    limitMarks(fillPlaceholders(element.text, fields).replace(invisible, (_, flag?: string) => flag ?? '')),
  );
  if (element.uppercase) text = text.toLocaleUpperCase();
  return text;
}

/** A text the certificate draws for a record: what to set, and where (the element's index in the design). */
export interface CertificateText extends Omit<TextToSet, 'uploaded'> {
  element: number;
  box: TextBox;
  /** The uploaded font the element names, by its asset hash. */
  asset?: string;
}

/** Every text the certificate draws for this record, with its font and box. */
export function certificateTexts(design: Design, fields: CertificateFields): CertificateText[] {
  const language = typeof fields.language === 'string' && fields.language ? fields.language : null;
  return design.elements.flatMap((e, element) => {
    if (e.type !== 'text' || !conditionHolds(e.when, fields)) return [];
    const text = drawnText(e, fields);
    if (!text) return [];
    const { font } = e;
    const box: TextBox = {
      x: e.x,
      y: e.y,
      width: e.width,
      height: e.height,
      maxSize: font.size,
      lineHeight: font.lineHeight,
      letterSpacing: font.letterSpacing,
      maxLines: e.maxLines,
      align: e.align,
      colour: font.colour,
    };
    return [{ element, text, family: font.family, weight: font.weight, language, box, asset: font.asset }];
  });
}

/** What a render has loaded before layout: uploaded images. */
export interface Loaded {
  assets?: DesignAssets;
}

// A text is set apart from Satori (text/typeset.ts) and takes the place of a marker Satori draws
// where the text goes in paint order: a 1 px square of a colour no design can name (designs
// name hex colours only), its blue the element's index.
const markerColour = (element: number) => `rgba(0,0,${element},0.01)`;
const marker = /<rect x="[^"]*" y="[^"]*" width="1" height="1" fill="rgba\(0,0,(\d+),0\.01\)"\/>/g;
const isMarker = /^rgba\(0,0,(\d+),0\.01\)$/;
// Style keys that only place a box, drawing nothing of their own.
const onlyPlaces = (style: object) => Object.keys(style).every((k) => k === 'display' || k === 'position');

/** Puts each set text (SVG by element index) where Satori drew its marker. */
export const drawTextsInto = (svg: string, texts: ReadonlyMap<number, string>): string =>
  svg.replace(marker, (_, element: string) => texts.get(Number(element)) ?? '');

function elementNodes(
  element: LayoutElement,
  index: number,
  fields: CertificateFields,
  { assets = noAssets }: Loaded,
): SatoriNode[] {
  if (!conditionHolds(element.when, fields)) return [];
  const position = {
    position: 'absolute',
    left: element.x,
    top: element.y,
    width: element.width,
    height: element.height,
    display: 'flex',
  };
  if (element.type === 'rect') return rectNodes(element, position);
  // QR codes are not laid out by Satori; see qr.ts.
  if (element.type === 'qr') return [];
  if (element.type === 'image') {
    const image = assets.images.get(element.asset);
    return image ? [imageNode(image, position, element.fit)] : [];
  }
  if (element.type === 'photo') {
    // A photo lost or damaged since its upload is left out like any asset: the fallback shows instead.
    const photo = recordPhoto(fields);
    const image =
      (photo && assets.images.get(photo)) || (element.fallback ? assets.images.get(element.fallback) : undefined);
    return image ? [imageNode(image, position, element.fit)] : [];
  }
  // Where the text goes in paint order; see drawTextsInto.
  return [
    node({
      position: 'absolute',
      left: element.x,
      top: element.y,
      width: 1,
      height: 1,
      backgroundColor: markerColour(index),
    }),
  ];
}

/**
 * The SVG Satori would make of an element tree it has nothing to lay out in: a page of one colour
 * with square-cornered boxes and text markers, every edge on a whole pixel. Written directly, it is
 * Satori's drawing less its unused masks, without Satori's pass (3–9 ms a render); undefined for
 * anything else (images, gradients, rounded corners, fractional edges), which Satori lays out.
 * Texts go where their markers are, as drawTextsInto puts them.
 */
export function plainSvg(root: SatoriNode, texts: ReadonlyMap<number, string>): string | undefined {
  const { width, height, backgroundColor, ...rest } = root.props.style ?? {};
  if (!onlyPlaces(rest)) return undefined;
  if (typeof backgroundColor !== 'string' || !Number.isInteger(width) || !Number.isInteger(height)) return undefined;
  let svg = `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">`;
  svg += `<rect x="0" y="0" width="${width}" height="${height}" fill="${backgroundColor}"/>`;
  for (const child of Array.isArray(root.props.children) ? root.props.children : []) {
    const {
      left,
      top,
      width: w,
      height: h,
      backgroundColor: fill,
      borderRadius = 0,
      ...others
    } = child.props.style ?? {};
    const box = [left, top, w, h];
    if (child.type !== 'div' || child.props.children !== undefined || borderRadius !== 0) return undefined;
    if (!onlyPlaces(others)) return undefined;
    if (typeof fill !== 'string' || !box.every(Number.isInteger) || !(Number(w) > 0 && Number(h) > 0)) return undefined;
    const marker = isMarker.exec(fill);
    svg += marker
      ? (texts.get(Number(marker[1])) ?? '')
      : `<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="${fill}"/>`;
  }
  return `${svg}</svg>`;
}

/** Turns a design and one record's fields into the element tree Satori lays out. */
export function certificateNode(design: Design, fields: CertificateFields, loaded: Loaded = {}): SatoriNode {
  const children = design.elements.flatMap((e, i) => elementNodes(e, i, fields, loaded));
  return node(
    {
      display: 'flex',
      position: 'relative',
      width: design.page.width,
      height: design.page.height,
      ...backgroundStyle(design.background),
    },
    children,
  );
}
