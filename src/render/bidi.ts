import reshaper from 'arabic-persian-reshaper';
import bidiFactory from 'bidi-js';

const bidi = bidiFactory();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const rightToLeft = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

const arabicLetters = /[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF]/;
const arabicMarks = /[\u064B-\u065F\u0670]/g;

const VOWEL_SIGN_I = 0x093f;
const VIRAMA = 0x094d;
const isConsonant = (code: number) => (code >= 0x0915 && code <= 0x0939) || (code >= 0x0958 && code <= 0x095f);

/**
 * Moves each Devanagari vowel sign i in front of the consonant cluster it follows (consonants
 * joined by viramas). A scan back from each sign, not a regex: the regex retried the cluster from
 * every consonant and took a second over a long name.
 */
function vowelSignIFirst(text: string): string {
  let out = '';
  let done = 0;
  for (let i = text.indexOf('\u093F'); i !== -1; i = text.indexOf('\u093F', i + 1)) {
    let start = i - 1;
    if (start < done || !isConsonant(text.charCodeAt(start))) continue;
    while (start - 2 >= done && text.charCodeAt(start - 1) === VIRAMA && isConsonant(text.charCodeAt(start - 2))) {
      start -= 2;
    }
    out += `${text.slice(done, start)}${String.fromCharCode(VOWEL_SIGN_I)}${text.slice(start, i)}`;
    done = i + 1;
  }
  return out + text.slice(done);
}

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
  return vowelSignIFirst(arabic);
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
