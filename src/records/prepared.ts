import type { RecordInput } from './rules';

/**
 * A record ready to write, held as the JSON that is sent to D1: about a third of the memory of
 * the object, which is what lets a 100,000-row file fit in a Worker.
 */
export interface PreparedRecord {
  bib: string;
  name: string;
  hidden: boolean;
  /** The compared fields in a fixed order, so equal records have equal JSON. */
  json: string;
}

/**
 * A record's fields in the order its JSON is written. A field added later (language) is null in
 * the rows written before it and in a file without its column, so it changes no record's hash:
 * an unchanged file re-imported is still unchanged.
 */
export const recordFieldOrder = [
  'bib',
  'name',
  'category',
  'gender',
  'age',
  'finishTime',
  'rankOverall',
  'rankGender',
  'rankCategory',
  'status',
  'language',
  'extra',
] as const;

type RecordFields = { [K in (typeof recordFieldOrder)[number]]?: unknown };

export const canonicalJson = (record: RecordFields) =>
  JSON.stringify(
    Object.fromEntries(
      recordFieldOrder.map((f) => [f, f === 'status' ? (record.status ?? 'finished') : (record[f] ?? null)]),
    ),
  );

export function prepareRecord(input: RecordInput): PreparedRecord {
  const json = canonicalJson(input);
  // Copies, not the input's strings: those may be slices of the whole file's text and keep it alive.
  const { bib, name } = JSON.parse(json) as { bib: unknown; name: unknown };
  // Checked here, before anything is staged: a large import is applied a chunk at a time after
  // its commit (import.ts), so the database must have no reason left to refuse one of them.
  if (typeof bib !== 'string' || !bib || typeof name !== 'string' || !name) {
    throw new TypeError('A record needs a bib and a name.');
  }
  return { bib, name, hidden: input.hidden ?? false, json };
}
