import Papa from 'papaparse';
import type { ParticipantRecord } from '../db/schema';

const fixedColumns = [
  'bib',
  'name',
  'status',
  'finishTime',
  'category',
  'gender',
  'age',
  'rankOverall',
  'rankGender',
  'rankCategory',
  'language',
  'hidden',
  'certificateUrl',
] as const;
type FixedColumn = (typeof fixedColumns)[number];

// OWASP's list of characters a spreadsheet reads as the start of a formula. papaparse's own
// escapeFormulae misses values holding a line break, so every cell is escaped here.
const formulaStart = /^[=+\-@\t\r]/;
export const formulaSafe = (cell: string) => (formulaStart.test(cell) ? `'${cell}` : cell);

/** Imported column names, each once, renamed where one would sit beside a fixed column of that name. */
function extraColumns(rows: ParticipantRecord[]): { key: string; header: string }[] {
  const taken = new Set<string>(fixedColumns.map((c) => c.toLowerCase()));
  const keys = new Set<string>();
  for (const r of rows) for (const key of Object.keys(r.extra ?? {})) keys.add(key);
  return [...keys].map((key) => {
    let header = key;
    for (let n = 1; taken.has(header.toLowerCase()); n++) header = `${key} (from file${n > 1 ? ` ${n}` : ''})`;
    taken.add(header.toLowerCase());
    return { key, header };
  });
}

/**
 * An event's records as CSV, with each certificate's URL and every imported column. Cells a
 * spreadsheet would run as a formula get a leading quote, as OWASP advises for CSV exports.
 */
export function recordsCsv(rows: ParticipantRecord[], certificateUrl: (r: ParticipantRecord) => string): string {
  const extras = extraColumns(rows);
  const fixed = (r: ParticipantRecord): Record<FixedColumn, string | number> => ({
    bib: r.bib ?? '',
    name: r.name,
    status: r.status,
    finishTime: r.finishTime ?? '',
    category: r.category ?? '',
    gender: r.gender ?? '',
    age: r.age ?? '',
    rankOverall: r.rankOverall ?? '',
    rankGender: r.rankGender ?? '',
    rankCategory: r.rankCategory ?? '',
    language: r.language ?? '',
    hidden: r.hidden ? 'yes' : 'no',
    certificateUrl: certificateUrl(r),
  });
  // Rows as arrays, not objects: an imported column named "__proto__" or "constructor" is just a
  // name, and only the record's own keys are read.
  const table = [
    [...fixedColumns, ...extras.map((e) => e.header)],
    ...rows.map((r) => {
      const values = fixed(r);
      const extra = r.extra ?? {};
      return [
        ...fixedColumns.map((c) => String(values[c])),
        ...extras.map(({ key }) => (Object.hasOwn(extra, key) ? String(extra[key]) : '')),
      ];
    }),
  ];
  return Papa.unparse(table.map((cells) => cells.map(formulaSafe)));
}
