import { languageSchema } from '../events/rules';
import { recordLimits } from '../records/rules';
import { foldedKey } from './folded-key';

// Each reader returns the value for the record, null when the cell holds none, and undefined when
// the cell holds something that cannot be read, which rejects the row.

/** Empty, or a dash standing for "nothing here". */
export function isBlank(value: string): boolean {
  return /^[-–—]*$/.test(value);
}

const pad = (n: number) => String(n).padStart(2, '0');

function formatTime(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  return `${hours}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}`;
}

const colonTime = /^(\d+(?::\d{1,2}){1,3})(?:[.,](\d+))?$/;
// Each run of spaces belongs to the unit or number after it, never to two optional parts at once:
// two \s* side by side made a long run of spaces take seconds to refuse.
const unitTime = /^(\d+)\s*h\s*(\d{1,2})(?:\s*(?:min|m|'|′))?(?:\s*(\d{1,2})(?:\s*(?:s|''|"|″))?)?\s*$/i;

/**
 * A finish time as h:mm:ss, hours unbounded for ultras. Reads h:mm:ss, m:ss, d:hh:mm:ss and
 * 2h09'37; fractions of a second are rounded up, as World Athletics rules do for road races.
 * A zero time is no time: some exports write 0:00:00 for those who did not finish.
 */
export function readFinishTime(value: string): string | null | undefined {
  if (isBlank(value)) return null;
  let parts: number[];
  let fraction = '';
  const colons = colonTime.exec(value);
  const units = colons ? null : unitTime.exec(value);
  if (colons) {
    parts = colons[1]!.split(':').map(Number);
    fraction = colons[2] ?? '';
  } else if (units) {
    parts = [Number(units[1]), Number(units[2]), Number(units[3] ?? 0)];
  } else {
    return undefined;
  }
  const [seconds = 0, minutes = 0, hours = 0, days = 0] = parts.toReversed();
  // Minutes may exceed 59 only when they lead (m:ss); hours only when no days precede them.
  if (seconds > 59 || (parts.length > 2 && minutes > 59) || (parts.length > 3 && hours > 23)) return undefined;
  const total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds + (/[1-9]/.test(fraction) ? 1 : 0);
  return total === 0 ? null : formatTime(total);
}

/** A rank from "1", "1.0" or "1." (German exports write ordinals with a dot); 0 means unranked. */
export function readRank(value: string): number | null | undefined {
  if (isBlank(value)) return null;
  const match = /^(\d{1,7})(?:\.0*)?$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) || null;
}

/** Age in whole years; 0 means unknown, as exports write it when no birth date was given. */
export function readAge(value: string): number | null | undefined {
  if (isBlank(value)) return null;
  const match = /^(\d{1,3})(?:[.,]0+)?$/.exec(value);
  if (!match) return undefined;
  const age = Number(match[1]);
  if (age > recordLimits.age) return undefined;
  return age || null;
}

// Words and letters for gender in English, German, French and Spanish results. "H" is homme and
// hombre, "W" weiblich, "D" Dame.
type Gender = 'M' | 'F' | 'X';

const genderWords: Record<Gender, string[]> = {
  M: [
    'm',
    'male',
    'man',
    'men',
    'mann',
    'manner',
    'mannlich',
    'herren',
    'h',
    'homme',
    'hommes',
    'masculin',
    'hombre',
    'hombres',
    'masculino',
    'varon',
  ],
  F: [
    'f',
    'female',
    'woman',
    'women',
    'w',
    'weiblich',
    'frau',
    'frauen',
    'damen',
    'd',
    'dame',
    'femme',
    'femmes',
    'feminin',
    'mujer',
    'mujeres',
    'femenino',
    'femenina',
  ],
  X: ['x', 'nb', 'non binary', 'nonbinary', 'divers', 'diverse', 'other', 'andere', 'autre', 'otro', 'otra'],
};

const genderByWord = new Map<string, Gender>(
  (['M', 'F', 'X'] as const).flatMap((gender) =>
    genderWords[gender].map((word): [string, Gender] => [foldedKey(word), gender]),
  ),
);

/** Gender as M, F or X. */
export function readGender(value: string): Gender | null | undefined {
  if (isBlank(value)) return null;
  return genderByWord.get(foldedKey(value));
}

/** A language tag, canonicalised by the one language rule: "JA" → "ja", "zh_hant" → "zh-Hant". */
export function readLanguage(value: string): string | null | undefined {
  if (isBlank(value)) return null;
  const tag = languageSchema.safeParse(value);
  return tag.success ? tag.data : undefined;
}
