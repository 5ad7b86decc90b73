// Letters that Unicode does not decompose into a base letter plus accent.
const foldedLetters: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'n',
  ĸ: 'k',
};

/** Lower case with accents folded, so "Ñúñez" and "nunez" meet; other scripts keep their letters. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħŧŋĸ]/g, (c) => foldedLetters[c] ?? c);
}

const wordsOf = (text: string) => text.match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * The extra column that keeps a name as the results file wrote it, when the import restyled it
 * ("BECK Janina (W45 1976)" for "Janina Beck", see import/names.ts).
 */
export const NAME_IN_FILE = 'Name as in the file';

// How German and Nordic names are written without their letters: Müller is also Mueller.
const spelledOut: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ø: 'oe', å: 'aa' };

// Cyrillic in Latin letters as runners write their names: BGN/PCGN (Dmitriy, Mariya), the
// passport's ICAO form (Dmitrii, Mariia), and the everyday one (Dmitry, Maria, Alexey).
// biome-ignore format: a table reads best in rows
const cyrillic: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'e', ё: 'e', є: 'ye', ж: 'zh', з: 'z', и: 'i',
  і: 'i', ї: 'yi', й: 'y', ј: 'j', к: 'k', л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p',
  р: 'r', с: 's', т: 't', у: 'u', ў: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ђ: 'dj', ћ: 'c', џ: 'dz'
};
const cyrillicForms: [RegExp, string][][] = [
  [],
  [
    [/й/g, 'i'],
    [/ю/g, 'iu'],
    [/я/g, 'ia'],
  ],
  [
    [/ий$/g, 'y'],
    [/ия/g, 'ia'],
    [/ья/g, 'ia'],
    [/кс/g, 'x'],
    [/х/g, 'h'],
  ],
];

// Greek by ELOT 743 (Giorgos Papadopoulos), and as it sounds (Papadopulos, Hristos).
// biome-ignore format: a table reads best in rows
const greek: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm',
  ν: 'n', ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps',
  ω: 'o'
};
const greekForms: [RegExp, string][][] = [
  [
    [/ου/g, 'ou'],
    [/γγ/g, 'ng'],
    [/γκ/g, 'gk'],
    [/αυ/g, 'av'],
    [/ευ/g, 'ev'],
  ],
  [
    [/ου/g, 'u'],
    [/γγ/g, 'ng'],
    [/μπ/g, 'b'],
    [/ντ/g, 'd'],
    [/αι/g, 'e'],
    [/ει|οι|υ/g, 'i'],
    [/χ/g, 'h'],
  ],
];

function transliterate(word: string, forms: [RegExp, string][][], letters: Record<string, string>): string[] {
  return forms.map((form) =>
    [...form.reduce((w, [pattern, latin]) => w.replace(pattern, latin), word)].map((c) => letters[c] ?? c).join(''),
  );
}

/**
 * The other ways a name word is written in Latin letters: spelled out (Mueller for Müller),
 * transliterated from Cyrillic or Greek. The word is lower case with its accents.
 */
function otherSpellings(word: string): string[] {
  const spellings: string[] = [];
  if (/[äöüøå]/.test(word)) spellings.push(word.replace(/[äöüøå]/g, (c) => spelledOut[c]!));
  if (/\p{Script=Cyrillic}/u.test(word)) spellings.push(...transliterate(word, cyrillicForms, cyrillic));
  if (/\p{Script=Greek}/u.test(word)) {
    // Accents first: ώ is ω, ϊ is ι.
    const plain = word
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .normalize('NFC');
    spellings.push(...transliterate(plain, greekForms, greek));
  }
  return spellings;
}

/**
 * The searchable words of a name: letters and digits only, folded, each once. Words joined by an
 * apostrophe or hyphen are also kept whole, so "O'Brien" is found by "obrien" as well as "brien".
 * A word is also kept as other alphabets and spellings write it (otherSpellings). The name as the
 * file wrote it, when an import restyled it, is searched too.
 */
export function nameTerms(name: string, nameInFile?: string | null): string[] {
  const text = (nameInFile ? `${name} ${nameInFile}` : name).normalize('NFC').toLowerCase();
  const written = [...wordsOf(text), ...wordsOf(text.replace(/['’ʼ-]/g, ''))];
  const words = [...written, ...written.flatMap(otherSpellings)].flatMap((w) => wordsOf(foldText(w)));
  return [...new Set(words.map((w) => w.slice(0, 64)))];
}

/** The name as the file wrote it, from a prepared record's JSON, parsed only when it is there. */
export function nameInFileOf(json: string): string | undefined {
  if (!json.includes(`"${NAME_IN_FILE}":`)) return undefined;
  const value = (JSON.parse(json) as { extra?: Record<string, unknown> | null }).extra?.[NAME_IN_FILE];
  return typeof value === 'string' ? value : undefined;
}

/** Words this long forgive one typo in a search that found no one (name_words). */
export const MIN_TYPO_LENGTH = 5;

/** The words of a search query, folded the same way as names. */
export function queryTerms(query: string): string[] {
  return [...new Set(wordsOf(foldText(query)).map((w) => w.slice(0, 64)))];
}

/** The smallest string greater than every string starting with `prefix`, for an index range scan. */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
