import { foldText } from '../records/terms';

/**
 * How a results file's names are rewritten for the certificate, each optional and applied in
 * this order: timing exports write "BECK Janina (W45 1976)" (Berlin) and "Kirui, Geoffrey" (Boston).
 */
export const nameStyles = ['drop-note', 'first-last', 'capitalise-surnames'] as const;
export type NameStyle = (typeof nameStyles)[number];

/** What each style does, as the mapping screen offers it. */
export const nameStyleLabels: Record<NameStyle, { label: string; example: string }> = {
  'drop-note': { label: 'Drop a note in brackets at the end', example: '“BECK Janina (W45 1976)” → “BECK Janina”' },
  'first-last': { label: '“Last, First” → “First Last”', example: '“Kirui, Geoffrey” → “Geoffrey Kirui”' },
  'capitalise-surnames': {
    label: 'Surnames in capitals → capitalised, after the first name',
    example: '“BECK Janina” → “Janina Beck”, “Vincent BOUILLARD” → “Vincent Bouillard”',
  },
};

const trailingNote = /\s*(?:\([^()]*\)|\[[^[\]]*\])\s*$/u;

function dropNote(name: string): string {
  const shorter = name.replace(trailingNote, '');
  return shorter.trim() ? shorter : name;
}

function firstLast(name: string): string {
  const parts = name.split(',');
  if (parts.length !== 2) return name;
  const [last, first] = parts.map((p) => p.trim()) as [string, string];
  return last && first ? `${first} ${last}` : name;
}

const casedLetters = (word: string) => [...word].filter((c) => c.toLowerCase() !== c.toUpperCase());

/** A word in capitals: two or more letters, all upper case ("BECK", "O'BRIEN", "NG"). */
function isCapitalised(word: string): boolean {
  const letters = casedLetters(word);
  return letters.length >= 2 && letters.every((c) => c === c.toUpperCase());
}

/** Latin capitals without a vowel are initials ("HBG", "LT", "C.R.K.K."), no surname. */
const hasNoVowel = (word: string) => {
  const folded = foldText(casedLetters(word).join(''));
  return /^[a-z]+$/.test(folded) && !/[aeiouy]/.test(folded);
};

/**
 * Whether capitals leading a name are a club's initials rather than a surname: one without a
 * vowel ("HBG Runners"), or short ones before several words ("ASV Zeuthen Frauen").
 */
function areInitials(leading: string[], rest: string[]): boolean {
  if (leading.some(hasNoVowel)) return true;
  const words = rest.filter((word) => casedLetters(word).length > 0);
  return words.length > 1 && leading.every((word) => casedLetters(word).length <= 3);
}

/** A word that reads as (part of) a first name: with lower-case letters, or an initial like "J.". */
const isGivenName = (word: string) => {
  const letters = casedLetters(word);
  return letters.some((c) => c !== c.toUpperCase()) || (letters.length === 1 && /^\p{L}\.?$/u.test(word));
};

// Written in lower case inside a name ("Jan van der Berg", "Maria de la Cruz", "Ana da Silva"), and
// capitalised only when the name starts with them. Italian "Di" and French "Le" keep their capital.
const particles = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'des',
  'du',
  'da',
  'das',
  'do',
  'dos',
  'ten',
  'ter',
  'zu',
  'zum',
  'zur',
  'vom',
  'y',
]);
// Articles that follow a particle: "de la Cruz", "de los Santos".
const articles = new Set(['la', 'las', 'le', 'les', 'los', 'l']);

const upperFirst = (part: string) => {
  const [first = '', ...rest] = [...part];
  return first.toUpperCase() + rest.join('');
};

/** "O'BRIEN" → "O'Brien", "MCDONALD" → "McDonald", "BECKER-SICKAU" → "Becker-Sickau". */
const capitaliseWord = (word: string) =>
  word
    .toLowerCase()
    .split(/(?<=[-'’])/)
    .map((part) => (/^mc\p{L}{2}/u.test(part) ? `Mc${upperFirst(part.slice(2))}` : upperFirst(part)))
    .join('');

/** Capitalises words in capitals, keeping particles lower case where a name has them inside. */
function capitaliseAll(words: string[], capitalised: boolean[]): string[] {
  return words.map((word, i) => {
    if (!capitalised[i]) return word;
    const lower = word.toLowerCase();
    const previous = words[i - 1]?.toLowerCase() ?? '';
    const isParticle = particles.has(lower) || (articles.has(lower) && particles.has(previous));
    // "Jan van der Berg", but "Van der Berg" at the start and "Jan Van" when nothing follows it.
    const insideName = i > 0 && capitalised.slice(i + 1).some(Boolean);
    return isParticle && insideName ? lower : capitaliseWord(word);
  });
}

function capitaliseSurnames(name: string): string {
  // A note at the end ("(M40 1980)") stays at the end.
  const note = trailingNote.exec(name)?.[0] ?? '';
  const words = name
    .slice(0, name.length - note.length)
    .split(/\s+/)
    .filter(Boolean);
  const capitalised = words.map(isCapitalised);
  if (!capitalised.some(Boolean)) return name;
  const lead = capitalised.indexOf(false);
  // After first names, capitals are a surname ("Chin Nam NG"); before them, maybe a club's initials.
  if (lead > 0 && areInitials(words.slice(0, lead), words.slice(lead))) return name;
  // Surname first, in capitals ("BECK Janina", "VAN DER BERG Jan"): it moves after the first name.
  if (lead > 0 && words.slice(lead).some(isGivenName)) {
    const reordered = [...words.slice(lead), ...words.slice(0, lead)];
    return capitaliseAll(reordered, [...capitalised.slice(lead), ...capitalised.slice(0, lead)]).join(' ') + note;
  }
  // All in capitals ("TSV BERLIN"), initials stay as they are.
  const capitalise = lead === -1 ? words.map((word) => !hasNoVowel(word)) : capitalised;
  return capitaliseAll(words, capitalise).join(' ') + note;
}

const apply: Record<NameStyle, (name: string) => string> = {
  'drop-note': dropNote,
  'first-last': firstLast,
  'capitalise-surnames': capitaliseSurnames,
};

/** A name written in the styles chosen; unchanged without any. */
export function styleName(name: string, styles: readonly NameStyle[] = []): string {
  return nameStyles.reduce((styled, style) => (styles.includes(style) ? apply[style](styled) : styled), name);
}
