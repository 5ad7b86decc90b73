import { noAssets, uploadedFontName, type DesignAssets, type DesignImage } from './design-assets';
import { shapeText, visualOrder } from './bidi';
import { conditionHolds, fillPlaceholders, type CertificateFields } from './fields';
import { fitText } from './fit';
import { fontFamilyChain, type ScriptFace } from './fonts';
import type { Design, FontFamily, FontWeight, ImageElement, LayoutElement, RectElement, TextElement } from './layout';

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

// Controls and invisible formatting characters must not reach Satori: they render as boxes. Only
// the zero-width joiners inside an emoji sequence are kept, as they make one picture of it (🏃‍♀️).
const emojiSequence = String.raw`\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F]*(?:\u200D\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F]*)+`;
const invisible = new RegExp(`(${emojiSequence})|[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}]`, 'gu');

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

/** What a text element draws for this record: placeholders filled, cleaned and shaped; empty for nothing. */
function drawnText(element: TextElement, fields: CertificateFields): string {
  let text = trimSeparators(
    fillPlaceholders(element.text, fields).replace(invisible, (_, emoji?: string) => emoji ?? ''),
  );
  if (element.uppercase) text = text.toLocaleUpperCase();
  // Shaped before fitting, so what gets measured is what gets drawn.
  return text && shapeText(text);
}

/** A text the certificate draws for a record, with its font. */
export interface DrawnText {
  text: string;
  family: FontFamily;
  weight: FontWeight;
}

/** Every text the certificate draws for this record: what script-fonts.ts finds faces for. */
export function certificateTexts(design: Design, fields: CertificateFields): DrawnText[] {
  return design.elements.flatMap((e) => {
    if (e.type !== 'text' || !conditionHolds(e.when, fields)) return [];
    const text = drawnText(e, fields);
    return text ? [{ text, family: e.font.family, weight: e.font.weight }] : [];
  });
}

/** What a render has loaded before layout: uploaded images and fonts, and fetched CJK faces. */
export interface Loaded {
  assets?: DesignAssets;
  scriptFaces?: readonly ScriptFace[];
}

function elementNodes(
  element: LayoutElement,
  fields: CertificateFields,
  { assets = noAssets, scriptFaces = [] }: Loaded,
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
  const text = drawnText(element, fields);
  if (!text) return [];
  const { font } = element;
  const uploaded = font.asset ? assets.fonts.get(font.asset) : undefined;
  const fitted = fitText({
    text,
    family: font.family,
    weight: font.weight,
    maxSize: font.size,
    letterSpacing: font.letterSpacing,
    lineHeight: font.lineHeight,
    width: element.width,
    height: element.height,
    maxLines: element.maxLines,
    uploaded: uploaded && [uploaded.parsed],
    scriptFaces,
  });
  const justify = { left: 'flex-start', center: 'center', right: 'flex-end' }[element.align];
  const textNode = node(
    {
      ...position,
      flexDirection: 'column',
      justifyContent: 'center',
      alignItems: justify,
      fontFamily: [...(uploaded ? [uploadedFontName(font.asset!)] : []), ...fontFamilyChain(font.family)].join(', '),
      fontWeight: font.weight,
      fontSize: fitted.fontSize,
      lineHeight: font.lineHeight,
      letterSpacing: font.letterSpacing,
      color: font.colour,
    },
    fitted.lines.map((line) => node({ display: 'flex', whiteSpace: 'pre' }, visualOrder(line))),
  );
  return [textNode];
}

/** Turns a design and one record's fields into the element tree Satori lays out. */
export function certificateNode(design: Design, fields: CertificateFields, loaded: Loaded = {}): SatoriNode {
  const children = design.elements.flatMap((e) => elementNodes(e, fields, loaded));
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
