// PNG container around the platform's native zlib (node:zlib, with the nodejs_compat flag).
// resvg-wasm's own encoder deflates in WASM and was the slowest step of a certificate render;
// CompressionStream, used before, offers only zlib's default level.
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

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

/**
 * Adler-32 by the platform's zlib: a stored (level 0) zlib stream copies the bytes and ends with
 * their sum. Summed in JS, the megabytes of a band took most of a fresh isolate's first fast
 * render (85 of 200 ms), as the loop ran cold.
 */
function adler32(bytes: Uint8Array): number {
  const stored = deflateSync(bytes, { level: 0 });
  return new DataView(stored.buffer, stored.byteOffset).getUint32(stored.length - 4);
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
