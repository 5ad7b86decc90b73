import { Resvg } from '@resvg/resvg-wasm';
import { parse, type Font as ParsedFont } from '@shuding/opentype.js';
import { sfntFromWoff } from './text/sfnt';
import { MAX_IMAGE_SIDE, sniffAsset, type SniffedAsset } from '../assets/sniff';
import { assetKey, undrawableAssetKey } from '../assets/keys';
import { photoField, type Design, type Layout } from './layout';
import type { CertificateFields } from './fields';
import { dataUri } from './data-uri';
import { RecentCache } from './recent';

export interface DesignImage {
  uri: string;
  width: number;
  height: number;
}

/** A design's uploaded images as data URIs (Satori embeds them in the SVG) and its uploaded fonts. */
export interface DesignAssets {
  images: Map<string, DesignImage>;
  /** Uploaded fonts as sfnt (a WOFF upload unwrapped), which the shaper reads. */
  fonts: Map<string, { sfnt: ArrayBuffer }>;
}

export const noAssets: DesignAssets = { images: new Map(), fonts: new Map() };

export function assetHashes(design: Design): { images: string[]; fonts: string[] } {
  const images = new Set<string>();
  const fonts = new Set<string>();
  if ('image' in design.background) images.add(design.background.image.asset);
  for (const element of design.elements) {
    if (element.type === 'image') images.add(element.asset);
    if (element.type === 'photo' && element.fallback) images.add(element.fallback);
    if (element.type === 'text' && element.font.asset) fonts.add(element.font.asset);
  }
  return { images: [...images], fonts: [...fonts] };
}

/** Whether a template draws participants' photos: only then do their photos shape its certificates. */
export const drawsPhotos = (layout: Layout): boolean =>
  [layout, layout.share, layout.square, layout.story].some((d) => d?.elements.some((e) => e.type === 'photo'));

/** The record's photo, by its upload's hash; an imported column that happens to be called "photo" is no hash. */
export function recordPhoto(fields: CertificateFields): string | undefined {
  const hash = fields[photoField];
  return typeof hash === 'string' && /^[0-9a-f]{32}$/.test(hash) ? hash : undefined;
}

/** Every asset a template draws, in the certificate and in the formats with designs of their own. */
export function layoutAssetHashes(layout: Layout): string[] {
  const designs = [layout, layout.share, layout.square, layout.story].filter((d): d is Design => d !== undefined);
  return [...new Set(designs.flatMap((d) => Object.values(assetHashes(d)).flat()))];
}

type SniffedImage = Extract<SniffedAsset, { kind: 'image' }>;

const channels: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
// Interlaced (Adam7): seven passes, each a smaller image of its own rows: [x0, y0, dx, dy].
const adam7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Whether a PNG's image data inflates (zlib checks its own checksum) to exactly the rows its header promises. */
async function pngDataWhole(bytes: Uint8Array): Promise<boolean> {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const [width, height] = [view.getUint32(16), view.getUint32(20)];
    const bitsPerPixel = bytes[24]! * (channels[bytes[25]!] ?? Number.NaN);
    let expected = 0;
    for (const [x0, y0, dx, dy] of bytes[28] === 1 ? adam7 : [[0, 0, 1, 1] as const]) {
      const [w, h] = [Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)];
      if (w > 0 && h > 0) expected += h * (1 + Math.ceil((w * bitsPerPixel) / 8));
    }
    const data: Uint8Array[] = [];
    for (let at = 8; at + 12 <= bytes.length; ) {
      const length = view.getUint32(at);
      const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      if (at + 12 + length > bytes.length) return false;
      if (type === 'IDAT') data.push(bytes.subarray(at + 8, at + 8 + length));
      if (type === 'IEND') break;
      at += 12 + length;
    }
    const rows = new Blob(data).stream().pipeThrough(new DecompressionStream('deflate'));
    return (await new Response(rows).arrayBuffer()).byteLength === expected;
  } catch {
    return false;
  }
}

/**
 * Whether resvg, which draws the certificate, can decode every pixel of the image: it leaves out an
 * image it cannot decode without a word, so the image is drawn alone (at most 1024 px wide) and
 * looked at. A JPEG has no transparency; a PNG that drew nothing may be clear where it was sampled,
 * so its data is checked itself. Needs resvg's WASM ready (pipeline.ts).
 */
async function imageDecodes(uri: string, bytes: Uint8Array, { width, height, contentType }: SniffedImage) {
  // A header damaged into a huge size is not handed to a decoder: it would take all the memory.
  if (width === 0 || height === 0 || Math.max(width, height) > MAX_IMAGE_SIDE) return false;
  let drawn = false;
  try {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="${uri}"/></svg>`;
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: Math.min(width, 1024) },
      font: { loadSystemFonts: false },
    });
    try {
      const image = resvg.render();
      const pixels = image.pixels;
      image.free();
      for (let alpha = 3; alpha < pixels.length && !drawn; alpha += 4) drawn = pixels[alpha]! > 0;
    } finally {
      resvg.free();
    }
  } catch {
    return false;
  }
  return drawn || (contentType === 'image/png' && (await pngDataWhole(bytes)));
}

/** What of opentype.js the check below uses, beyond src/types.d.ts. */
interface WholeFont extends ParsedFont {
  numGlyphs: number;
  glyphs: { get(index: number): { getPath(x: number, y: number, size: number): unknown } };
  tables: { cmap?: { glyphIndexMap: Record<string, number> } };
  getAdvanceWidth(text: string, size: number, options: { kerning: boolean }): number;
}

/**
 * Whether a font can draw everything it maps. opentype.js reads a glyph's outline only when it is
 * drawn, so a damaged glyf or CFF table passes parse() and throws mid-render: every outline is
 * read here, and every mapped character laid out as Satori does (substitutions, kerning). In a
 * parse of its own, dropped afterwards: keeping every outline of a large font would cost memory.
 */
export function fontDrawsEveryGlyph(data: ArrayBuffer): boolean {
  try {
    const font = parse(data) as WholeFont;
    if (!font.supported) return false;
    for (let i = 0; i < font.numGlyphs; i++) font.glyphs.get(i).getPath(0, 0, 16);
    const mapped = Object.entries(font.tables.cmap?.glyphIndexMap ?? {});
    if (mapped.some(([, index]) => !(index < font.numGlyphs))) return false;
    const chars = mapped.map(([code]) => String.fromCodePoint(Number(code)));
    for (let i = 0; i < chars.length; i += 256)
      font.getAdvanceWidth(chars.slice(i, i + 256).join(''), 16, { kerning: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the renderer can draw a file all the way through: asked before an upload is stored, and
 * of each asset a render loads. Needs resvg's WASM ready (pipeline.ts's drawsUpload sees to it).
 */
export async function drawable(bytes: Uint8Array, sniffed: SniffedAsset): Promise<boolean> {
  const buffer = bytes.slice().buffer;
  if (sniffed.kind === 'font') return fontDrawsEveryGlyph(buffer);
  return imageDecodes(dataUri(sniffed.contentType, buffer), bytes, sniffed);
}

/**
 * Assets are content-addressed, so one isolate can keep them across requests: a publish run
 * renders the same background for every record.
 */
const images = new RecentCache<DesignImage>(24 * 1024 * 1024);
const fonts = new RecentCache<ArrayBuffer>(8 * 1024 * 1024);

/**
 * Assets found lost or damaged, and when: a publish run does not fetch and check one again for
 * every record, yet a file uploaded again is drawn within a minute.
 */
const undrawable = new Map<string, number>();
const RECHECK_AFTER_MS = 60_000;
const knownUndrawable = (hash: string) =>
  Date.now() - (undrawable.get(hash) ?? Number.NEGATIVE_INFINITY) < RECHECK_AFTER_MS;

/** The certificate is drawn without the asset; the note in R2 is what the admin warns with. */
async function leaveOut(files: R2Bucket, hash: string, why: string) {
  console.error(`asset ${why}, drawn without it`, hash);
  undrawable.set(hash, Date.now());
  await files.put(undrawableAssetKey(hash), why).catch((e: unknown) => console.error('noting an undrawable asset', e));
}

/** The asset's bytes and what they really are, or undefined when the file is lost. */
async function fetchAsset(files: R2Bucket, hash: string) {
  const object = await files.get(assetKey(hash));
  if (!object) return undefined;
  const bytes = new Uint8Array(await object.arrayBuffer());
  return { bytes, sniffed: sniffAsset(bytes) };
}

/**
 * Loads what a design draws from R2 (or this isolate's cache), before the synchronous layout runs.
 * An asset that is lost, or damaged after its upload, is left out (a background falls back to its
 * colour, a text to its family) rather than failing every certificate. Needs resvg's WASM ready.
 */
export async function loadDesignAssets(
  design: Design,
  files: R2Bucket,
  fields: CertificateFields = {},
): Promise<DesignAssets> {
  const wanted = assetHashes(design);
  const photo = design.elements.some((e) => e.type === 'photo') ? recordPhoto(fields) : undefined;
  if (photo && !wanted.images.includes(photo)) wanted.images.push(photo);
  if (wanted.images.length === 0 && wanted.fonts.length === 0) return noAssets;
  const loaded: DesignAssets = { images: new Map(), fonts: new Map() };
  await Promise.all([
    ...wanted.images.map(async (hash) => {
      let image = images.get(hash);
      if (!image) {
        if (knownUndrawable(hash)) return;
        const file = await fetchAsset(files, hash);
        if (!file) return leaveOut(files, hash, 'missing from R2');
        const { bytes, sniffed } = file;
        if (!('width' in sniffed)) return leaveOut(files, hash, 'not an image');
        const uri = dataUri(sniffed.contentType, bytes.buffer);
        if (!(await imageDecodes(uri, bytes, sniffed))) return leaveOut(files, hash, 'damaged');
        image = images.set(hash, { uri, width: sniffed.width, height: sniffed.height }, uri.length);
      }
      loaded.images.set(hash, image);
    }),
    ...wanted.fonts.map(async (hash) => {
      let data = fonts.get(hash);
      if (!data) {
        if (knownUndrawable(hash)) return;
        const file = await fetchAsset(files, hash);
        if (!file) return leaveOut(files, hash, 'missing from R2');
        if (!fontDrawsEveryGlyph(file.bytes.buffer)) return leaveOut(files, hash, 'damaged');
        const sfnt = await sfntFromWoff(file.bytes.buffer);
        data = fonts.set(hash, sfnt, sfnt.byteLength);
      }
      loaded.fonts.set(hash, { sfnt: data });
    }),
  ]);
  return loaded;
}
