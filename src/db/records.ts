import { and, asc, eq, getTableColumns, gte, inArray, lt, sql } from 'drizzle-orm';
import { intersect } from 'drizzle-orm/sqlite-core';
import { chunkForParams, type Database } from './client';
import { nameTerms, prefixUpperBound, queryTerms } from './name-terms';
import { records, recordTerms, type NewParticipantRecord, type ParticipantRecord } from './schema';

export const SEARCH_LIMIT = 20;
// More words than this add nothing to a name search but cost one index range each.
const MAX_QUERY_TERMS = 6;

/** 128 random bits, base64url: the public id of a record's certificate. */
export function newCertificateId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Exact bib lookup, answered by the UNIQUE(event, bib) index. */
export function bibSearchQuery(db: Database, eventId: number, bib: string) {
  return db
    .select()
    .from(records)
    .where(and(eq(records.eventId, eventId), eq(records.bib, bib), eq(records.hidden, false)));
}

/**
 * Name search: every query word must prefix some word of the name, in any order. Each word is a
 * range on record_terms' primary key; the ranges are intersected, then records are read by id.
 */
export function nameSearchQuery(db: Database, eventId: number, terms: string[]) {
  const [first, ...rest] = terms.slice(0, MAX_QUERY_TERMS).map((term) =>
    db
      .select({ recordId: recordTerms.recordId })
      .from(recordTerms)
      .where(
        and(eq(recordTerms.eventId, eventId), gte(recordTerms.term, term), lt(recordTerms.term, prefixUpperBound(term))),
      ),
  );
  if (!first) return undefined;
  const [second, ...more] = rest;
  const ids = second ? intersect(first, second, ...more) : first;
  return db
    .select()
    .from(records)
    .where(and(inArray(records.id, ids), eq(records.hidden, false)))
    .orderBy(
      sql`${records.status} <> 'finished'`,
      sql`${records.rankOverall} IS NULL`,
      asc(records.rankOverall),
      asc(records.name),
    )
    .limit(SEARCH_LIMIT);
}

/**
 * Finds visible records by exact bib or by name words; a bib match comes first. Both lookups go
 * to D1 in one round trip.
 */
export async function searchRecords(db: Database, eventId: number, query: string): Promise<ParticipantRecord[]> {
  const trimmed = query.trim();
  const byName = nameSearchQuery(db, eventId, queryTerms(trimmed));
  const byBib = bibSearchQuery(db, eventId, trimmed);
  const [bibHits, nameHits] = byName ? await db.batch([byBib, byName]) : [await byBib, []];
  const seen = new Set(bibHits.map((r) => r.id));
  return [...bibHits, ...nameHits.filter((r) => !seen.has(r.id))].slice(0, SEARCH_LIMIT);
}

export async function findRecordByCertificateId(db: Database, certificateId: string) {
  return db.query.records.findFirst({ where: eq(records.certificateId, certificateId) });
}

export type RecordInput = Omit<NewParticipantRecord, 'id' | 'eventId' | 'certificateId' | 'updatedAt'>;

// Statements per D1 batch: large enough to be quick, small enough for one request's limits.
const STATEMENTS_PER_BATCH = 50;

type Statement = Parameters<Database['batch']>[0][number];

async function runBatches(db: Database, statements: Statement[]) {
  const results: unknown[] = [];
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    const [head, ...tail] = statements.slice(i, i + STATEMENTS_PER_BATCH);
    if (head) results.push(...(await db.batch([head, ...tail])));
  }
  return results;
}

/**
 * Inserts or updates records by bib and rewrites their search terms. A record keeps its
 * certificate id and hidden flag across updates: a corrected result keeps the participant's link,
 * and a re-import never reveals someone the organiser hid.
 */
export async function saveRecords(db: Database, eventId: number, inputs: RecordInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const now = new Date();
  const rows: NewParticipantRecord[] = inputs.map((input) => ({
    ...input,
    eventId,
    certificateId: newCertificateId(),
    updatedAt: now,
  }));
  const excluded = (column: string) => sql.raw(`excluded.${column}`);
  const upserts = chunkForParams(rows, Object.keys(getTableColumns(records)).length).map((chunk) =>
    db
      .insert(records)
      .values(chunk)
      .onConflictDoUpdate({
        target: [records.eventId, records.bib],
        set: Object.fromEntries(
          (
            [
              'sourceId', 'name', 'category', 'gender', 'age', 'finishTime', 'rankOverall', 'rankGender',
              'rankCategory', 'status', 'extra', 'updatedAt',
            ] as const
          ).map((key) => [key, excluded(records[key].name)]),
        ),
      })
      .returning({ id: records.id, name: records.name }),
  );
  const saved = (await runBatches(db, upserts)).flat() as { id: number; name: string }[];

  const terms = saved.flatMap(({ id, name }) => nameTerms(name).map((term) => ({ eventId, term, recordId: id })));
  const termWrites = [
    ...chunkForParams(saved, 1).map((chunk) =>
      db.delete(recordTerms).where(inArray(recordTerms.recordId, chunk.map((r) => r.id))),
    ),
    ...chunkForParams(terms, 3).map((chunk) => db.insert(recordTerms).values(chunk)),
  ];
  await runBatches(db, termWrites);
  return saved.length;
}
