/** How the bytes of a results file were read. */
export type FileEncoding = 'utf-8' | 'windows-1252';

/** The text of a results file and the encoding it was read with. */
export interface DecodedFile {
  text: string;
  encoding: FileEncoding;
}

const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

/**
 * Reads a results file as UTF-8 (without its byte order mark), or as Windows-1252 when the bytes
 * are not valid UTF-8: that is what Excel on Windows writes for "CSV" in Western Europe and the
 * Americas, and every byte sequence decodes in it, so no file is refused for its encoding.
 */
export function decodeResultsFile(bytes: Uint8Array): DecodedFile {
  // Stripped by hand, not by TextDecoder, so that it also goes when the rest is Windows-1252.
  const hasBom = BYTE_ORDER_MARK.every((b, i) => bytes[i] === b);
  const body = hasBom ? bytes.subarray(BYTE_ORDER_MARK.length) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252' };
  }
}
