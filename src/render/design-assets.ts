import { parse, type Font as ParsedFont } from '@shuding/opentype.js';
import { sniffAsset } from '../assets/sniff';
import { assetKey } from '../assets/keys';
import type { Design, Layout } from './layout';
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
  fonts: Map<string, { data: ArrayBuffer; parsed: ParsedFont }>;
}

export const noAssets: DesignAssets = { images: new Map(), fonts: new Map() };

/** The name an uploaded font is registered under with Satori. */
export const uploadedFontName = (hash: string) => `Uploaded ${hash}`;

export function assetHashes(design: Design): { images: string[]; fonts: string[] } {
  const images = new Set<string>();
  const fonts = new Set<string>();
  if ('image' in design.background) images.add(design.background.image.asset);
  for (const element of design.elements) {
    if (element.type === 'image') images.add(element.asset);
    if (element.type === 'text' && element.font.asset) fonts.add(element.font.asset);
  }
  return { images: [...images], fonts: [...fonts] };
}

/** Every asset a template draws, in the certificate and in the formats with designs of their own. */
export function layoutAssetHashes(layout: Layout): string[] {
  const designs = [layout, layout.share, layout.square, layout.story].filter((d): d is Design => d !== undefined);
  return [...new Set(designs.flatMap((d) => Object.values(assetHashes(d)).flat()))];
}

/**
 * Assets are content-addressed, so one isolate can keep them across requests: a publish run
 * renders the same background for every record.
 */
const images = new RecentCache<DesignImage>(24 * 1024 * 1024);
const fonts = new RecentCache<ArrayBuffer>(8 * 1024 * 1024);

async function fetchAsset(
  files: R2Bucket,
  hash: string,
): Promise<{ bytes: ArrayBuffer; contentType: string } | undefined> {
  const object = await files.get(assetKey(hash));
  if (!object) {
    // Assets in use cannot be deleted, so this is a lost file: draw the rest rather than nothing.
    console.error('asset missing from R2', hash);
    return undefined;
  }
  return {
    bytes: await object.arrayBuffer(),
    contentType: object.httpMetadata?.contentType ?? 'application/octet-stream',
  };
}

const parsedFonts = new WeakMap<ArrayBuffer, ParsedFont>();

/** Loads what a design draws from R2 (or this isolate's cache), before the synchronous layout runs. */
export async function loadDesignAssets(design: Design, files: R2Bucket): Promise<DesignAssets> {
  const wanted = assetHashes(design);
  if (wanted.images.length === 0 && wanted.fonts.length === 0) return noAssets;
  const loaded: DesignAssets = { images: new Map(), fonts: new Map() };
  await Promise.all([
    ...wanted.images.map(async (hash) => {
      let image = images.get(hash);
      if (!image) {
        const file = await fetchAsset(files, hash);
        const sniffed = file && sniffAsset(new Uint8Array(file.bytes));
        if (!sniffed || !('width' in sniffed)) return;
        const uri = dataUri(file.contentType, file.bytes);
        image = images.set(hash, { uri, width: sniffed.width, height: sniffed.height }, uri.length);
      }
      loaded.images.set(hash, image);
    }),
    ...wanted.fonts.map(async (hash) => {
      let data = fonts.get(hash);
      if (!data) {
        data = (await fetchAsset(files, hash))?.bytes;
        if (!data) return;
        fonts.set(hash, data, data.byteLength);
      }
      let parsed = parsedFonts.get(data);
      if (!parsed) {
        parsed = parse(data);
        parsedFonts.set(data, parsed);
      }
      loaded.fonts.set(hash, { data, parsed });
    }),
  ]);
  return loaded;
}
