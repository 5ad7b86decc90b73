/**
 * What an uploaded file really is, from its first bytes rather than its name or the browser's
 * guess, and an image's size from its header, so a huge image is refused before anything decodes it.
 */
/** The largest image an upload may be, a side; anything larger is refused before it is decoded. */
export const MAX_IMAGE_SIDE = 8000;

export type SniffedAsset =
  | { kind: 'image'; contentType: 'image/png' | 'image/jpeg'; extension: 'png' | 'jpg'; width: number; height: number }
  | { kind: 'font'; contentType: 'font/ttf' | 'font/otf' | 'font/woff'; extension: 'ttf' | 'otf' | 'woff' };

export type Sniffed = SniffedAsset | { error: string };

const startsWith = (bytes: Uint8Array, ...signature: number[]) => signature.every((b, i) => bytes[i] === b);
const ascii = (bytes: Uint8Array, text: string, at = 0) =>
  [...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));
const uint16 = (bytes: Uint8Array, at: number) => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
const uint32 = (bytes: Uint8Array, at: number) => uint16(bytes, at) * 0x10000 + uint16(bytes, at + 2);

const refusals: Array<[test: (b: Uint8Array) => boolean, message: string]> = [
  [(b) => ascii(b, 'GIF8'), 'GIF images are not supported. Upload a PNG or JPEG.'],
  [(b) => ascii(b, 'RIFF') && ascii(b, 'WEBP', 8), 'WebP images are not supported. Upload a PNG or JPEG.'],
  [(b) => ascii(b, 'ftyp', 4), 'HEIC and AVIF images are not supported. Upload a PNG or JPEG.'],
  [
    (b) => /^\s*(<\?xml|<svg)/i.test(new TextDecoder().decode(b.subarray(0, 256))),
    'SVG files are not supported. Upload a PNG or JPEG.',
  ],
  [(b) => ascii(b, '%PDF'), 'PDF files are not supported. Upload a PNG or JPEG.'],
  [(b) => ascii(b, 'wOF2'), 'WOFF2 fonts are not supported by the renderer. Upload the font as TTF, OTF or WOFF.'],
];

/** A JPEG's size from its first SOF (start of frame) marker. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // Standalone markers have no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      at += 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: uint16(bytes, at + 5), width: uint16(bytes, at + 7) };
    at += 2 + uint16(bytes, at + 2);
  }
  return undefined;
}

export function sniffAsset(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) {
    if (!ascii(bytes, 'IHDR', 12)) return { error: 'This PNG file is damaged: it has no image header.' };
    return {
      kind: 'image',
      contentType: 'image/png',
      extension: 'png',
      width: uint32(bytes, 16),
      height: uint32(bytes, 20),
    };
  }
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) {
    const size = jpegSize(bytes);
    if (!size) return { error: 'This JPEG file is damaged: its size could not be read.' };
    return { kind: 'image', contentType: 'image/jpeg', extension: 'jpg', ...size };
  }
  if (startsWith(bytes, 0x00, 0x01, 0x00, 0x00) || ascii(bytes, 'true'))
    return { kind: 'font', contentType: 'font/ttf', extension: 'ttf' };
  if (ascii(bytes, 'OTTO')) return { kind: 'font', contentType: 'font/otf', extension: 'otf' };
  if (ascii(bytes, 'wOFF')) return { kind: 'font', contentType: 'font/woff', extension: 'woff' };
  const refusal = refusals.find(([test]) => test(bytes));
  return { error: refusal?.[1] ?? 'This file is not a PNG or JPEG image, nor a TTF, OTF or WOFF font.' };
}
