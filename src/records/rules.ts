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
 * finish has no time and no finishing ranks, whatever the input says. A field left out is empty.
 */
export const recordSchema = z
  .object({
    // A participant without a bib (a list of names) is known by their name or a key column instead.
    bib: text('The bib', recordLimits.bib)
      .nullable()
      .default(null)
      .transform((bib) => bib || null),
    name: text('The name', recordLimits.name).min(1, 'Every record needs a name.'),
    category: text('The category', recordLimits.category).nullable().default(null),
    gender: z.enum(genders, { error: 'Gender is M, F or X.' }).nullable().default(null),
    age: count('Age', 0, recordLimits.age).default(null),
    finishTime: z
      .string()
      .regex(finishTimePattern, 'Write the finish time as h:mm:ss, e.g. 3:27:45.')
      .nullable()
      .default(null),
    rankOverall: count('Overall rank', 1, recordLimits.rank).default(null),
    rankGender: count('Gender rank', 1, recordLimits.rank).default(null),
    rankCategory: count('Category rank', 1, recordLimits.rank).default(null),
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
  // A form without a status adds a finisher, the rule's default. The values are the form's text,
  // read: the rule checks them.
  .transform(({ status, ...r }) => (status === null ? r : { ...r, status }) as z.input<typeof recordSchema>)
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

/** Hand-corrected fields that take the file's values again; all of them when left out. */
export const useFileValuesSchema = z.object({ fields: z.array(z.string()).optional() });

/** THE rule for a page number of an event's records, on the Records tab and in the API. */
export const recordPageSchema = z.coerce
  .number({ error: 'Give the page as a whole number from 1.' })
  .int('Give the page as a whole number from 1.')
  .min(1, 'Give the page as a whole number from 1.')
  .max(1_000_000, 'Give the page as a whole number from 1.');

/** How many records one page of the API's list holds. */
export const recordsPerPageSchema = z.coerce
  .number({ error: 'Give perPage as a whole number from 1 to 200.' })
  .int('Give perPage as a whole number from 1 to 200.')
  .min(1, 'Give perPage as a whole number from 1 to 200.')
  .max(200, 'Give perPage as a whole number from 1 to 200.');

/** A record's fields as the API reads and writes them (the answer adds the rest). */
export const recordApiFields = z.object({
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
});

/** Fields an API PATCH may change; anything left out keeps its value. */
export const recordPatchSchema = recordApiFields.partial().strict();
