// PNG container around the platform's native zlib (node:zlib, with the nodejs_compat flag).
// resvg-wasm's own encoder deflates in WASM and was the slowest step of a certificate render;
// CompressionStream, used before, offers only zlib's default level.
import { constants, deflateRawSync, deflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG's scanlines: each row of 8-bit RGBA pixels after its filter byte (0, none). */
export function pngRows(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width * 4;
  const rows = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) rows.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return rows;
}

/**
 * A run of scanlines deflated on its own, ending on a byte boundary (a sync flush) with no final
 * block, so runs deflated apart (some kept from earlier renders) join into one zlib stream.
 */
export interface DeflatedRows {
  deflated: Uint8Array;
  /** Adler-32 of the scanlines, which the zlib stream ends with. */
  adler: number;
  length: number;
}

const ADLER_BASE = 65521;

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  let i = 0;
  while (i < bytes.length) {
    // 5552 bytes is the most that can be summed before the sums must be reduced; 16 at a time is
    // twice as fast in V8 as a plain loop (a band of a certificate is megabytes).
    const end = Math.min(i + 5552, bytes.length);
    const end16 = i + ((end - i) & ~15);
    while (i < end16) {
      // biome-ignore format: unrolled by hand, as V8 does not.
      a += bytes[i]!;
      b += a;
      a += bytes[i + 1]!;
      b += a;
      a += bytes[i + 2]!;
      b += a;
      a += bytes[i + 3]!;
      b += a;
      // biome-ignore format: unrolled by hand.
      a += bytes[i + 4]!;
      b += a;
      a += bytes[i + 5]!;
      b += a;
      a += bytes[i + 6]!;
      b += a;
      a += bytes[i + 7]!;
      b += a;
      // biome-ignore format: unrolled by hand.
      a += bytes[i + 8]!;
      b += a;
      a += bytes[i + 9]!;
      b += a;
      a += bytes[i + 10]!;
      b += a;
      a += bytes[i + 11]!;
      b += a;
      // biome-ignore format: unrolled by hand.
      a += bytes[i + 12]!;
      b += a;
      a += bytes[i + 13]!;
      b += a;
      a += bytes[i + 14]!;
      b += a;
      a += bytes[i + 15]!;
      b += a;
      i += 16;
    }
    while (i < end) {
      a += bytes[i++]!;
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** Adler-32 of two runs one after the other, from each one's (zlib's adler32_combine). */
function adler32Combine(first: number, second: number, secondLength: number): number {
  const rem = secondLength % ADLER_BASE;
  let a = first & 0xffff;
  let b = (rem * a) % ADLER_BASE;
  a += (second & 0xffff) + ADLER_BASE - 1;
  b += (first >>> 16) + (second >>> 16) + ADLER_BASE - rem;
  a %= ADLER_BASE;
  b %= ADLER_BASE;
  return ((b << 16) | a) >>> 0;
}

/** Deflates scanlines as one run of a longer stream (see DeflatedRows). */
export function deflateRows(rows: Uint8Array, level: number): DeflatedRows {
  return {
    deflated: deflateRawSync(rows, { level, finishFlush: constants.Z_SYNC_FLUSH }),
    adler: adler32(rows),
    length: rows.length,
  };
}

// A zlib header (deflate, 32 KB window) and the empty final block that closes a run of sync-flushed blocks.
const ZLIB_HEADER = [0x78, 0x9c];
const FINAL_EMPTY_BLOCK = [0x03, 0x00];

/** A PNG of runs of scanlines, top to bottom, each deflated apart (see deflateRows). */
export function encodePngRuns(runs: DeflatedRows[], width: number, height: number): Uint8Array<ArrayBuffer> {
  const size = runs.reduce((n, r) => n + r.deflated.length, 0);
  const idat = new Uint8Array(ZLIB_HEADER.length + size + FINAL_EMPTY_BLOCK.length + 4);
  idat.set(ZLIB_HEADER);
  let at = ZLIB_HEADER.length;
  let adler = 1;
  for (const run of runs) {
    idat.set(run.deflated, at);
    at += run.deflated.length;
    adler = adler32Combine(adler, run.adler, run.length);
  }
  idat.set(FINAL_EMPTY_BLOCK, at);
  new DataView(idat.buffer).setUint32(at + FINAL_EMPTY_BLOCK.length, adler);
  return container(idat, width, height);
}

function container(idat: Uint8Array, width: number, height: number): Uint8Array<ArrayBuffer> {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit depth, RGBA, deflate, adaptive filtering, no interlace

  const parts = [
    new Uint8Array(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array()),
  ];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}

/**
 * Encodes 8-bit RGBA pixels (as resvg renders them) as a PNG, every row unfiltered (filters only
 * add JS time for flat artwork). zlib's default level 6 makes the bytes CompressionStream made;
 * level 3 deflates 3–4 times faster, for up to twice the bytes.
 */
export const encodePng = (rgba: Uint8Array, width: number, height: number, level = 6): Uint8Array<ArrayBuffer> =>
  container(deflateSync(pngRows(rgba, width, height), { level }), width, height);
