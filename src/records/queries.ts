import { and, asc, count, eq, exists, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { intersect } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client';
import { NAME_IN_FILE, nameTerms, prefixUpperBound, queryTerms } from './terms';
import { records, recordTerms, type ParticipantRecord } from '../db/schema';
import { editedFields } from './corrections';
import { keyAfterEdit, participantKey } from './participant-key';
import { removeRecords } from './removal';
import type { RecordInput } from './rules';

export const SEARCH_LIMIT = 20;
// D1 allows at most 5 SELECTs in one compound SELECT: the most selective words are intersected,
// the rest checked per candidate.
const MAX_INTERSECTED_TERMS = 5;
// Shorter words are initials, checked per candidate rather than intersected (nameSearchQuery).
const MIN_INTERSECTED_LENGTH = 3;
// Each word costs 2 or 3 bound parameters, and D1 allows 100 a statement; words past this are checked
// on the rows found (a name of more than 12 different words is rare enough not to page through).
const MAX_QUERY_TERMS = 12;

/** Who a search may return: the public never sees hidden records, the organiser sees all. */
export interface SearchScope {
  includeHidden?: boolean;
  limit?: number;
}

const visibility = (scope: SearchScope) => (scope.includeHidden ? undefined : eq(records.hidden, false));

/** Exact bib lookup, answered by the (event, bib) index; participants without a bib are found by name. */
export function bibSearchQuery(db: Database, eventId: EventRef, bib: string, scope: SearchScope = {}) {
  return db
    .select()
    .from(records)
    .where(and(eq(records.eventId, eventId), eq(records.bib, bib), visibility(scope)));
}

/** Best placed first: finishers by overall rank, then everyone else by name. */
const resultOrder = [
  sql`${records.status} <> 'finished'`,
  sql`${records.rankOverall} IS NULL`,
  asc(records.rankOverall),
  asc(records.name),
];

/**
 * The words a name search needs, most selective first: a word that prefixes another query word
 * adds nothing ("an" is implied by "ana"), and a longer word matches fewer names.
 */
export function searchWords(terms: string[]): string[] {
  const needed = terms.filter((term) => !terms.some((other) => other !== term && other.startsWith(term)));
  return needed.sort((a, b) => b.length - a.length);
}

// A single word that prefixes this many names is answered by reading the event in result order
// until the page is full ("ma": 18,000 names of 200,000, one in ten), not by sorting all it prefixes.
const BROAD_WORD = 3_000;

/**
 * Name search: every query word must prefix some word of the name, in any order. Up to five words
 * are ranges on record_terms' primary key, intersected; initials (a word of one or two letters)
 * and words past five are checked on the records those found. The page of candidates is put in
 * order on an index, and only its records are read.
 */
export function nameSearchQuery(db: Database, eventId: EventRef, terms: string[], scope: SearchScope = {}) {
  const words = searchWords(terms).slice(0, MAX_QUERY_TERMS);
  const range = (term: string) =>
    and(eq(recordTerms.eventId, eventId), gte(recordTerms.term, term), lt(recordTerms.term, prefixUpperBound(term)));
  // An initial matches a good share of a large event: "a" is 35,000 terms of 200,000 runners.
  const selective = words.filter((term) => term.length >= MIN_INTERSECTED_LENGTH);
  const intersected = (selective.length > 0 ? selective : words).slice(0, MAX_INTERSECTED_TERMS);
  const [first, ...rest] = intersected.map((term) =>
    db.select({ recordId: recordTerms.recordId }).from(recordTerms).where(range(term)),
  );
  if (!first) return undefined;
  const [second, ...more] = rest;
  const ids = second ? intersect(first, second, ...more) : first;
  const limit = scope.limit ?? SEARCH_LIMIT;
  const order = sql.join(resultOrder, sql`, `);
  // The candidates' order comes from records_search_order alone: reading every candidate's row
  // cost 26 ms for "ma" at 200,000 records.
  const candidates = (pageSize: SQL) => sql`SELECT * FROM (SELECT ${records.id} FROM ${records}
    INDEXED BY records_search_order
    WHERE ${and(inArray(records.id, ids), visibility(scope), ...words.filter((w) => !intersected.includes(w)).map(hasWord))}
    ORDER BY ${order} LIMIT ${pageSize})`;
  let page = candidates(sql`${limit}`);
  if (words.length === 1) {
    // Which of the two reads answers is settled by each one's LIMIT, evaluated once: 0 ends it.
    const broad = sql`(SELECT count(*) FROM (SELECT 1 FROM ${recordTerms} WHERE ${range(words[0]!)} LIMIT ${BROAD_WORD})) = ${BROAD_WORD}`;
    page = sql`${candidates(sql`CASE WHEN ${broad} THEN 0 ELSE ${limit} END`)}
      UNION ALL SELECT * FROM (SELECT ${records.id} FROM ${records} INDEXED BY records_result_order
      WHERE ${and(eq(records.eventId, eventId), visibility(scope), hasWord(words[0]!))}
      ORDER BY ${order} LIMIT CASE WHEN ${broad} THEN ${limit} ELSE 0 END)`;
  }
  return db
    .select()
    .from(records)
    .where(inArray(records.id, sql`(${page})`))
    .orderBy(...resultOrder);

  /**
   * Whether the record has a word the term prefixes, by record_terms_record_idx: a few rows per
   * record. The unary + keeps SQLite from the (event, term) range instead, which it would scan
   * once per record (3.5 s for "James A").
   */
  function hasWord(term: string) {
    return exists(
      db
        .select({ one: sql`1` })
        .from(recordTerms)
        .where(
          and(
            eq(recordTerms.recordId, records.id),
            sql`+${recordTerms.term} >= ${term}`,
            sql`+${recordTerms.term} < ${prefixUpperBound(term)}`,
          ),
        ),
    );
  }
}

/** Whether every query word prefixes some word of the name: the check for words past MAX_QUERY_TERMS. */
const hasAllWords = ({ name, extra }: ParticipantRecord, terms: string[]) => {
  const words = nameTerms(name, extra?.[NAME_IN_FILE]);
  return terms.every((term) => words.some((word) => word.startsWith(term)));
};

/** An event by id, or by a subquery: a public search finds its event in the same round trip. */
export type EventRef = number | SQL;

/**
 * The two lookups of a search, to send to D1 in one batch, and how to read their results:
 * visible records by exact bib or by name words, a bib match first.
 */
export function recordSearch(db: Database, event: EventRef, query: string, scope: SearchScope = {}) {
  const trimmed = query.trim();
  const terms = queryTerms(trimmed);
  const byBib = bibSearchQuery(db, event, trimmed, scope);
  // Without name words (a query of punctuation), the bib lookup stands in and its hits are ignored.
  const byName = nameSearchQuery(db, event, terms, scope);
  const unchecked = searchWords(terms).length > MAX_QUERY_TERMS;
  return {
    queries: [byBib, byName ?? byBib] as const,
    found(bibHits: ParticipantRecord[], nameHits: ParticipantRecord[]): ParticipantRecord[] {
      const seen = new Set(bibHits.map((r) => r.id));
      const named = byName ? nameHits.filter((r) => !seen.has(r.id) && (!unchecked || hasAllWords(r, terms))) : [];
      return [...bibHits, ...named].slice(0, scope.limit ?? SEARCH_LIMIT);
    },
  };
}

/** Finds visible records by exact bib or by name words, both lookups in one round trip. */
export async function searchRecords(
  db: Database,
  eventId: number,
  query: string,
  scope: SearchScope = {},
): Promise<ParticipantRecord[]> {
  const search = recordSearch(db, eventId, query, scope);
  const [bibHits, nameHits] = await db.batch(search.queries);
  return search.found(bibHits, nameHits);
}

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
    db.delete(recordTerms).where(eq(recordTerms.recordId, record.id)),
    ...nameTerms(input.name, input.extra?.[NAME_IN_FILE]).map((term) =>
      db.insert(recordTerms).values({ eventId: record.eventId, term, recordId: record.id }),
    ),
  ]);
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
