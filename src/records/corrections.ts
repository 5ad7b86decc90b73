import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { records, type ParticipantRecord } from '../db/schema';
import { keyAfterEdit } from './participant-key';
import { recordFieldOrder } from './prepared';
import type { RecordInput } from './rules';

/**
 * The fields a hand correction can cover: everything an import writes but extra columns. The bib
 * only where it is not the participant's key (participant-key.ts keyAfterEdit).
 */
const correctableFields = recordFieldOrder.filter(
  (f): f is Exclude<(typeof recordFieldOrder)[number], 'bib' | 'extra'> => f !== 'bib' && f !== 'extra',
);
type Field = (typeof correctableFields)[number] | 'bib';

/** A hand correction an import left alone, and what the file said instead. */
export interface KeptCorrection {
  /** The participant's bib, null for someone without one: then their name tells who. */
  bib: string | null;
  name: string;
  field: string;
  file: unknown;
}

/** The fields an edit changes: they become hand corrections, which imports leave alone. */
export function editedFields(record: ParticipantRecord, input: RecordInput): string[] {
  const changed: Field[] = correctableFields.filter((f) => (input[f] ?? null) !== (record[f] ?? null));
  const bib = input.bib ?? null;
  if (bib !== record.bib && keyAfterEdit(record, bib) === record.participantKey) changed.push('bib');
  return [...new Set([...(record.handEdited ?? []), ...changed])];
}

/**
 * A file's record with the organiser's corrections kept: each corrected field keeps its value,
 * and where the file says otherwise that is noted (in `fileValues` and the import's report).
 */
export function keepCorrections(
  fromFile: Record<string, unknown>,
  corrected: ParticipantRecord,
): { record: Record<string, unknown>; fileValues: Record<string, unknown> | null; kept: KeptCorrection[] } {
  const record = { ...fromFile };
  const fileValues: Record<string, unknown> = {};
  const kept: KeptCorrection[] = [];
  for (const field of corrected.handEdited ?? []) {
    const mine = corrected[field as Field] ?? null;
    const file = fromFile[field] ?? null;
    record[field] = mine;
    if (file !== mine) {
      fileValues[field] = file;
      kept.push({ bib: corrected.bib, name: corrected.name, field, file });
    }
  }
  return { record, fileValues: kept.length > 0 ? fileValues : null, kept };
}

/**
 * Takes the file's value for corrected fields (all of them, or those named): the field is no
 * longer a correction, and the next import writes it again.
 */
export async function useFileValues(db: Database, record: ParticipantRecord, fields?: string[]) {
  const chosen = (record.handEdited ?? []).filter((f) => !fields || fields.includes(f));
  const fileValues = { ...record.fileValues };
  const update: Record<string, unknown> = {};
  for (const field of chosen) {
    if (field in fileValues) update[field] = fileValues[field];
    delete fileValues[field];
  }
  const handEdited = (record.handEdited ?? []).filter((f) => !chosen.includes(f));
  await db
    .update(records)
    .set({
      ...update,
      handEdited: handEdited.length > 0 ? handEdited : null,
      fileValues: Object.keys(fileValues).length > 0 ? fileValues : null,
      updatedAt: new Date(),
    })
    .where(eq(records.id, record.id));
}
