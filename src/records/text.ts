import { limitMarks } from '../render/text/marks';

// Line breaks, including Unicode's line and paragraph separators, end no line on a certificate.
const lineBreaks = /[\t\n\r\u2028\u2029]+/g;
// Controls, the byte order mark, and bidi overrides and isolates, which can make a name show
// other than it reads. The joiners U+200C and U+200D stay: emoji sequences and scripts need them.
const invisible = /[\p{Cc}\uFEFF\u202A-\u202E\u2066-\u2069]/gu;

/**
 * A text value as a record keeps it, whichever way it came in: a line break becomes a space,
 * controls and bidi overrides go, spaces around it are trimmed, it is composed (NFC), and no
 * letter carries more than a few combining marks.
 */
export function cleanText(value: string): string {
  return limitMarks(value.replace(lineBreaks, ' ').replace(invisible, '').trim().normalize('NFC'));
}
