const plural = new Intl.PluralRules('en');

/**
 * A number with its noun in the form English gives it: "1 hidden record", "0 hidden records",
 * "2 records". `other` is for nouns that do not just add an s ("record is" / "records are").
 */
export const count = (n: number, one: string, other = `${one}s`) => `${n} ${plural.select(n) === 'one' ? one : other}`;
