import { Resvg } from '@resvg/resvg-wasm';
import type { DesignImage } from './design-assets';
import type { Design } from './layout';
import { RecentCache } from './recent';

/**
 * An uploaded background photo is drawn apart from the rest of the certificate. Scaling a photo
 * to the page with a good filter costs resvg about half a second, so it is done once per page size
 * and kept as pixels; each certificate is then rendered on a transparent page and laid over them.
 */
export interface Backdrop {
  /** SVG markup of the background colour and photo, placed under the certificate in SVG output. */
  markup: string;
  key: string;
}

type ImageBackground = Extract<Design['background'], { image: unknown }>;

export function backdropFor(design: Design, image: DesignImage | undefined): Backdrop | undefined {
  if (!('image' in design.background)) return undefined;
  const background: ImageBackground = design.background;
  const { width, height } = design.page;
  let markup = `<rect x="0" y="0" width="${width}" height="${height}" fill="${background.colour}"/>`;
  if (image) {
    const scale = (background.image.fit === 'cover' ? Math.max : Math.min)(width / image.width, height / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    markup += `<image x="${(width - w) / 2}" y="${(height - h) / 2}" width="${w}" height="${h}" preserveAspectRatio="none" href="${image.uri}"/>`;
  }
  return { markup, key: `${background.image.asset}|${background.image.fit}|${background.colour}|${width}x${height}` };
}

/** The certificate's SVG with its backdrop underneath, as one self-contained file. */
export function withBackdrop(svg: string, backdrop: Backdrop): string {
  const start = svg.indexOf('>', svg.indexOf('<svg')) + 1;
  return svg.slice(0, start) + backdrop.markup + svg.slice(start);
}

// Pixels of recent backdrops (an A4 page is 8.7 MB at 150 dpi).
const cache = new RecentCache<Uint8Array>(40 * 1024 * 1024);

function backdropPixels(backdrop: Backdrop, width: number, height: number, pixelWidth: number): Uint8Array {
  const key = `${backdrop.key}@${pixelWidth}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${backdrop.markup}</svg>`;
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: pixelWidth }, font: { loadSystemFonts: false } });
  const image = resvg.render();
  const pixels = image.pixels;
  image.free();
  resvg.free();
  return cache.set(key, pixels, pixels.length);
}

/**
 * Lays the certificate's pixels (rendered on a transparent page) over its backdrop, in place.
 * resvg's pixels are premultiplied by alpha, so "over" is a multiply and an add per channel.
 */
export function layOverBackdrop(
  pixels: Uint8Array,
  backdrop: Backdrop,
  page: { width: number; height: number },
  pixelWidth: number,
) {
  const under = backdropPixels(backdrop, page.width, page.height, pixelWidth);
  // Most of a page is bare: whole pixels are copied where nothing is drawn over the photo.
  const over32 = new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length / 4);
  const under32 = new Uint32Array(under.buffer, under.byteOffset, under.length / 4);
  for (let p = 0; p < over32.length; p++) {
    if (over32[p] === 0) {
      over32[p] = under32[p]!;
      continue;
    }
    const i = p * 4;
    const alpha = pixels[i + 3]!;
    if (alpha === 255) continue;
    const keep = 255 - alpha;
    // Never above 255, and a Uint8Array drops the fraction.
    for (let c = 0; c < 4; c++) pixels[i + c] = pixels[i + c]! + (under[i + c]! * keep + 127) / 255;
  }
}
