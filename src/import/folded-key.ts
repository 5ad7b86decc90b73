import { foldText } from '../records/terms';

/**
 * A word or phrase reduced to folded letters and digits, so that "Startnr.", "Start-Nr" and
 * "START NR" or "Prénom" and "prenom" compare equal.
 */
export function foldedKey(text: string): string {
  return foldText(text).replace(/[^\p{L}\p{N}]+/gu, '');
}
