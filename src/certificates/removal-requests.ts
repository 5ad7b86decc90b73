import { and, asc, eq, like, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import { events, records, removalAnswers, removalRequests, type Event, type ParticipantRecord } from '../db/schema';
import { setRecordHidden } from '../records/queries';
import { NAME_IN_FILE } from '../records/terms';

/**
 * A participant's own say over their certificate: they ask to remove it, and if they know the
 * answer to the event's removal check (a column only they and the organiser know, such as an
 * email), it is hidden at once. Otherwise the request waits on the Records tab for the organiser.
 * Not to be confused with records/removal.ts, where imports and organisers remove records.
 */

/** Answers a record's removal check may get: enough for a typo, too few to guess a year of birth. */
export const MAX_REMOVAL_ANSWERS = 5;

/** What a participant types to confirm; control characters are refused, not stripped. */
export const removalFormSchema = z.object({
  answer: z
    .string()
    .max(200, 'That answer is too long: type it as you gave it when registering.')
    .refine((a) => !/\p{Cc}/u.test(a), 'The answer holds control characters: type it as you gave it when registering.')
    .optional(),
});

/** The organiser's choice of check: a column setRemovalCheck finds in the event, or empty for none. */
export const removalCheckFormSchema = z.object({ check: z.string().max(300, 'Choose one of the event’s columns.') });

/** An organiser's decision on a request that waits. */
export const removalDecisionSchema = z.object({ decision: z.enum(['accept', 'refuse']) });

/**
 * The event's removal check: `extra:<column>` for a column of the results file that has no field
 * of its own, `participantKey` for the column imports know participants by (an email, say), `age`.
 * What a certificate or the verify page shows (name, bib, times, ranks) cannot prove anyone is
 * who they say, and a gender is guessed in three tries, so those are not offered.
 */
export type RemovalCheck = `extra:${string}` | 'participantKey' | 'age';

export interface RemovalCheckOption {
  value: RemovalCheck;
  /** For the organiser: which column this is. */
  label: string;
}

/** How the organiser reads a check. */
export function removalCheckLabel(check: string): string {
  if (check.startsWith('extra:')) return `the “${check.slice('extra:'.length)}” column`;
  if (check === 'participantKey') return 'the column imports know participants by (the participant key)';
  return 'the age';
}

/**
 * What the check asks the participant: a kind of answer, or a column by the name the results file
 * gives it. The portal words it in the participant's language.
 */
export type RemovalQuestion =
  | { ask: 'email' | 'yearOfBirth' | 'participantKey' | 'age' }
  | { ask: 'column'; column: string };

/** The check's question for the participant: an email or a year of birth is asked for as such, whatever the column's name. */
export function removalQuestion(check: string): RemovalQuestion {
  const column = check.startsWith('extra:') ? check.slice('extra:'.length) : '';
  if (/e-?mail/i.test(column)) return { ask: 'email' };
  if (/birth|yob|jahrgang|geburt/i.test(column)) return { ask: 'yearOfBirth' };
  if (column) return { ask: 'column', column };
  if (check === 'participantKey') return { ask: 'participantKey' };
  return { ask: 'age' };
}

/** The checks an organiser may choose for an event: its extra columns, its key column, the age. */
export async function removalCheckOptions(db: Database, eventId: number): Promise<RemovalCheckOption[]> {
  const [columns, keyed] = await Promise.all([
    db.all<{ column: string }>(
      sql`SELECT DISTINCT j.key AS "column" FROM ${records}, json_each(${records.extra}) j
          WHERE ${records.eventId} = ${eventId} AND ${records.extra} IS NOT NULL ORDER BY 1`,
    ),
    db
      .select({ id: records.id })
      .from(records)
      .where(and(eq(records.eventId, eventId), like(records.participantKey, 'key:%')))
      .limit(1),
  ]);
  const extra = columns
    .map((c) => c.column)
    // The name as the file wrote it is as public as the name.
    .filter((column) => column !== NAME_IN_FILE)
    .map((column): RemovalCheck => `extra:${column}`);
  const checks: RemovalCheck[] = [...extra, ...(keyed.length > 0 ? (['participantKey'] as const) : []), 'age'];
  return checks.map((value) => ({ value, label: removalCheckLabel(value) }));
}

/** Sets the event's check (empty: none, every request waits); refuses a column the event does not have. */
export async function setRemovalCheck(db: Database, event: Event, check: string): Promise<string | undefined> {
  if (check !== '' && !(await removalCheckOptions(db, event.id)).some((o) => o.value === check))
    return 'Choose one of the event’s columns, or no check.';
  await db
    .update(events)
    .set({ removalCheck: check || null })
    .where(eq(events.id, event.id));
  return undefined;
}

/** The record's answer to the check, or undefined when it has none (the organiser must decide). */
function expectedAnswer(record: ParticipantRecord, check: string): string | undefined {
  const value = check.startsWith('extra:')
    ? record.extra?.[check.slice('extra:'.length)]
    : check === 'participantKey'
      ? record.participantKey.startsWith('key:')
        ? record.participantKey.slice('key:'.length)
        : undefined
      : check === 'age'
        ? record.age?.toString()
        : undefined;
  return value && comparable(value) ? value : undefined;
}

// "Anna.Muller@Example.org " is "anna.muller@example.org"; spaces anywhere are typing, not meaning.
const comparable = (answer: string) => answer.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** What became of a participant's request. */
export type RemovalOutcome =
  | { kind: 'removed' }
  | { kind: 'mismatch'; answersLeft: number }
  /** Waiting for the organiser: no check, no answer on record, or too many wrong answers. */
  | { kind: 'sent' };

/** Whether this record's removal check may still be answered, and the question to ask. */
export async function removalQuestionFor(db: Database, event: Event, record: ParticipantRecord) {
  if (!event.removalCheck) return undefined;
  const [given] = await db.select().from(removalAnswers).where(eq(removalAnswers.recordId, record.id));
  if ((given?.count ?? 0) >= MAX_REMOVAL_ANSWERS) return undefined;
  return removalQuestion(event.removalCheck);
}

/** Whether a request for this record already waits for the organiser. */
export async function hasPendingRequest(db: Database, recordId: number) {
  const [row] = await db
    .select({ id: removalRequests.id })
    .from(removalRequests)
    .where(and(eq(removalRequests.recordId, recordId), eq(removalRequests.state, 'pending')))
    .limit(1);
  return row !== undefined;
}

async function sendToOrganiser(db: Database, record: ParticipantRecord): Promise<RemovalOutcome> {
  // At most one waits per record (a partial unique index): asking again adds nothing.
  await db.insert(removalRequests).values({ eventId: record.eventId, recordId: record.id }).onConflictDoNothing();
  return { kind: 'sent' };
}

/**
 * A participant asks to remove their certificate. The right answer to the event's check hides it
 * at once; a wrong one is counted, and the last allowed wrong answer sends the request to the
 * organiser instead, so the answer cannot be found by trying every year of birth.
 */
export async function requestRemoval(
  db: Database,
  event: Event,
  record: ParticipantRecord,
  answer: string | undefined,
): Promise<RemovalOutcome> {
  const expected = event.removalCheck ? expectedAnswer(record, event.removalCheck) : undefined;
  if (!expected || answer === undefined) return sendToOrganiser(db, record);
  // Counted before comparing, in one statement, so answers sent side by side cannot exceed the limit.
  const [counted] = await db
    .insert(removalAnswers)
    .values({ recordId: record.id, count: 1 })
    .onConflictDoUpdate({
      target: removalAnswers.recordId,
      set: { count: sql`${removalAnswers.count} + 1` },
      setWhere: sql`${removalAnswers.count} < ${MAX_REMOVAL_ANSWERS}`,
    })
    .returning({ count: removalAnswers.count });
  if (!counted) return sendToOrganiser(db, record);
  if (comparable(answer) !== comparable(expected)) {
    const answersLeft = MAX_REMOVAL_ANSWERS - counted.count;
    return answersLeft > 0 ? { kind: 'mismatch', answersLeft } : sendToOrganiser(db, record);
  }
  await setRecordHidden(db, record.id, true);
  const settled = { state: 'accepted', confirmed: true, decidedAt: new Date() } as const;
  // A request that waited is settled by the participant's own answer.
  const [waited] = await db
    .update(removalRequests)
    .set(settled)
    .where(and(eq(removalRequests.recordId, record.id), eq(removalRequests.state, 'pending')))
    .returning({ id: removalRequests.id });
  if (!waited) await db.insert(removalRequests).values({ eventId: record.eventId, recordId: record.id, ...settled });
  return { kind: 'removed' };
}

/** Requests waiting for the organiser, oldest first, with who asked and their wrong answers. */
export const pendingRemovalRequests = (db: Database, eventId: number) =>
  db
    .select({
      id: removalRequests.id,
      createdAt: removalRequests.createdAt,
      recordId: records.id,
      bib: records.bib,
      name: records.name,
      hidden: records.hidden,
      wrongAnswers: sql<number>`coalesce(${removalAnswers.count}, 0)`,
    })
    .from(removalRequests)
    .innerJoin(records, eq(records.id, removalRequests.recordId))
    .leftJoin(removalAnswers, eq(removalAnswers.recordId, records.id))
    .where(and(eq(removalRequests.eventId, eventId), eq(removalRequests.state, 'pending')))
    .orderBy(asc(removalRequests.createdAt), asc(removalRequests.id));

export type PendingRemovalRequest = Awaited<ReturnType<typeof pendingRemovalRequests>>[number];

/** Whether the event has this request, decided or not: another event's request is not found. */
export async function hasRemovalRequest(db: Database, eventId: number, requestId: number): Promise<boolean> {
  const [found] = await db
    .select({ id: removalRequests.id })
    .from(removalRequests)
    .where(and(eq(removalRequests.id, requestId), eq(removalRequests.eventId, eventId)));
  return found !== undefined;
}

/**
 * The organiser accepts (the record is hidden) or refuses a request that waits. False when the
 * event has no such request waiting: decided already, or another event's.
 */
export async function decideRemovalRequest(
  db: Database,
  eventId: number,
  requestId: number,
  decision: 'accept' | 'refuse',
): Promise<boolean> {
  const [decided] = await db
    .update(removalRequests)
    .set({ state: decision === 'accept' ? 'accepted' : 'refused', decidedAt: new Date() })
    .where(
      and(
        eq(removalRequests.id, requestId),
        eq(removalRequests.eventId, eventId),
        eq(removalRequests.state, 'pending'),
      ),
    )
    .returning({ recordId: removalRequests.recordId });
  if (!decided) return false;
  if (decision === 'accept') await setRecordHidden(db, decided.recordId, true);
  return true;
}
