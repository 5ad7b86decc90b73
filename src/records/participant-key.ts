import { foldText } from './terms';

/** The longest value a key column (an email, a registration id) may give a participant. */
export const MAX_KEY_VALUE_LENGTH = 200;

/**
 * A participant known by their name: its words folded (case, accents and punctuation aside), so
 * "Anna Müller" and "ANNA MULLER" are one person and two rows of either name are duplicates.
 */
export function nameKey(name: string): string {
  const words = foldText(name).match(/[\p{L}\p{N}]+/gu);
  // A name of emoji or symbols alone has no words: it is its own key.
  return `name:${words ? words.join(' ') : name.replace(/\s+/g, ' ').trim()}`;
}

/**
 * Who a participant is from one import to the next: their bib when they have one; else the value
 * of the column the organiser chose as key, such as an email or a registration id (`key:…`); else
 * their folded name (`name:…`). Records upsert, are removed and come back by it. The prefixes keep
 * a registration id from ever meeting someone else's bib.
 */
export function participantKey({
  bib,
  keyValue,
  name,
}: {
  bib?: string | null;
  keyValue?: string | null;
  name: string;
}): string {
  if (bib) return bib;
  if (keyValue) return `key:${keyValue}`;
  return nameKey(name);
}

/** A participant key as an organiser reads it: "bib 12", the key column's value, or the name. */
export function describeKey(key: string): string {
  if (key.startsWith('key:')) return key.slice('key:'.length);
  if (key.startsWith('name:')) return key.slice('name:'.length);
  return `bib ${key}`;
}

/**
 * A record's participant key after its bib is changed by hand: someone known by their bib who is
 * given another becomes that bib's participant, as bibs always worked; any other key stays, and the
 * bib typed in is a hand correction that imports leave alone (corrections.ts).
 */
export function keyAfterEdit(
  record: { participantKey: string; bib: string | null },
  bib: string | null | undefined,
): string {
  const knownByBib = record.bib !== null && record.participantKey === record.bib;
  return knownByBib && bib ? bib : record.participantKey;
}
