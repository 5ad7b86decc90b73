import { eq } from 'drizzle-orm';
import { randomId } from '../digest';
import type { Database } from './client';
import { nameTerms } from './name-terms';
import type { RecordInput } from './records';
import { imports, records } from './schema';

export interface RecordChanges {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

export interface ImportOptions {
  sourceId?: number | null;
  /** Delete the event's records whose bib is not among the inputs. */
  removeMissing?: boolean;
  /** Written to the import log with the counts; leave out for writes that are not imports. */
  report?: { rejected: number; encoding: string };
}

// Rows travel as one JSON parameter read back with json_each, so a statement stays far below D1's
// 100-parameter limit whatever the row count. Each JSON chunk stays well under D1's 2 MB value limit.
const MAX_JSON_CHUNK = 256 * 1024;

function chunkJson<T>(items: T[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const item of items) {
    const json = JSON.stringify(item);
    if (size + json.length > MAX_JSON_CHUNK && current.length > 0) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      size = 0;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}

const comparedFields = [
  'name', 'category', 'gender', 'age', 'finishTime', 'rankOverall', 'rankGender', 'rankCategory', 'status', 'extra',
] as const;

const comparable = (row: Partial<Record<(typeof comparedFields)[number], unknown>>) =>
  JSON.stringify(comparedFields.map((f) => row[f] ?? null));

const field = (name: string) => `json_extract(j.value, '$.${name}')`;

// ?1 event id, ?2 source id, ?3 updated-at, ?4 JSON array of rows.
export const UPSERT_RECORDS = `
  INSERT INTO records (event_id, source_id, bib, name, category, gender, age, finish_time, rank_overall,
    rank_gender, rank_category, status, extra, hidden, certificate_id, updated_at)
  SELECT ?1, ?2, ${field('bib')}, ${field('name')}, ${field('category')}, ${field('gender')}, ${field('age')},
    ${field('finishTime')}, ${field('rankOverall')}, ${field('rankGender')}, ${field('rankCategory')},
    coalesce(${field('status')}, 'finished'), ${field('extra')}, ${field('hidden')}, ${field('certificateId')}, ?3
  FROM json_each(?4) AS j WHERE true
  ON CONFLICT (event_id, bib) DO UPDATE SET
    source_id = excluded.source_id, name = excluded.name, category = excluded.category, gender = excluded.gender,
    age = excluded.age, finish_time = excluded.finish_time, rank_overall = excluded.rank_overall,
    rank_gender = excluded.rank_gender, rank_category = excluded.rank_category, status = excluded.status,
    extra = excluded.extra, updated_at = excluded.updated_at`;

// CROSS JOIN keeps json_each as the outer loop, so each row is one index look-up in records;
// SQLite would otherwise happily scan records once per JSON element.

// ?1 event id, ?2 JSON array of bibs.
export const DELETE_TERMS = `
  DELETE FROM record_terms WHERE record_id IN (
    SELECT r.id FROM json_each(?2) AS j CROSS JOIN records r ON r.event_id = ?1 AND r.bib = j.value)`;
export const DELETE_RECORDS = `DELETE FROM records WHERE event_id = ?1 AND bib IN (SELECT value FROM json_each(?2))`;

// ?1 event id, ?2 JSON array of [bib, term] pairs.
export const INSERT_TERMS = `
  INSERT OR IGNORE INTO record_terms (event_id, term, record_id)
  SELECT ?1, json_extract(j.value, '$[1]'), r.id
  FROM json_each(?2) AS j CROSS JOIN records r ON r.event_id = ?1 AND r.bib = json_extract(j.value, '$[0]')`;

/**
 * Writes a whole set of records for an event in one D1 batch, which is one transaction: either
 * every row lands (with its search terms and the import log) or none does. Records upsert by bib;
 * unchanged ones are not touched, so importing the same file twice changes nothing. A record keeps
 * its certificate id and hidden flag: a corrected result keeps the participant's link, and an
 * import never reveals someone the organiser hid.
 */
export async function importRecords(
  db: Database,
  eventId: number,
  inputs: RecordInput[],
  options: ImportOptions = {},
): Promise<RecordChanges> {
  const existing = new Map(
    (await db.select().from(records).where(eq(records.eventId, eventId))).map((r) => [r.bib, comparable(r)]),
  );
  const changed = inputs.filter((input) => existing.get(input.bib) !== comparable(input));
  const added = changed.filter((input) => !existing.has(input.bib)).length;
  const incomingBibs = new Set(inputs.map((i) => i.bib));
  const missing = options.removeMissing ? [...existing.keys()].filter((bib) => !incomingBibs.has(bib)) : [];
  const changes = {
    added,
    updated: changed.length - added,
    unchanged: inputs.length - changed.length,
    removed: missing.length,
  };

  const now = Date.now();
  const sourceId = options.sourceId ?? null;
  const d1 = db.$client;
  const statements: D1PreparedStatement[] = [];
  const rows = changed.map((r) => ({ ...r, certificateId: randomId(), hidden: r.hidden ? 1 : 0 }));
  for (const json of chunkJson(rows)) {
    statements.push(d1.prepare(UPSERT_RECORDS).bind(eventId, sourceId, now, json));
  }
  for (const json of chunkJson(changed.map((r) => r.bib))) {
    statements.push(d1.prepare(DELETE_TERMS).bind(eventId, json));
  }
  for (const json of chunkJson(changed.flatMap((r) => nameTerms(r.name).map((term) => [r.bib, term])))) {
    statements.push(d1.prepare(INSERT_TERMS).bind(eventId, json));
  }
  for (const json of chunkJson(missing)) {
    statements.push(d1.prepare(DELETE_TERMS).bind(eventId, json), d1.prepare(DELETE_RECORDS).bind(eventId, json));
  }
  if (options.report) {
    const log = db.insert(imports).values({ eventId, sourceId, ...changes, ...options.report }).toSQL();
    statements.push(d1.prepare(log.sql).bind(...log.params));
  }
  if (statements.length > 0) await d1.batch(statements);
  return changes;
}
