import { and, desc, eq, gte, isNotNull, lt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { imports, records, removedRecords, type RemovedRecord } from '../db/schema';
import type { RecordInput } from './rules';

/** How long a removed record can be restored; after that it is gone, and so is its link. */
export const KEEP_REMOVED_DAYS = 30;
const KEEP_REMOVED_MS = KEEP_REMOVED_DAYS * 24 * 3600 * 1000;
// An import may remove at most this share of an event's records without the organiser's word.
const MAX_UNCONFIRMED_SHARE = 0.05;

/** Removals an import held back for the organiser to confirm, and why. */
export interface HeldRemovals {
  reason: string;
  /** Their participant keys (participant-key.ts): bibs, or `key:…` and `name:…` for those without. */
  bibs: string[];
}

/**
 * Why an import's removals must wait for the organiser, or undefined when they may go ahead: a
 * file with unreadable rows, or one that would take out more than 5 % of the event, is more
 * likely broken or half-written than a real change of the start list.
 */
export function removalHold(missing: number, existing: number, rejected: number): string | undefined {
  if (missing === 0) return undefined;
  if (rejected > 0) return `the file has ${rejected} ${rejected === 1 ? 'row' : 'rows'} that could not be read`;
  if (missing > existing * MAX_UNCONFIRMED_SHARE) {
    return `it would remove ${missing} of ${existing} records, more than ${MAX_UNCONFIRMED_SHARE * 100} %`;
  }
  return undefined;
}

/** A record's fields as prepareRecord's JSON plus `hidden`, from a row of `records` (SQL). */
const RECORD_JSON = `json_object('bib', bib, 'name', name, 'category', category, 'gender', gender, 'age', age,
  'finishTime', finish_time, 'rankOverall', rank_overall, 'rankGender', rank_gender, 'rankCategory', rank_category,
  'status', status, 'language', language, 'extra', json(extra), 'hidden', hidden)`;

/**
 * SQL that keeps the records matching `where` in removed_records (?R is the reason, ?T the time),
 * to be followed by deleting them: the caller runs both in one batch.
 */
export const archiveRecordsSql = (where: string, reason: string, time: string) => `
  INSERT INTO removed_records (event_id, participant_key, bib, name, certificate_id, record, reason, removed_at)
  SELECT event_id, participant_key, bib, name, certificate_id, ${RECORD_JSON}, ${reason}, ${time}
  FROM records WHERE ${where}`;

const byIds = 'event_id = ?1 AND id IN (SELECT value FROM json_each(?2))';

/** Removes records of an event by id, keeping them restorable: one batch, all or nothing. */
export async function removeRecords(db: Database, eventId: number, recordIds: number[], reason: 'hand' | 'source') {
  if (recordIds.length === 0) return;
  const d1 = db.$client;
  const ids = JSON.stringify(recordIds);
  await d1.batch([
    d1.prepare(archiveRecordsSql(byIds, '?3', '?4')).bind(eventId, ids, reason, Date.now()),
    d1
      .prepare(`DELETE FROM record_terms WHERE record_id IN (SELECT id FROM records WHERE ${byIds})`)
      .bind(eventId, ids),
    d1.prepare(`DELETE FROM records WHERE ${byIds}`).bind(eventId, ids),
  ]);
}

/** The event's removed records that can still be restored, most recent first. */
export const listRemovedRecords = (db: Database, eventId: number, limit = 200) =>
  db
    .select()
    .from(removedRecords)
    .where(
      and(eq(removedRecords.eventId, eventId), gte(removedRecords.removedAt, new Date(Date.now() - KEEP_REMOVED_MS))),
    )
    .orderBy(desc(removedRecords.removedAt), desc(removedRecords.id))
    .limit(limit);

export const findRemovedRecord = (db: Database, eventId: number, removedId: number) =>
  db.query.removedRecords.findFirst({
    where: and(eq(removedRecords.eventId, eventId), eq(removedRecords.id, removedId)),
  });

/** Forgets removed records older than KEEP_REMOVED_DAYS. */
export const purgeRemovedRecords = (db: Database) =>
  db.delete(removedRecords).where(lt(removedRecords.removedAt, new Date(Date.now() - KEEP_REMOVED_MS)));

/** The record a removed one was, ready to import again (the import gives back its certificate id). */
export function removedRecordInput(removed: RemovedRecord): RecordInput {
  const { hidden, ...fields } = JSON.parse(removed.record) as Omit<RecordInput, 'hidden'> & { hidden: number };
  return { ...fields, hidden: Boolean(hidden) };
}

/** The event's latest import (or the one given) whose removals wait for the organiser. */
export const findHeldImport = (db: Database, eventId: number, importId?: number) =>
  db.query.imports.findFirst({
    where: and(
      eq(imports.eventId, eventId),
      isNotNull(imports.heldRemovals),
      importId === undefined ? undefined : eq(imports.id, importId),
    ),
    orderBy: desc(imports.id),
  });

/**
 * Carries out the removals an import held back, for the records still as that import left them:
 * a record imported or edited since is someone who came back, and stays.
 */
export async function confirmHeldRemovals(
  db: Database,
  eventId: number,
  importId: number,
): Promise<number | undefined> {
  const held = await findHeldImport(db, eventId, importId);
  if (!held?.heldRemovals) return undefined;
  const d1 = db.$client;
  const where = 'event_id = ?1 AND participant_key IN (SELECT value FROM json_each(?2)) AND updated_at <= ?5';
  const binds = [eventId, JSON.stringify(held.heldRemovals.bibs), 'import', Date.now(), held.createdAt.getTime()];
  const [archived] = await d1.batch([
    d1.prepare(archiveRecordsSql(where, '?3', '?4')).bind(...binds),
    d1.prepare(`DELETE FROM record_terms WHERE record_id IN (SELECT id FROM records WHERE ${where})`).bind(...binds),
    d1.prepare(`DELETE FROM records WHERE ${where}`).bind(...binds),
    d1.prepare('UPDATE imports SET held_removals = NULL WHERE id = ?1 AND event_id = ?2').bind(importId, eventId),
  ]);
  const removed = archived!.meta.changes;
  await db
    .update(imports)
    .set({ removed: held.removed + removed })
    .where(eq(imports.id, importId));
  return removed;
}

/**
 * A removed record to put back, with its old certificate id once imported under its participant
 * key; refused when someone else has that key (their bib) again.
 */
export async function restorableInput(
  db: Database,
  removed: RemovedRecord,
): Promise<{ input: RecordInput; key: string } | string> {
  const taken = await db.query.records.findFirst({
    where: and(eq(records.eventId, removed.eventId), eq(records.participantKey, removed.participantKey)),
  });
  if (taken) {
    return removed.bib === removed.participantKey
      ? `Bib ${removed.bib} belongs to ${taken.name} now.`
      : `${taken.name} is in the event again, imported since ${removed.name} was removed.`;
  }
  return { input: removedRecordInput(removed), key: removed.participantKey };
}
