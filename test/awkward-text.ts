import fc from 'fast-check';

// Arbitraries for property-based tests of what people type, paste and export: every UTF-16 code
// unit, and the characters that break files and text layout.

/** Any UTF-16 code unit, lone surrogates included. */
export const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** Quotes, separators, line breaks, controls, bidi marks, formula starts, scripts, emoji, combining marks. */
export const awkward = fc.constantFrom(
  '"',
  ',',
  ';',
  '\t',
  '|',
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u0000',
  '\u001b',
  '\u007f',
  '\uFEFF',
  '\u200B',
  '\u200D',
  '\u200F',
  '\u202E',
  '\u2066',
  '\uD83C',
  '\uDFC3',
  '=',
  '+',
  '-',
  '@',
  '·',
  '{name}',
  ' ',
  'é',
  'ß',
  'محمد',
  'דוד',
  'अनिल',
  'สมชาย',
  '王',
  '김',
  '🏃‍♀️',
  '🇯🇵',
  'Z̷̢̛a',
  '<b>&amp;',
);

/** Any text: every code unit, the awkward characters, graphemes of any script, or a few KB of them. */
export const anyText = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 120 }),
  fc.string({ unit: awkward, maxLength: 120 }),
  fc.string({ unit: fc.oneof(awkward, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })), maxLength: 120 }),
  fc.string({ unit: fc.oneof(awkward, codeUnit, fc.constant('a')), minLength: 1000, maxLength: 4000 }),
);
