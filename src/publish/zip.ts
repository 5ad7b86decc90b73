import { Zip, ZipPassThrough } from 'fflate';

/**
 * A ZIP of up to 2,000 certificates is written by many queue messages, one slice of records each,
 * and no invocation may hold the whole file. Each slice is zipped by fflate as a ZIP of its own;
 * its local entries (header, data, descriptor) go on the end of the file as they are, and its
 * central directory records, moved to where those entries now start, are kept for the last
 * message, which writes them all with the end record. fflate writes every entry; the only bytes
 * written here are the 22 of the end record, and the offsets moved.
 */

/** Where a ZIP stops: local header offsets are 32 bits, and fflate writes no ZIP64. */
export const ZIP_MAX_BYTES = 0xffff_ffff;

export interface ZipSlice {
  /** Local entries, to append to the file. */
  entries: Uint8Array;
  /** Their central directory records, pointing into the whole file. */
  central: Uint8Array;
}

/**
 * Zips files stored, not deflated (PNG and PDF are compressed already), as entries that start
 * `offset` bytes into the ZIP being written.
 */
export function zipSlice(files: { name: string; bytes: Uint8Array }[], offset: number, mtime: Date): ZipSlice {
  const entries: Uint8Array[] = [];
  let directory: Uint8Array | undefined;
  // fflate calls back synchronously for stored files: every chunk is here once end() returns.
  const zip = new Zip((error, chunk, final) => {
    if (error) throw error;
    if (final) directory = chunk;
    else entries.push(chunk);
  });
  for (const { name, bytes } of files) {
    const file = new ZipPassThrough(name);
    file.mtime = mtime;
    zip.add(file);
    file.push(bytes, true);
  }
  zip.end();
  // The slice's own end record goes: the file gets one, for all its entries, at the end.
  const central = directory!.slice(0, directory!.length - 22);
  const view = new DataView(central.buffer);
  for (let at = 0; at < central.length; ) {
    view.setUint32(at + 42, view.getUint32(at + 42, true) + offset, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { entries: concat(entries), central };
}

/** The central directory of every entry, and the end record that finds it, `offset` bytes in. */
export function zipEnd(central: Uint8Array, entries: number, offset: number): Uint8Array {
  const end = new Uint8Array(central.length + 22);
  end.set(central);
  const view = new DataView(end.buffer, central.length);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, entries, true);
  view.setUint16(10, entries, true);
  view.setUint32(12, central.length, true);
  view.setUint32(16, offset, true);
  return end;
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
