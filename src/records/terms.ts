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
 * The searchable words of a name: letters and digits only, folded, each once. Words joined by an
 * apostrophe or hyphen are also kept whole, so "O'Brien" is found by "obrien" as well as "brien".
 */
export function nameTerms(name: string): string[] {
  const folded = foldText(name);
  const words = [...wordsOf(folded), ...wordsOf(folded.replace(/['’ʼ-]/g, ''))];
  return [...new Set(words.map((w) => w.slice(0, 64)))];
}

/** The words of a search query, folded the same way as names. */
export function queryTerms(query: string): string[] {
  return [...new Set(wordsOf(foldText(query)).map((w) => w.slice(0, 64)))];
}

/** The smallest string greater than every string starting with `prefix`, for an index range scan. */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
