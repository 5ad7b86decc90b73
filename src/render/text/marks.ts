// More nonspacing marks than any script stacks on one letter (Vietnamese and Thai use two or
// three): "zalgo" text piles dozens, which no box can hold.
const MAX_MARKS = 4;
const piledMarks = new RegExp(`([\\p{Mn}\\p{Me}]{${MAX_MARKS}})[\\p{Mn}\\p{Me}]+`, 'gu');

/** The text with at most a few combining marks on each letter. */
export const limitMarks = (text: string): string => text.replace(piledMarks, '$1');
