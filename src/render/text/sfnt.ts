const WOFF = 0x774f4646; // 'wOFF'
const WOFF_HEADER = 44;
const WOFF_ENTRY = 20;
const SFNT_HEADER = 12;
const SFNT_ENTRY = 16;
const sfntMagics = new Set([0x00010000, 0x74727565 /* 'true' */, 0x4f54544f /* 'OTTO' */]);

/** zlib-wrapped deflate, as WOFF 1.0 stores tables; DecompressionStream runs in workerd and Node alike. */
async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The TrueType/OpenType font a WOFF 1.0 file wraps (HarfBuzz reads only sfnt), rebuilt table by
 * table as the WOFF 1.0 spec describes. sfnt bytes come back unchanged; anything else throws.
 */
export async function sfntFromWoff(bytes: ArrayBuffer): Promise<ArrayBuffer> {
  const data = new DataView(bytes);
  const magic = bytes.byteLength >= 4 ? data.getUint32(0) : 0;
  if (sfntMagics.has(magic)) return bytes;
  if (magic !== WOFF) throw new Error('Not a WOFF 1.0, TrueType or OpenType font');
  if (bytes.byteLength < WOFF_HEADER) throw new Error('WOFF file is cut short');

  const flavor = data.getUint32(4);
  const numTables = data.getUint16(12);
  if (numTables === 0 || WOFF_HEADER + numTables * WOFF_ENTRY > bytes.byteLength) {
    throw new Error('WOFF table directory is damaged');
  }
  const entries = Array.from({ length: numTables }, (_, i) => {
    const at = WOFF_HEADER + i * WOFF_ENTRY;
    const entry = {
      tag: data.getUint32(at),
      offset: data.getUint32(at + 4),
      compLength: data.getUint32(at + 8),
      origLength: data.getUint32(at + 12),
      checksum: data.getUint32(at + 16),
    };
    if (entry.compLength > entry.origLength || entry.offset + entry.compLength > bytes.byteLength) {
      throw new Error('WOFF table directory is damaged');
    }
    return entry;
  });

  const tables = await Promise.all(
    entries.map(async ({ offset, compLength, origLength }) => {
      const stored = new Uint8Array(bytes, offset, compLength);
      const table =
        compLength < origLength
          ? await inflate(stored).catch((error: unknown) => {
              throw new Error('WOFF table is damaged', { cause: error });
            })
          : stored;
      if (table.byteLength !== origLength) throw new Error('WOFF table does not inflate to its stated length');
      return table;
    }),
  );

  // Tables keep their order in the file (that of the original font), each padded to 4 bytes.
  const byOffset = entries.map((_, i) => i).sort((a, b) => entries[a]!.offset - entries[b]!.offset);
  const padded = (length: number) => (length + 3) & ~3;
  const offsets: number[] = [];
  let end = SFNT_HEADER + numTables * SFNT_ENTRY;
  for (const i of byOffset) {
    offsets[i] = end;
    end += padded(entries[i]!.origLength);
  }

  const out = new Uint8Array(end);
  const sfnt = new DataView(out.buffer);
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  sfnt.setUint32(0, flavor);
  sfnt.setUint16(4, numTables);
  sfnt.setUint16(6, searchRange);
  sfnt.setUint16(8, entrySelector);
  sfnt.setUint16(10, numTables * 16 - searchRange);
  // Readers binary-search the sfnt directory by tag; WOFF's should be sorted already, but may not be.
  const byTag = entries.map((_, i) => i).sort((a, b) => entries[a]!.tag - entries[b]!.tag);
  byTag.forEach((i, slot) => {
    const entry = entries[i]!;
    const at = SFNT_HEADER + slot * SFNT_ENTRY;
    sfnt.setUint32(at, entry.tag);
    sfnt.setUint32(at + 4, entry.checksum);
    sfnt.setUint32(at + 8, offsets[i]!);
    sfnt.setUint32(at + 12, entry.origLength);
    out.set(tables[i]!, offsets[i]!);
  });
  return out.buffer;
}
