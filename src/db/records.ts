import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { intersect } from 'drizzle-orm/sqlite-core';
import type { Database } from './client';
import { prefixUpperBound, queryTerms } from './name-terms';
import { records, recordTerms, type NewParticipantRecord, type ParticipantRecord } from './schema';

export const SEARCH_LIMIT = 20;
// More words than this add nothing to a name search but cost one index range each.
const MAX_QUERY_TERMS = 6;

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
