import { env } from 'cloudflare:workers';
import sansRegular from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff';

// Damaged uploads, made from real files the way a broken export or a bad copy leaves them: the
// header still says what the file is, the data after it is cut short or overwritten.

const inflate = async (bytes: Uint8Array) =>
  new Uint8Array(
    await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer(),
  );

/** A real TrueType font: the bundled Noto Sans (latin) WOFF with its tables inflated into a TTF. */
export async function realTtf(): Promise<Uint8Array<ArrayBuffer>> {
  const woff = new DataView(sansRegular);
  const count = woff.getUint16(12);
  const tables = [];
  for (let i = 0; i < count; i++) {
    const at = 44 + i * 20;
    const [tag, offset, stored, length, checksum] = [0, 4, 8, 12, 16].map((o) => woff.getUint32(at + o)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const raw = new Uint8Array(sansRegular, offset, stored);
    tables.push({ tag, checksum, data: stored < length ? await inflate(raw) : raw });
  }
  let size = 12 + 16 * count;
  const offsets = tables.map((t) => {
    const at = size;
    size += (t.data.length + 3) & ~3;
    return at;
  });
  const ttf = new Uint8Array(size);
  const view = new DataView(ttf.buffer);
  view.setUint32(0, 0x00010000);
  view.setUint16(4, count);
  tables.forEach((t, i) => {
    const at = 12 + 16 * i;
    view.setUint32(at, t.tag);
    view.setUint32(at + 4, t.checksum);
    view.setUint32(at + 8, offsets[i]!);
    view.setUint32(at + 12, t.data.length);
    ttf.set(t.data, offsets[i]!);
  });
  return ttf;
}

function table(font: Uint8Array, tag: string): { offset: number; length: number } {
  const view = new DataView(font.buffer, font.byteOffset);
  for (let i = 0; i < view.getUint16(4); i++) {
    const at = 12 + 16 * i;
    if (String.fromCharCode(...font.subarray(at, at + 4)) === tag)
      return { offset: view.getUint32(at + 8), length: view.getUint32(at + 12) };
  }
  throw new Error(`no ${tag} table`);
}

/** The TTF with its glyph outlines (glyf) overwritten after the first glyph: every table still parses. */
export async function ttfWithBrokenGlyphs(): Promise<Uint8Array<ArrayBuffer>> {
  const ttf = await realTtf();
  const glyf = table(ttf, 'glyf');
  ttf.fill(0xff, glyf.offset + 100, glyf.offset + glyf.length);
  return ttf;
}

/** A JPEG of `width` px made from the sample photo (sharp, through the Images binding). */
export async function realJpeg(width = 900): Promise<Uint8Array<ArrayBuffer>> {
  const output = await env.IMAGES.input(new Blob([env.SAMPLE_PHOTO_JPEG]).stream())
    .transform({ width })
    .output({ format: 'image/jpeg', quality: 85 });
  return new Uint8Array(await output.response().arrayBuffer());
}

/** Cut off halfway through its scan data: the header (and so the size) still reads. */
export const truncated = (bytes: Uint8Array) => bytes.slice(0, Math.floor(bytes.length / 2));

/** 2 KB of the middle of a JPEG's scan data overwritten with noise. */
export function jpegWithNoise(jpeg: Uint8Array): Uint8Array<ArrayBuffer> {
  const damaged = jpeg.slice();
  const from = Math.floor(jpeg.length / 3);
  for (let i = from; i < from + 2048; i++) damaged[i] = (i * 37) & 0xff;
  return damaged;
}

/** A PNG whose compressed pixels (IDAT) are overwritten in the middle; its chunks still line up. */
export function pngWithBrokenPixels(png: Uint8Array): Uint8Array<ArrayBuffer> {
  const damaged = png.slice();
  const view = new DataView(damaged.buffer);
  let at = 8;
  while (String.fromCharCode(...damaged.subarray(at + 4, at + 8)) !== 'IDAT') at += 12 + view.getUint32(at);
  const length = view.getUint32(at);
  damaged.fill(0x5a, at + 8 + Math.floor(length / 3), at + 8 + Math.floor((2 * length) / 3));
  return damaged;
}

/** The same file made distinct (a few bytes after its end), so no earlier test's cached copy is reused. */
export function distinct(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length + 16);
  out.set(bytes);
  crypto.getRandomValues(out.subarray(bytes.length));
  return out;
}

/** The id the asset store gives these bytes (see src/assets/store.ts). */
export async function assetHashOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
