import { z } from 'zod';
import { MAX_KEY_VALUE_LENGTH, nameKey, participantKey } from '../records/participant-key';
import { prepareRecordAs, type PreparedRecord } from '../records/prepared';
import { recordLimits, type RecordInput, type RecordStatus } from '../records/rules';
import { NAME_IN_FILE } from '../records/terms';
import { mappedColumns, recordFieldLabels, type Mapping, type RecordField } from './mapping';
import { nameStyles, styleName } from './names';
import { ImportError } from './import-error';
import { MAX_EXTRA_COLUMNS } from './limits';
import type { TableRow } from './parse';
import type { DuplicateParticipant, RejectedRow } from './plan';
import { statusMarker } from './status';
import { isBlank, readAge, readFinishTime, readGender, readLanguage, readRank } from './values';

/** Records read from a table's rows, and the rows that could not become one. */
export interface RecordRows {
  /** Kept in their compact, ready-to-write form: a large file's records are the import's biggest cost. */
  records: PreparedRecord[];
  /** The first records as objects, for the organiser to check before importing. */
  preview: RecordInput[];
  /** Names as the file writes them, for the name style's preview (see ImportPlan). */
  sampleNames: string[];
  rejected: RejectedRow[];
  duplicates: DuplicateParticipant[];
}

const PREVIEW_RECORDS = 10;
const SAMPLE_NAMES = 5;
// Names looked at for the sample: a file whose names no style changes is not read twice over.
const SAMPLE_ROWS = 1000;

const quoted = (value: string) => `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

// UTMB's runnerUri is "<runner number>.<first name>.<last name>"; the number alone identifies the
// runner (a corrected spelling of the name keeps it), and fits a bib, while the whole often does not.
const runnerProfileId = /^(\d+)\.\p{L}[\p{L}\p{M}\p{N}'-]*(?:\.[\p{L}\p{M}\p{N}'-]+)+$/u;

/** A bib, or a value of the key column, as a short id: empty is none (the row's key is decided later). */
const shortId = (max: number) =>
  z.string().transform((value, ctx) => {
    if (!value) return null;
    const id = runnerProfileId.exec(value)?.[1] ?? value;
    if (id.length > max) return fail(ctx, `${quoted(value)} is longer than ${max} characters`);
    return id;
  });
const bib = shortId(recordLimits.bib);
const keyValue = shortId(MAX_KEY_VALUE_LENGTH);

const requiredText = (max: number) =>
  z.string().transform((value, ctx) => {
    if (!value) return fail(ctx, 'is empty');
    if (value.length > max) return fail(ctx, `${quoted(value)} is longer than ${max} characters`);
    return value;
  });

const optionalText = (max: number) =>
  z.string().transform((value, ctx) => {
    if (value.length > max) return fail(ctx, `${quoted(value)} is longer than ${max} characters`);
    return value || null;
  });

const reading = <T>(read: (value: string) => T | undefined, problem: string) =>
  z.string().transform((value, ctx) => {
    const result = read(value);
    return result === undefined ? fail(ctx, `${quoted(value)} ${problem}`) : result;
  });

const rank = reading(readRank, 'is not a rank');

/** One row's values by field, checked and normalised into what a record holds. */
const recordSchema = z.object({
  bib,
  /** The key column's value, for someone without a bib; not a field of the record (see participant-key.ts). */
  participantKey: keyValue,
  name: requiredText(recordLimits.name),
  category: optionalText(recordLimits.category),
  gender: reading(readGender, 'is not a gender (M, F or X)'),
  age: reading(readAge, 'is not an age in years'),
  finishTime: reading(readFinishTime, 'is not a time like 2:09:37'),
  rankOverall: rank,
  rankGender: rank,
  rankCategory: rank,
  language: reading(readLanguage, 'is not a language tag such as ja, zh-Hant, ur or fa'),
});

const markedFields = ['status', 'finishTime', 'rankOverall', 'rankGender', 'rankCategory'] as const;

/**
 * Turns each data row into a record by the mapping. A time or rank cell saying DNF, DNS or DSQ,
 * or a status column saying so, sets the status; so does an empty time in a file that has a time
 * column (a file without one, say for a fun run, is all finishers). Such records get no time and
 * no ranks. Each participant is known by their bib, else by the key column's value, else by their
 * name as the file writes it (records/participant-key.ts). Rows without a name, without a bib in a
 * file that maps one (and no key column), without a value in the key column, or with a value that
 * cannot be read, are rejected; so is every row after the first that claims the same participant.
 * Rows are read one at a time as the file is parsed, so the whole table is never in memory next to
 * its records.
 */
export function recordReader(
  headers: string[],
  mapping: Mapping,
): { read: (row: TableRow) => void; finish: () => RecordRows } {
  const columnOf = new Map(headers.map((header, i) => [header, i]));
  const mapped = new Set(mappedColumns(mapping));
  const extraColumns = headers.flatMap((header, i) => (mapped.has(header) ? [] : [{ header, i }]));
  if (extraColumns.length > MAX_EXTRA_COLUMNS) {
    throw new ImportError(
      `The file has ${extraColumns.length} columns besides those read into record fields; ` +
        `at most ${MAX_EXTRA_COLUMNS} can be kept. Remove the columns you do not need and upload it again.`,
    );
  }
  const nameColumns = mapping.name
    ? [mapping.name]
    : [mapping.firstName, mapping.lastName].filter((h) => h !== undefined);
  const columnText = (field: RecordField) => {
    const headers = field === 'name' ? nameColumns : [mapping[field]];
    return headers.length > 1 ? `columns ${headers.map((h) => `"${h}"`).join(', ')}` : `column "${headers[0]}"`;
  };

  const records: PreparedRecord[] = [];
  const preview: RecordInput[] = [];
  const rejected: RejectedRow[] = [];
  const linesByKey = new Map<string, number[]>();
  // What the duplicates share, noted when one is found: the rest of the file needs no such note.
  const duplicateOf = new Map<string, Pick<DuplicateParticipant, 'bib' | 'name'>>();
  // The name style's preview shows names a style changes, if the file has them, else the first.
  const restyled: { line: number; name: string }[] = [];
  const first: { line: number; name: string }[] = [];
  let sampled = 0;
  const sample = (line: number, name: string) => {
    if (!name || restyled.length >= SAMPLE_NAMES || ++sampled > SAMPLE_ROWS) return;
    if (styleName(name, nameStyles) !== name) restyled.push({ line, name });
    else if (first.length < SAMPLE_NAMES) first.push({ line, name });
  };

  const read = ({ line, cells }: TableRow) => {
    const cell = (field: RecordField) => {
      const header = mapping[field];
      return header === undefined ? '' : (cells[columnOf.get(header)!] ?? '');
    };
    const marker = markedFields.map((field) => statusMarker(cell(field))).find((status) => status !== undefined);
    const status: RecordStatus =
      marker ?? (mapping.finishTime && readFinishTime(cell('finishTime')) === null ? 'dnf' : 'finished');
    const finished = status === 'finished';
    const written = cell('name') || [cell('firstName'), cell('lastName')].filter(Boolean).join(' ');
    const parsed = recordSchema.safeParse({
      participantKey: cell('participantKey'),
      bib: cell('bib'),
      name: styleName(written, mapping.nameStyle),
      category: cell('category'),
      gender: cell('gender'),
      age: cell('age'),
      finishTime: finished ? cell('finishTime') : '',
      rankOverall: finished ? cell('rankOverall') : '',
      rankGender: finished ? cell('rankGender') : '',
      rankCategory: finished ? cell('rankCategory') : '',
      language: cell('language'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path[0] as RecordField;
      rejected.push({ line, reason: `${recordFieldLabels[field]} ${issue.message} (${columnText(field)})` });
      return;
    }

    const { participantKey: keyColumnValue, ...fields } = parsed.data;
    // A file with a bib column but no key column: a row without a bib is more likely broken than
    // someone to know by name alone.
    const missing: RecordField | undefined = fields.bib
      ? undefined
      : mapping.participantKey && !keyColumnValue
        ? 'participantKey'
        : !mapping.participantKey && mapping.bib
          ? 'bib'
          : undefined;
    if (missing) {
      rejected.push({ line, reason: `${recordFieldLabels[missing]} is empty (${columnText(missing)})` });
      return;
    }
    const key = participantKey({ bib: fields.bib, keyValue: keyColumnValue, name: written });
    const lines = linesByKey.get(key);
    if (lines) {
      lines.push(line);
      const byName = key === nameKey(written);
      duplicateOf.set(key, { bib: fields.bib, name: byName ? fields.name : null });
      const reason = fields.bib
        ? `bib ${fields.bib} is already on line ${lines[0]}`
        : byName
          ? `${fields.name} is already on line ${lines[0]}: to import both, choose a column that tells them apart, such as an email, as the ${recordFieldLabels.participantKey}`
          : `${recordFieldLabels.participantKey} ${quoted(keyColumnValue ?? '')} is already on line ${lines[0]} (${columnText('participantKey')})`;
      rejected.push({ line, reason });
      return;
    }
    linesByKey.set(key, [line]);

    const extra: Record<string, string> = Object.fromEntries(
      extraColumns.flatMap(({ header, i }) => {
        const value = cells[i] ?? '';
        return isBlank(value) ? [] : [[header, value]];
      }),
    );
    // A restyled name keeps the file's spelling beside it, shown to the organiser and searched too.
    if (fields.name !== written) extra[NAME_IN_FILE] = written;
    const record: RecordInput = { ...fields, status, extra: Object.keys(extra).length > 0 ? extra : null };
    if (preview.length < PREVIEW_RECORDS) preview.push(record);
    sample(line, written);
    records.push(prepareRecordAs(record, key));
  };

  const finish = (): RecordRows => {
    // Only participants seen more than once are worth reporting; the rest of the map can go.
    const duplicates = [...duplicateOf]
      .map(([key, shared]) => ({ key, ...shared, lines: linesByKey.get(key)! }))
      .sort((a, b) => a.lines[0]! - b.lines[0]!);
    const sampleNames = [...restyled, ...first]
      .slice(0, SAMPLE_NAMES)
      .sort((a, b) => a.line - b.line)
      .map((s) => s.name);
    return { records, preview, rejected, duplicates, sampleNames };
  };
  return { read, finish };
}
