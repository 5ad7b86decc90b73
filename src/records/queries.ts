import { and, asc, count, eq, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { MIN_TYPO_LENGTH, NAME_IN_FILE, nameTerms } from './terms';
import { nameWords, records, recordTerms, type ParticipantRecord } from '../db/schema';
import { editedFields } from './corrections';
import { keyAfterEdit, participantKey } from './participant-key';
import { removeRecords } from './removal';
import type { RecordInput } from './rules';
import { bibSearchQuery, resultOrder } from './search';

/** One page of an event's records for the organiser, hidden ones included. */
export async function listRecords(db: Database, eventId: number, page: number, pageSize: number) {
  const [rows, [total]] = await db.batch([
    db
      .select()
      .from(records)
      .where(eq(records.eventId, eventId))
      .orderBy(...resultOrder, asc(records.bib))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(records).where(eq(records.eventId, eventId)),
  ]);
  return { rows, total: total!.n };
}

export async function findEventRecord(db: Database, eventId: number, recordId: number) {
  return db.query.records.findFirst({ where: and(eq(records.eventId, eventId), eq(records.id, recordId)) });
}

export async function setRecordHidden(db: Database, recordId: number, hidden: boolean) {
  await db.update(records).set({ hidden, updatedAt: new Date() }).where(eq(records.id, recordId));
}

/** Takes a record out of the event by hand: its link stops working, and it can be restored for 30 days. */
export const deleteRecord = (db: Database, record: ParticipantRecord) =>
  removeRecords(db, record.eventId, [record.id], 'hand');

/**
 * Changes one record by hand, bib included, and rewrites its search terms in the same
 * transaction. The changed fields become hand corrections (corrections.ts); a new bib for someone
 * known by their bib makes it their key (participant-key.ts).
 */
export async function updateRecord(db: Database, record: ParticipantRecord, input: RecordInput) {
  const { hidden: _keepHidden, ...fields } = input;
  // Every field changed by hand is a correction the next import leaves alone.
  const handEdited = editedFields(record, input);
  await db.batch([
    db
      .update(records)
      .set({
        ...fields,
        participantKey: keyAfterEdit(record, input.bib),
        handEdited: handEdited.length > 0 ? handEdited : null,
        updatedAt: new Date(),
      })
      .where(eq(records.id, record.id)),
    ...termStatements(db, { ...record, ...input }),
  ]);
}

/** The statements that give a record the search terms of its name, and its event the words. */
function termStatements(db: Database, record: Pick<ParticipantRecord, 'id' | 'eventId' | 'name' | 'extra'>) {
  const terms = nameTerms(record.name, record.extra?.[NAME_IN_FILE]);
  const words = terms.filter((term) => term.length >= MIN_TYPO_LENGTH);
  return [
    db.delete(recordTerms).where(eq(recordTerms.recordId, record.id)),
    ...(terms.length > 0
      ? [db.insert(recordTerms).values(terms.map((term) => ({ eventId: record.eventId, term, recordId: record.id })))]
      : []),
    ...(words.length > 0
      ? [
          db
            .insert(nameWords)
            .values(words.map((word) => ({ eventId: record.eventId, word })))
            .onConflictDoNothing(),
        ]
      : []),
    db.update(records).set({ termsOutdated: false }).where(eq(records.id, record.id)),
  ];
}

// Records whose terms are made anew in one batch (four statements each), and batches per cron run.
const OUTDATED_TERMS_BATCH = 100;
const OUTDATED_TERMS_BATCHES = 20;

/**
 * Makes anew the search terms of records an older rule made them for (a migration marks them),
 * up to 2,000 each time the cron runs. The number of records done.
 */
export async function refreshOutdatedTerms(db: Database): Promise<number> {
  let done = 0;
  for (let batch = 0; batch < OUTDATED_TERMS_BATCHES; batch++) {
    const outdated = await db
      .select({ id: records.id, eventId: records.eventId, name: records.name, extra: records.extra })
      .from(records)
      .where(eq(records.termsOutdated, true))
      .limit(OUTDATED_TERMS_BATCH);
    const [head, ...tail] = outdated.flatMap((record) => termStatements(db, record));
    if (!head) break;
    await db.batch([head, ...tail]);
    done += outdated.length;
  }
  return done;
}

/** Every record of an event in the order they were added, hidden ones included, for the CSV export. */
export const allRecords = (db: Database, eventId: number) =>
  db.select().from(records).where(eq(records.eventId, eventId)).orderBy(records.id);

/** Records counted by category and finished or not: the groups that template rules choose between. */
export const recordGroups = (db: Database, eventId: number) =>
  db
    .select({ category: records.category, finished: sql<number>`${records.status} = 'finished'`, n: count() })
    .from(records)
    .where(eq(records.eventId, eventId))
    .groupBy(records.category, sql`2`);

export type RecordGroup = Awaited<ReturnType<typeof recordGroups>>[number];

/**
 * The record with this participant key (a bib, `key:…` or `name:…`), else the one with this bib,
 * hidden or not: how the organiser API names a record.
 */
export async function findRecordByKey(
  db: Database,
  eventId: number,
  key: string,
): Promise<ParticipantRecord | undefined> {
  const found = await db
    .select()
    .from(records)
    .where(and(eq(records.eventId, eventId), or(eq(records.participantKey, key), eq(records.bib, key))));
  return found.find((r) => r.participantKey === key) ?? found[0];
}

/**
 * Why a record typed in by hand cannot be saved as given, or undefined: its bib, or the key it
 * would get, belongs to someone else in the event. `editing` is the record being changed.
 */
export async function recordClash(
  db: Database,
  eventId: number,
  input: RecordInput,
  editing?: ParticipantRecord,
): Promise<string | undefined> {
  const key = editing ? keyAfterEdit(editing, input.bib) : participantKey({ bib: input.bib, name: input.name });
  const bibChanged = input.bib && input.bib !== editing?.bib;
  if (!bibChanged && key === editing?.participantKey) return undefined;
  const found = await db
    .select()
    .from(records)
    .where(
      and(
        eq(records.eventId, eventId),
        or(eq(records.participantKey, key), bibChanged ? eq(records.bib, input.bib!) : undefined),
      ),
    );
  const other = found.find((r) => r.id !== editing?.id);
  if (!other) return undefined;
  return input.bib
    ? `Bib ${input.bib} already belongs to ${other.name}.`
    : `${other.name} is already in the event without a bib. Give one of them a bib to tell them apart.`;
}

/** The record with this bib, hidden or not, for the organiser. */
export async function findRecordByBib(
  db: Database,
  eventId: number,
  bib: string,
): Promise<ParticipantRecord | undefined> {
  const [record] = await bibSearchQuery(db, eventId, bib, { includeHidden: true });
  return record;
}
