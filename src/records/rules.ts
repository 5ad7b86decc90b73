import { z } from 'zod';
import { languageSchema } from '../events/rules';
import { cleanText } from './text';
import { recordStatuses, type NewParticipantRecord, type ParticipantRecord, type RecordStatus } from '../db/schema';

export type { RecordStatus };

/**
 * What a record holds besides its event, id, certificate id and timestamps, and its participant key,
 * which is derived when it is prepared (prepared.ts).
 */
export type RecordInput = Omit<
  NewParticipantRecord,
  'id' | 'eventId' | 'sourceId' | 'certificateId' | 'updatedAt' | 'participantKey'
>;

/** The limits every way into a record shares: results files, the Records tab and the API. */
export const recordLimits = {
  bib: 20,
  name: 200,
  category: 100,
  age: 120,
  rank: 10_000_000,
} as const;

export const genders = ['M', 'F', 'X'] as const;

/** h:mm:ss, hours unbounded for ultras up to 999. */
export const finishTimePattern = /^\d{1,3}:[0-5]\d:[0-5]\d$/;

// Cleaned rather than refused, as an imported file is: an invisible character pasted along with
// a name is no reason to turn the name away.
const text = (label: string, max: number) =>
  z.string().overwrite(cleanText).max(max, `${label} may be at most ${max} characters.`);

const count = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a whole number.` })
    .int(`${label} must be a whole number.`)
    .min(min, `${label} must be at least ${min}.`)
    .max(max, `${label} must be at most ${max.toLocaleString('en')}.`)
    .nullable();

/**
 * THE record rule: what a record may hold, whichever door it comes through. Someone who did not
 * finish has no time and no finishing ranks, whatever the input says.
 */
export const recordSchema = z
  .object({
    // A participant without a bib (a list of names) is known by their name or a key column instead.
    bib: text('The bib', recordLimits.bib)
      .nullable()
      .transform((bib) => bib || null),
    name: text('The name', recordLimits.name).min(1, 'Every record needs a name.'),
    category: text('The category', recordLimits.category).nullable(),
    gender: z.enum(genders, { error: 'Gender is M, F or X.' }).nullable(),
    age: count('Age', 0, recordLimits.age),
    finishTime: z.string().regex(finishTimePattern, 'Write the finish time as h:mm:ss, e.g. 3:27:45.').nullable(),
    rankOverall: count('Overall rank', 1, recordLimits.rank),
    rankGender: count('Gender rank', 1, recordLimits.rank),
    rankCategory: count('Category rank', 1, recordLimits.rank),
    status: z.enum(recordStatuses, { error: 'Status is finished, dnf, dns or dsq.' }).default('finished'),
    // The event's language applies where a record says none (render/fields.ts).
    language: languageSchema,
    extra: z.record(z.string(), z.string().overwrite(cleanText)).nullable().optional(),
    hidden: z.boolean().optional(),
  })
  .transform((r): RecordInput => {
    const finished = r.status === 'finished';
    return {
      ...r,
      finishTime: finished ? r.finishTime : null,
      rankOverall: finished ? r.rankOverall : null,
      rankGender: finished ? r.rankGender : null,
      rankCategory: finished ? r.rankCategory : null,
    };
  });

/** A form field: its trimmed text read into the field's value, or null when empty or missing. */
const formField = (read: (text: string) => unknown = (text) => text) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? read(v.trim()) : null), z.unknown());
const formNumber = formField((text) => (/^\d+$/.test(text) ? Number(text) : text));

/** A record typed in by hand on the Records tab: every field arrives as text. */
export const recordFormSchema = z
  .object({
    // Left empty for someone without a bib.
    bib: formField(),
    name: z.string().default(''),
    category: formField(),
    gender: formField((text) => text.toUpperCase()),
    age: formNumber,
    finishTime: formField(),
    rankOverall: formNumber,
    rankGender: formNumber,
    rankCategory: formNumber,
    status: formField(),
    // Optional only for the types: the rule's input may leave the language out.
    language: formField().optional(),
  })
  // A form without a status adds a finisher, the rule's default.
  .transform(({ status, ...r }) => (status === null ? r : { ...r, status }))
  .pipe(recordSchema);

/** The fields of a stored record that the rule covers, to merge a partial change into. */
export const recordInputOf = (record: ParticipantRecord): RecordInput => ({
  bib: record.bib,
  name: record.name,
  category: record.category,
  gender: record.gender,
  age: record.age,
  finishTime: record.finishTime,
  rankOverall: record.rankOverall,
  rankGender: record.rankGender,
  rankCategory: record.rankCategory,
  status: record.status,
  language: record.language,
  extra: record.extra,
});

/** Fields an API PATCH may change; anything left out keeps its value. */
export const recordPatchSchema = z
  .object({
    hidden: z.boolean(),
    name: z.string(),
    category: z.string().nullable(),
    gender: z.string().nullable(),
    age: z.number().int().nullable(),
    finishTime: z.string().nullable(),
    status: z.string(),
    rankOverall: z.number().int().nullable(),
    rankGender: z.number().int().nullable(),
    rankCategory: z.number().int().nullable(),
    language: z.string().nullable(),
  })
  .partial()
  .strict();
