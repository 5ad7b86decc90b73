import { z } from 'zod';
import { foldedKey } from './folded-key';
import { headerNames } from './header-names';
import { ImportError } from './import-error';
import { nameStyles } from './names';
import { statusMarker } from './status';
import { isBlank, readAge, readFinishTime, readGender, readLanguage, readRank } from './values';

/** The record fields a column of a results file can fill. */
export const recordFields = [
  'bib',
  'participantKey',
  'name',
  'firstName',
  'lastName',
  'category',
  'gender',
  'age',
  'finishTime',
  'rankOverall',
  'rankGender',
  'rankCategory',
  'status',
  'language',
] as const;
export type RecordField = (typeof recordFields)[number];

/** How the organiser sees each field named, in mapping forms and rejection reasons. */
export const recordFieldLabels: Record<RecordField, string> = {
  bib: 'bib',
  participantKey: 'participant key',
  name: 'name',
  firstName: 'first name',
  lastName: 'last name',
  category: 'category',
  gender: 'gender',
  age: 'age',
  finishTime: 'finish time',
  rankOverall: 'overall rank',
  rankGender: 'gender rank',
  rankCategory: 'category rank',
  status: 'status',
  language: 'language',
};

const column = z.string().trim().min(1);

/**
 * Which column (by header) fills which record field, e.g. `{ "bib": "Startnr", "name": "Name" }`,
 * and how names are written on the certificate (`"nameStyle": ["drop-note", "capitalise-surnames"]`,
 * see names.ts). Columns left out go into the record's `extra`. Validates `?mapping=` JSON, the
 * mapping screen's form and stored mappings.
 */
export const mappingSchema = z.strictObject({
  ...(Object.fromEntries(recordFields.map((field) => [field, column.optional()])) as Record<
    RecordField,
    z.ZodOptional<typeof column>
  >),
  nameStyle: z
    .array(z.enum(nameStyles))
    .max(nameStyles.length)
    // Kept in the order they apply, each once; none is the same as no style.
    .transform((chosen) => {
      const styles = nameStyles.filter((style) => chosen.includes(style));
      return styles.length > 0 ? styles : undefined;
    })
    .optional(),
});
export type Mapping = z.infer<typeof mappingSchema>;

/** The columns a mapping reads into record fields. */
export const mappedColumns = (mapping: Mapping): string[] =>
  recordFields.flatMap((field) => {
    const header = mapping[field];
    return header === undefined ? [] : [header];
  });

// Enough rows to tell a column of ranks from a column of genders, without reading 100,000.
const SAMPLE_ROWS = 500;
// Values overrule a header only when most of them agree: one typo must not unmap a column.
const CONVINCING_SHARE = 0.8;

/** A test of a column's non-blank sample values. */
type ColumnTest = (values: string[]) => boolean;

const mostly =
  (test: (value: string) => boolean): ColumnTest =>
  (values) =>
    values.length > 0 && values.filter(test).length >= values.length * CONVINCING_SHARE;
const not =
  (test: ColumnTest): ColumnTest =>
  (values) =>
    !test(values);

const holdsRanks = mostly((v) => readRank(v) !== undefined);
const holdsGenders = mostly((v) => readGender(v) !== undefined);
const holdsNoAges = mostly((v) => readAge(v) === undefined);
const holdsNoTimes = mostly((v) => readFinishTime(v) === undefined && statusMarker(v) === undefined);
const holdsNoRanks = mostly((v) => readRank(v) === undefined && statusMarker(v) === undefined);
// A "Sprache" column of "Deutsch" and "English" names languages but holds no tags: it stays an extra column.
const holdsLanguageTags = mostly((v) => readLanguage(v) !== undefined);
const holdsUniqueValues: ColumnTest = (values) => values.length > 0 && new Set(values).size === values.length;

/**
 * In order: the first rule whose header names match an unused column, and whose test the column's
 * values pass, fills the field, unless an earlier rule filled it. Headers decide; values only
 * settle what an ambiguous header means: Boston's "Gender" and "Division" columns hold ranks,
 * Berlin's "Kategorie" holds m and w.
 */
const rules: { field: RecordField; names: string[]; accepts?: ColumnTest }[] = [
  { field: 'bib', names: headerNames.bib },
  { field: 'name', names: headerNames.name },
  { field: 'firstName', names: headerNames.firstName },
  { field: 'lastName', names: headerNames.lastName },
  { field: 'finishTime', names: headerNames.finishTime, accepts: not(holdsNoTimes) },
  { field: 'status', names: headerNames.status },
  { field: 'gender', names: headerNames.gender, accepts: not(holdsRanks) },
  { field: 'rankGender', names: headerNames.rankGender },
  { field: 'rankGender', names: headerNames.gender, accepts: holdsRanks },
  { field: 'age', names: headerNames.age, accepts: not(holdsNoAges) },
  { field: 'gender', names: headerNames.category, accepts: holdsGenders },
  { field: 'rankCategory', names: headerNames.rankCategory },
  { field: 'rankCategory', names: headerNames.category, accepts: holdsRanks },
  { field: 'category', names: headerNames.category },
  { field: 'category', names: headerNames.age, accepts: holdsNoAges },
  { field: 'rankOverall', names: headerNames.rankOverall, accepts: not(holdsNoRanks) },
  { field: 'language', names: headerNames.language, accepts: holdsLanguageTags },
  // Without bibs, an id column tells participants apart from one import to the next, such as UTMB's
  // runnerUri: it is their key, not a bib to print (records/participant-key.ts).
  { field: 'participantKey', names: headerNames.participantId, accepts: holdsUniqueValues },
];

// Headers that mean the surname when a first-name column stands beside them (German "Name" next
// to "Vorname", French "Nom" next to "Prénom"), and the given name beside a surname column
// (Spanish "Nombre" next to "Apellidos").
const bareNameKeys = new Set(['name', 'nom', 'nombre']);

/**
 * Suggests which column fills which field, from header names in English, German, French and
 * Spanish and, where a header is ambiguous, from the first rows' values.
 */
export function suggestMapping(headers: string[], rows: string[][] = []): Mapping {
  const keys = headers.map(foldedKey);
  const sample = rows.slice(0, SAMPLE_ROWS);
  const valuesOf = (column: number) => sample.map((cells) => cells[column] ?? '').filter((v) => !isBlank(v));
  const used = new Set<number>();
  const mapping: Mapping = {};

  for (const { field, names, accepts } of rules) {
    if (mapping[field]) continue;
    for (const name of names) {
      const wanted = foldedKey(name);
      const column = keys.findIndex((key, i) => key === wanted && !used.has(i) && (!accepts || accepts(valuesOf(i))));
      if (column === -1) continue;
      mapping[field] = headers[column]!;
      used.add(column);
      break;
    }
  }

  // Beside a bib column an id column stays an extra one: the bibs tell participants apart.
  if (mapping.bib) delete mapping.participantKey;
  const { name, firstName, lastName } = mapping;
  if (name && (firstName || lastName)) {
    if ((firstName && lastName) || !bareNameKeys.has(foldedKey(name))) {
      delete mapping.firstName;
      delete mapping.lastName;
    } else {
      mapping[firstName ? 'lastName' : 'firstName'] = name;
      delete mapping.name;
    }
  }
  return mapping;
}

const listed = (headers: string[]) => {
  const shown = headers.slice(0, 12).map((h) => `"${h}"`);
  return headers.length > shown.length ? `${shown.join(', ')}, …` : shown.join(', ');
};

/**
 * Refuses a mapping that names a column the file lacks, or leaves a record without a name: every
 * row would be rejected, so the organiser has to choose columns first. A bib is not needed: a list
 * of names is enough for a certificate of participation.
 */
export function checkMapping(mapping: Mapping, headers: string[]): void {
  const unknown = mappedColumns(mapping).find((header) => !headers.includes(header));
  if (unknown !== undefined) {
    throw new ImportError(
      `The mapping names a column "${unknown}" that is not in the file. Its columns are ${listed(headers)}.`,
    );
  }
  if (!mapping.name && !mapping.firstName && !mapping.lastName) {
    throw new ImportError(
      headers.length < 2
        ? 'Found only one column, and it is not a name. The first line must name the columns, separated by ' +
            'commas, semicolons or tabs, like "Bib,Name,Time"; a list of names alone needs a first line like "Name".'
        : `Found no column for the name among the columns ${listed(headers)}. ` +
            'The first line of the file must name the columns, like "Bib,Name,Time"; or choose the columns by hand.',
    );
  }
}
