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

/**
 * The searchable words of a name: letters and digits only, folded, each once. Words joined by an
 * apostrophe or hyphen are also kept whole, so "O'Brien" is found by "obrien" as well as "brien".
 * The name as the file wrote it, when an import restyled it, is searched too.
 */
export function nameTerms(name: string, nameInFile?: string | null): string[] {
  const folded = foldText(nameInFile ? `${name} ${nameInFile}` : name);
  const words = [...wordsOf(folded), ...wordsOf(folded.replace(/['’ʼ-]/g, ''))];
  return [...new Set(words.map((w) => w.slice(0, 64)))];
}

/** The name as the file wrote it, from a prepared record's JSON, parsed only when it is there. */
export function nameInFileOf(json: string): string | undefined {
  if (!json.includes(`"${NAME_IN_FILE}":`)) return undefined;
  const value = (JSON.parse(json) as { extra?: Record<string, unknown> | null }).extra?.[NAME_IN_FILE];
  return typeof value === 'string' ? value : undefined;
}

/** The words of a search query, folded the same way as names. */
export function queryTerms(query: string): string[] {
  return [...new Set(wordsOf(foldText(query)).map((w) => w.slice(0, 64)))];
}

/** The smallest string greater than every string starting with `prefix`, for an index range scan. */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
