import { participantKey } from './participant-key';
import type { RecordInput } from './rules';

/**
 * A record ready to write, held as the JSON that is sent to D1: about a third of the memory of
 * the object, which is what lets a 100,000-row file fit in a Worker.
 */
export interface PreparedRecord {
  /** Who the participant is to imports (participant-key.ts); not part of `json`. */
  key: string;
  bib: string | null;
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

/** A record ready to write, its participant key derived from its bib or name (participant-key.ts). */
export const prepareRecord = (input: RecordInput): PreparedRecord => prepareRecordAs(input);

/**
 * A record ready to write as the participant with this key: a file's chosen key column, or the key
 * a stored record already has; derived from its bib or name when none is given.
 */
export function prepareRecordAs(input: RecordInput, key?: string): PreparedRecord {
  const json = canonicalJson(input);
  // Copies, not the input's strings: those may be slices of the whole file's text and keep it alive.
  const { bib, name } = JSON.parse(json) as { bib: unknown; name: unknown };
  // Checked here, before anything is staged: a large import is applied a chunk at a time after
  // its commit (import.ts), so the database must have no reason left to refuse one of them.
  if (typeof name !== 'string' || !name || (bib !== null && (typeof bib !== 'string' || !bib))) {
    throw new TypeError('A record needs a name, and its bib is text or none.');
  }
  const participant = key ?? participantKey({ bib, name });
  if (!participant) throw new TypeError('A record needs a participant key.');
  return { key: participant, bib, name, hidden: input.hidden ?? false, json };
}
