import { ImportError } from './import-error';
import { MAX_FILE_BYTES } from './limits';

const SAVE_AS_CSV = 'In Excel or Numbers, save or export it as "CSV UTF-8" and upload that file.';

// Files organisers often pick by mistake, recognised by their first bytes so the message can say
// what the file is instead of just "not a text file".
const knownBinaryFiles: { signature: number[]; message: string }[] = [
  {
    signature: [0x50, 0x4b, 0x03, 0x04],
    message: `This is an Excel workbook or a zip archive, not a CSV file. ${SAVE_AS_CSV}`,
  },
  {
    signature: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    message: `This is an Excel 97–2003 workbook, not a CSV file. ${SAVE_AS_CSV}`,
  },
  {
    signature: [0x25, 0x50, 0x44, 0x46, 0x2d],
    message: 'This is a PDF, not a CSV file. Ask your timing company for a CSV export.',
  },
  { signature: [0xff, 0xfe], message: `This file is UTF-16 text (Excel's "Unicode Text"). ${SAVE_AS_CSV}` },
  { signature: [0xfe, 0xff], message: `This file is UTF-16 text. ${SAVE_AS_CSV}` },
];

// Enough of the file to tell text from binary without reading 20 MB.
const SNIFF_BYTES = 64 * 1024;
// Text holds no NUL and almost no other control bytes besides tab and line breaks; images and
// archives hold many. A few stray ones in a short text file are no reason to refuse it.
const MAX_CONTROL_BYTE_SHARE = 0.05;
const MIN_CONTROL_BYTES = 16;

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);

function isControlByte(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) || byte === 0x7f;
}

/** Refuses a file by its bytes: too large, empty, or not text at all. */
export function checkFileBytes(bytes: Uint8Array): void {
  if (bytes.length > MAX_FILE_BYTES) {
    const megabytes = (bytes.length / 1024 / 1024).toFixed(1);
    throw new ImportError(`The file is ${megabytes} MB; results files can be at most 20 MB.`, 413);
  }
  if (bytes.length === 0) throw new ImportError('The file is empty.');
  const known = knownBinaryFiles.find(({ signature }) => startsWith(bytes, signature));
  if (known) throw new ImportError(known.message);
  const sample = bytes.subarray(0, SNIFF_BYTES);
  let controlBytes = 0;
  for (const byte of sample) if (isControlByte(byte)) controlBytes++;
  if (
    sample.includes(0) ||
    (controlBytes > MIN_CONTROL_BYTES && controlBytes > sample.length * MAX_CONTROL_BYTE_SHARE)
  ) {
    throw new ImportError(
      'This is not a text file. Upload the results as CSV: one line per participant, ' +
        'columns separated by commas, semicolons or tabs.',
    );
  }
}

/** Refuses decoded text that holds no results: blank, or a web page instead of the file it links to. */
export function checkFileText(text: string): void {
  const start = text.trimStart().slice(0, 20).toLowerCase();
  if (!start) throw new ImportError('The file is empty.');
  if (start.startsWith('<!doctype') || start.startsWith('<html')) {
    throw new ImportError(
      'This is a web page (HTML), not a CSV file. If you copied a link, use the link to the results file itself.',
    );
  }
}
