import { and, asc, eq, exists, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { intersect } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client';
import { nameWords, records, recordTerms, type ParticipantRecord } from '../db/schema';
import { MIN_TYPO_LENGTH, NAME_IN_FILE, nameTerms, prefixUpperBound, queryTerms } from './terms';

export const SEARCH_LIMIT = 20;
// D1 allows at most 5 SELECTs in one compound SELECT: the most selective words are intersected,
// the rest checked per candidate.
const MAX_INTERSECTED_TERMS = 5;
// Shorter words are initials, checked per candidate rather than intersected (nameSearchQuery).
const MIN_INTERSECTED_LENGTH = 3;
// Each word costs 2 or 3 bound parameters, and D1 allows 100 a statement; words past this are checked
// on the rows found (a name of more than 12 different words is rare enough not to page through).
const MAX_QUERY_TERMS = 12;
// A single word that prefixes this many names is answered by reading the event in result order
// until the page is full ("ma": 18,000 names of 200,000, one in ten), not by sorting all it prefixes.
const BROAD_WORD = 3_000;
// Matches are counted up to this many: "more than 1,000" says enough, and counting stays cheap.
export const MAX_COUNTED = 1_000;
// The words one typo away that a query word may stand for, closest first; each is a bound parameter.
const MAX_TYPO_WORDS = 8;

/** Who a search may return: the public never sees hidden records, the organiser sees all. */
export interface SearchScope {
  includeHidden?: boolean;
  limit?: number;
}

/** An event by id, or by a subquery: a public search finds its event in the same round trip. */
export type EventRef = number | SQL;

/**
 * A word of a name search: a prefix of some word of the name, or, with a typo forgiven, one of a
 * few whole words of the event's names.
 */
export type SearchWord = string | { anyOf: string[] };

/** What a search found: a page of records, and how many match in all (up to MAX_COUNTED and one). */
export interface Found {
  records: ParticipantRecord[];
  total: number;
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
export const resultOrder = [
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

/**
 * Name search: every query word must prefix some word of the name, in any order. Up to five words
 * are ranges on record_terms' primary key, intersected (a forgiven typo's whole words first);
 * initials (a word of one or two letters) and words past five are checked on the records those
 * found. The page of candidates is put in order on an index, and only its records are read.
 * Returns the page and the count of matches, or undefined for a query without words.
 */
export function nameSearchQuery(db: Database, eventId: EventRef, query: SearchWord[], scope: SearchScope = {}) {
  const typos = query.filter((w) => typeof w !== 'string');
  const words = searchWords(query.filter((w) => typeof w === 'string')).slice(0, MAX_QUERY_TERMS - typos.length);
  const range = (term: string) =>
    and(eq(recordTerms.eventId, eventId), gte(recordTerms.term, term), lt(recordTerms.term, prefixUpperBound(term)));
  // An initial matches a good share of a large event: "a" is 35,000 terms of 200,000 runners.
  const selective = words.filter((term) => term.length >= MIN_INTERSECTED_LENGTH);
  const intersected = (selective.length > 0 || typos.length > 0 ? selective : words).slice(
    0,
    MAX_INTERSECTED_TERMS - typos.length,
  );
  const [first, ...rest] = [
    ...typos.map(({ anyOf }) =>
      db
        .select({ recordId: recordTerms.recordId })
        .from(recordTerms)
        .where(and(eq(recordTerms.eventId, eventId), inArray(recordTerms.term, anyOf))),
    ),
    ...intersected.map((term) => db.select({ recordId: recordTerms.recordId }).from(recordTerms).where(range(term))),
  ];
  if (!first) return undefined;
  const [second, ...more] = rest;
  const ids = second ? intersect(first, second, ...more) : first;
  const limit = scope.limit ?? SEARCH_LIMIT;
  const order = sql.join(resultOrder, sql`, `);
  const matching = and(
    inArray(records.id, ids),
    visibility(scope),
    ...words.filter((w) => !intersected.includes(w)).map(hasWord),
  );
  // The candidates' order comes from records_search_order alone: reading every candidate's row
  // cost 26 ms for "ma" at 200,000 records.
  const candidates = (pageSize: SQL) => sql`SELECT * FROM (SELECT ${records.id} FROM ${records}
    INDEXED BY records_search_order WHERE ${matching} ORDER BY ${order} LIMIT ${pageSize})`;
  let page = candidates(sql`${limit}`);
  if (words.length === 1 && typos.length === 0) {
    // Which of the two reads answers is settled by each one's LIMIT, evaluated once: 0 ends it.
    const broad = sql`(SELECT count(*) FROM (SELECT 1 FROM ${recordTerms} WHERE ${range(words[0]!)} LIMIT ${BROAD_WORD})) = ${BROAD_WORD}`;
    page = sql`${candidates(sql`CASE WHEN ${broad} THEN 0 ELSE ${limit} END`)}
      UNION ALL SELECT * FROM (SELECT ${records.id} FROM ${records} INDEXED BY records_result_order
      WHERE ${and(eq(records.eventId, eventId), visibility(scope), hasWord(words[0]!))}
      ORDER BY ${order} LIMIT CASE WHEN ${broad} THEN ${limit} ELSE 0 END)`;
  }
  return {
    page: db
      .select()
      .from(records)
      .where(inArray(records.id, sql`(${page})`))
      .orderBy(...resultOrder),
    count: db
      .select({ n: sql<number>`count(*)` })
      .from(
        sql`(SELECT ${records.id} FROM ${records} INDEXED BY records_search_order WHERE ${matching} LIMIT ${MAX_COUNTED + 1})`,
      ),
  };

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

/**
 * The lookups of a search, to send to D1 in one batch, and how to read their results: visible
 * records by exact bib or by name words, a bib match first, and how many match. When no one
 * matches, `typoWords` are the query words a typo may be forgiven in (forgivingSearch).
 */
export function recordSearch(db: Database, event: EventRef, query: string, scope: SearchScope = {}) {
  const trimmed = query.trim();
  const terms = queryTerms(trimmed);
  const byBib = bibSearchQuery(db, event, trimmed, scope);
  // Without name words (a query of punctuation), the bib lookup stands in and its hits are ignored.
  const byName = nameSearchQuery(db, event, terms, scope);
  const unchecked = searchWords(terms).length > MAX_QUERY_TERMS;
  return {
    queries: [byBib, byName?.page ?? byBib, byName?.count ?? byBib] as const,
    found(bibHits: ParticipantRecord[], nameHits: ParticipantRecord[], counted: unknown[]): Found {
      const seen = new Set(bibHits.map((r) => r.id));
      const named = byName ? nameHits.filter((r) => !seen.has(r.id) && (!unchecked || hasAllWords(r, terms))) : [];
      const found = [...bibHits, ...named].slice(0, scope.limit ?? SEARCH_LIMIT);
      const count = byName ? (counted[0] as { n: number }).n : 0;
      return { records: found, total: Math.max(found.length, bibHits.length + count) };
    },
    /** Words a typo is forgiven in, when the search found no one. */
    typoWords: terms.filter((t) => t.length >= MIN_TYPO_LENGTH),
  };
}

/**
 * A second try for a search that found no one: each query word of five letters or more may stand
 * for a word of the event's names one typo away ("mulller" for Müller). Two round trips: the
 * event's words near each query word, then the records.
 */
export async function forgivingSearch(
  db: Database,
  eventId: number,
  query: string,
  scope: SearchScope = {},
): Promise<Found> {
  const terms = queryTerms(query.trim());
  const typoable = terms.filter((t) => t.length >= MIN_TYPO_LENGTH);
  const [head, ...tail] = typoable.map((term) =>
    db
      .select({ word: nameWords.word })
      .from(nameWords)
      // A typo in the first letter is rare on one's own name, and this keeps the look-up a range.
      .where(
        and(
          eq(nameWords.eventId, eventId),
          gte(nameWords.word, term[0]!),
          lt(nameWords.word, prefixUpperBound(term[0]!)),
          gte(sql`length(${nameWords.word})`, term.length - 1),
        ),
      ),
  );
  if (!head) return { records: [], total: 0 };
  const vocabulary = await db.batch([head, ...tail]);
  const query_: SearchWord[] = terms.map((term) => {
    const at = typoable.indexOf(term);
    if (at < 0) return term;
    const near = vocabulary[at]!.map((r) => r.word).filter((word) => oneTypoFromStart(term, word));
    // Closest first: words the typed one begins (typed right), then whole words one typo away
    // ("smiht" is Smith before Smitherman).
    const rank = (word: string) => (word.startsWith(term) ? 0 : distanceAtMostOne([...term], [...word]) ? 1 : 2);
    near.sort((x, y) => rank(x) - rank(y));
    return { anyOf: near.slice(0, MAX_TYPO_WORDS) };
  });
  if (query_.some((w) => typeof w !== 'string' && w.anyOf.length === 0)) return { records: [], total: 0 };
  const search = nameSearchQuery(db, eventId, query_, scope)!;
  const [page, [counted]] = await db.batch([search.page, search.count]);
  return { records: page, total: Math.max(page.length, counted!.n) };
}

/**
 * Whether `word` starts with `typed` but for one letter wrong, missing, extra or two letters
 * swapped (Damerau–Levenshtein distance 1 to one of word's beginnings), or exactly.
 */
export function oneTypoFromStart(typed: string, word: string): boolean {
  const a = [...typed];
  const b = [...word];
  // Beginnings of the word one letter shorter, as long and one letter longer than what was typed.
  return [a.length - 1, a.length, a.length + 1].some((n) => n <= b.length && distanceAtMostOne(a, b.slice(0, n)));
}

function distanceAtMostOne(a: string[], b: string[]): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return true;
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((c, k) => c === y[k]);
  if (a.length === b.length) {
    // One letter wrong, or two neighbours swapped.
    if (same(a.slice(i + 1), b.slice(i + 1))) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && same(a.slice(i + 2), b.slice(i + 2));
  }
  // One letter extra in the longer.
  return a.length > b.length ? same(a.slice(i + 1), b.slice(i)) : same(a.slice(i), b.slice(i + 1));
}

/**
 * Finds records by exact bib or by name words, hidden ones too when the scope says so, both
 * lookups and the count in one round trip; a search that found no one forgives a typo.
 */
export async function searchRecords(
  db: Database,
  eventId: number,
  query: string,
  scope: SearchScope = {},
): Promise<Found> {
  const search = recordSearch(db, eventId, query, scope);
  const [bibHits, nameHits, counted] = await db.batch(search.queries);
  const found = search.found(bibHits, nameHits, counted);
  if (found.records.length > 0 || search.typoWords.length === 0) return found;
  return forgivingSearch(db, eventId, query, scope);
}
