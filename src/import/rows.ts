import { z } from 'zod';
import { prepareRecord, type PreparedRecord } from '../records/prepared';
import { recordLimits, type RecordInput, type RecordStatus } from '../records/rules';
import { recordFieldLabels, type Mapping, type RecordField } from './mapping';
import { ImportError } from './import-error';
import { MAX_EXTRA_COLUMNS } from './limits';
import type { TableRow } from './parse';
import type { DuplicateBib, RejectedRow } from './plan';
import { statusMarker } from './status';
import { isBlank, readAge, readFinishTime, readGender, readLanguage, readRank } from './values';

/** Records read from a table's rows, and the rows that could not become one. */
export interface RecordRows {
  /** Kept in their compact, ready-to-write form: a large file's records are the import's biggest cost. */
  records: PreparedRecord[];
  /** The first records as objects, for the organiser to check before importing. */
  preview: RecordInput[];
  rejected: RejectedRow[];
  duplicates: DuplicateBib[];
}

const PREVIEW_RECORDS = 10;

const quoted = (value: string) => `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

// UTMB's runnerUri is "<runner number>.<first name>.<last name>"; the number alone identifies the
// runner and fits a bib, while the whole often does not.
const runnerProfileId = /^(\d+)\.\p{L}[\p{L}\p{M}\p{N}'-]*(?:\.[\p{L}\p{M}\p{N}'-]+)+$/u;

const bib = z.string().transform((value, ctx) => {
  if (!value) return fail(ctx, 'is empty');
  const bib = runnerProfileId.exec(value)?.[1] ?? value;
  if (bib.length > recordLimits.bib) return fail(ctx, `${quoted(value)} is longer than ${recordLimits.bib} characters`);
  return bib;
});

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
 * no ranks. Rows without a bib or a name, or with a value that cannot be read, are rejected; so is
 * every row after the first that claims the same bib. Rows are read one at a time as the file is
 * parsed, so the whole table is never in memory next to its records.
 */
export function recordReader(
  headers: string[],
  mapping: Mapping,
): { read: (row: TableRow) => void; finish: () => RecordRows } {
  const columnOf = new Map(headers.map((header, i) => [header, i]));
  const mapped = new Set(Object.values(mapping));
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
  const linesByBib = new Map<string, number[]>();

  const read = ({ line, cells }: TableRow) => {
    const cell = (field: RecordField) => {
      const header = mapping[field];
      return header === undefined ? '' : (cells[columnOf.get(header)!] ?? '');
    };
    const marker = markedFields.map((field) => statusMarker(cell(field))).find((status) => status !== undefined);
    const status: RecordStatus =
      marker ?? (mapping.finishTime && readFinishTime(cell('finishTime')) === null ? 'dnf' : 'finished');
    const finished = status === 'finished';
    const parsed = recordSchema.safeParse({
      bib: cell('bib'),
      name: cell('name') || [cell('firstName'), cell('lastName')].filter(Boolean).join(' '),
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

    const lines = linesByBib.get(parsed.data.bib);
    if (lines) {
      lines.push(line);
      rejected.push({ line, reason: `bib ${parsed.data.bib} is already on line ${lines[0]}` });
      return;
    }
    linesByBib.set(parsed.data.bib, [line]);

    const extra = Object.fromEntries(
      extraColumns.flatMap(({ header, i }) => {
        const value = cells[i] ?? '';
        return isBlank(value) ? [] : [[header, value]];
      }),
    );
    const record: RecordInput = { ...parsed.data, status, extra: Object.keys(extra).length > 0 ? extra : null };
    if (preview.length < PREVIEW_RECORDS) preview.push(record);
    records.push(prepareRecord(record));
  };

  const finish = (): RecordRows => {
    // Only bibs seen more than once are worth reporting; the rest of the map can go.
    const duplicates = [...linesByBib].flatMap(([bib, lines]) => (lines.length > 1 ? [{ bib, lines }] : []));
    return { records, preview, rejected, duplicates };
  };
  return { read, finish };
}
