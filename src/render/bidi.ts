import reshaper from 'arabic-persian-reshaper';
import bidiFactory from 'bidi-js';

const bidi = bidiFactory();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const rightToLeft = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

const arabicLetters = /[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF]/;
const arabicMarks = /[\u064B-\u065F\u0670]/g;

// A Devanagari consonant with any consonants joined to it by a virama, then the vowel sign i.
const devanagariIBeforeCluster = /((?:[\u0915-\u0939\u0958-\u095F]\u094D)*[\u0915-\u0939\u0958-\u095F])\u093F/g;

/**
 * Text prepared for Satori, which (up to 0.32) does no shaping of its own:
 * - Arabic and Persian letters take the joined forms their neighbours call for (Unicode
 *   presentation forms, which Noto Sans Arabic maps). Vowel marks are dropped: the opentype.js
 *   inside Satori fails on Noto's mark rules as soon as a character of the basic Arabic block
 *   reaches it, and names are written without them.
 * - Devanagari's vowel sign i moves in front of its consonant cluster, where it is read.
 * Conjuncts, Thai mark positioning and other shaping remain as Satori draws them.
 */
export function shapeText(text: string): string {
  const arabic = arabicLetters.test(text) ? reshaper.ArabicShaper.convertArabic(text.replace(arabicMarks, '')) : text;
  return arabic.replace(devanagariIBeforeCluster, '\u093F$1');
}

/**
 * A line of text in the order its glyphs are drawn, left to right. Satori (0.28 and up to 0.32)
 * has no bidirectional layout, so Hebrew and Arabic runs are reordered here with the Unicode
 * Bidirectional Algorithm, whole graphemes at a time, so marks stay on their letters.
 */
export function visualOrder(line: string): string {
  if (!rightToLeft.test(line)) return line;
  const levels = bidi.getEmbeddingLevels(line);
  const chars = line.split('');
  for (const [index, mirror] of bidi.getMirroredCharactersMap(line, levels)) chars[index] = mirror;
  // One slot per UTF-16 unit, each holding its grapheme, so segments reverse by position as the
  // algorithm defines them while every grapheme's units stay together.
  const slots: { text: string }[] = [];
  for (const { segment } of graphemes.segment(chars.join(''))) {
    const cluster = { text: segment };
    for (let i = 0; i < segment.length; i++) slots.push(cluster);
  }
  for (const [start, end] of bidi.getReorderSegments(line, levels)) {
    const reversed = slots.slice(start, end + 1).reverse();
    slots.splice(start, reversed.length, ...reversed);
  }
  return [...new Set(slots)].map((c) => c.text).join('');
}
