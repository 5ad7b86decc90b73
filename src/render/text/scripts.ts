/**
 * The writing systems a certificate can draw, by their ISO 15924 tag (what HarfBuzz takes), each
 * with the Unicode script property that finds its characters.
 */
const scriptProperties = {
  Latn: 'Latin',
  Cyrl: 'Cyrillic',
  Grek: 'Greek',
  Armn: 'Armenian',
  Geor: 'Georgian',
  Hebr: 'Hebrew',
  Arab: 'Arabic',
  Deva: 'Devanagari',
  Beng: 'Bengali',
  Guru: 'Gurmukhi',
  Gujr: 'Gujarati',
  Taml: 'Tamil',
  Telu: 'Telugu',
  Knda: 'Kannada',
  Mlym: 'Malayalam',
  Sinh: 'Sinhala',
  Thai: 'Thai',
  Laoo: 'Lao',
  Khmr: 'Khmer',
  Mymr: 'Myanmar',
  Ethi: 'Ethiopic',
  Hani: 'Han',
  Hira: 'Hiragana',
  Kana: 'Katakana',
  Hang: 'Hangul',
} as const;

export type ScriptTag = keyof typeof scriptProperties | 'Zyyy';

const tests = Object.entries(scriptProperties).map(
  ([tag, property]) => [tag as ScriptTag, new RegExp(`\\p{Script=${property}}`, 'u')] as const,
);
const cache = new Map<number, ScriptTag>();

/** A character's script; Zyyy (common) for spaces, digits, punctuation, marks and anything else. */
export function scriptOf(char: string): ScriptTag {
  const code = char.codePointAt(0)!;
  let tag = cache.get(code);
  if (!tag) {
    tag = tests.find(([, test]) => test.test(char))?.[0] ?? 'Zyyy';
    cache.set(code, tag);
  }
  return tag;
}

/**
 * Each grapheme's script, common ones (spaces, digits, marks) taking their neighbour's, as a
 * shaper wants them: a run of one script is shaped with that script's rules.
 */
export function resolveScripts(graphemes: readonly string[]): ScriptTag[] {
  const own = graphemes.map((g) => scriptOf(g));
  const first = own.find((s) => s !== 'Zyyy') ?? 'Latn';
  let previous: ScriptTag = first;
  return own.map((s) => {
    if (s !== 'Zyyy') previous = s;
    return previous;
  });
}

/** Scripts written without spaces between words, broken into lines at dictionary word boundaries. */
export const wordsWithoutSpaces = new Set<ScriptTag>(['Thai', 'Laoo', 'Khmr', 'Mymr']);

/** Scripts where a line may break between any two characters. */
export const breaksAnywhere = new Set<ScriptTag>(['Hani', 'Hira', 'Kana', 'Hang']);

/** The language whose segmenter knows a script's words. */
export const segmenterLanguage: Partial<Record<ScriptTag, string>> = {
  Thai: 'th',
  Laoo: 'lo',
  Khmr: 'km',
  Mymr: 'my',
};
