import { and, asc, eq, gt, lt, notInArray, sql } from 'drizzle-orm';
import { hash53, randomId } from '../digest';
import { ImportError } from '../import/import-error';
import { MAX_EVENT_RECORDS } from '../import/limits';
import { giveWay } from '../give-way';
import type { Database } from '../db/client';
import {
  events,
  importChunks,
  importCommits,
  imports,
  records,
  type ImportCommit,
  type ParticipantRecord,
} from '../db/schema';
import { keepCorrections, type KeptCorrection } from './corrections';
import { canonicalJson, prepareRecordAs, type PreparedRecord } from './prepared';
import type { RecordInput } from './rules';
import { archiveRecordsSql, purgeRemovedRecords, removalHold, type HeldRemovals } from './removal';
import { MIN_TYPO_LENGTH, nameInFileOf, nameTerms } from './terms';

export interface RecordChanges {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Records no longer in the file that were kept for the organiser to confirm (removal.ts). */
  held?: HeldRemovals;
  /** The import log's id, for confirming held removals. */
  importId?: number;
  /** Hand corrections the file disagreed with, kept as the organiser made them. */
  kept?: KeptCorrection[];
  /**
   * The `updatedAt` this write gave the records it added or changed (and those whose kept hand
   * correction it noted anew), and no other record: what picks them out for live renders
   * (src/publish/live.ts). Set when it added or changed some.
   */
  writtenAt?: Date;
}

export interface ImportOptions {
  /** The file's place in the order files reached the event (takeImportTicket); none for hand edits. */
  ticket?: number;
  sourceId?: number | null;
  /** Delete the event's records whose participant key is not among the inputs. */
  removeMissing?: boolean;
  /** Written to the import log with the counts; leave out for writes that are not imports. */
  report?: { rejected: number; encoding: string };
}

// Each staged chunk is applied in a transaction of its own, during which local D1 answers nothing
// else: about 200 records, so a search waits some 12 ms for it, not the second a whole file takes.
// Halving the chunks and pages below (from 128 KB, 500 and 1,000) took search p95 during re-posts
// from 52 to 39 ms, and a re-post of Boston from 4.7 to 6 s.
const MAX_CHUNK_CHARS = 64 * 1024;
const CHUNKS_PER_BATCH = 8;
// Small pages: each read holds local D1, and a search waits behind it.
const EXISTING_PAGE = 250;
const YIELD_EVERY_RECORDS = 500;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Staged rows of an import that died before its commit are removed by the next import after this long.
const STALE_STAGING_MS = 60 * 60 * 1000;

type ChunkKind = 'records' | 'missing';

/** Writes JSON array chunks of one kind to the staging table as they fill up. */
class Stager {
  private pending: { seq: number; kind: ChunkKind; payload: string }[] = [];
  private current = new Map<ChunkKind, { parts: string[]; chars: number }>();
  private seq = 0;

  constructor(
    private readonly db: Database,
    readonly importKey: string,
  ) {}

  async add(kind: ChunkKind, json: string): Promise<void> {
    const chunk = this.current.get(kind) ?? { parts: [], chars: 0 };
    chunk.parts.push(json);
    chunk.chars += json.length + 1;
    this.current.set(kind, chunk);
    if (chunk.chars >= MAX_CHUNK_CHARS) await this.close(kind);
  }

  private async close(kind: ChunkKind): Promise<void> {
    const chunk = this.current.get(kind);
    if (!chunk || chunk.parts.length === 0) return;
    this.current.delete(kind);
    this.pending.push({ seq: this.seq++, kind, payload: `[${chunk.parts.join(',')}]` });
    if (this.pending.length >= CHUNKS_PER_BATCH) await this.write();
  }

  private async write(): Promise<void> {
    const rows = this.pending.map((p) => ({ importKey: this.importKey, ...p }));
    this.pending = [];
    const [head, ...tail] = rows.map((row) => this.db.insert(importChunks).values(row));
    if (head) await this.db.batch([head, ...tail]);
  }

  /** Writes what is left; the number of chunks staged. */
  async flush(): Promise<number> {
    for (const kind of [...this.current.keys()]) await this.close(kind);
    await this.write();
    return this.seq;
  }
}

const field = (name: string) => `json_extract(j.value, '$.${name}')`;

// The elements of one staged chunk (?1 import key, ?2 seq) of a kind, optionally joined to their
// record (?3 event id) by its participant key. CROSS JOIN keeps each JSON element the outer loop, so
// a record is found by one index look-up; SQLite would otherwise scan records once per element.
const staged = (kind: ChunkKind, keyOfElement?: string) =>
  `import_chunks AS c CROSS JOIN json_each(c.payload) AS j` +
  (keyOfElement ? ` CROSS JOIN records AS r ON r.event_id = ?3 AND r.participant_key = ${keyOfElement}` : '') +
  ` WHERE c.import_key = ?1 AND c.seq = ?2 AND c.kind = '${kind}'`;

// A participant who comes back gets the certificate id (and hidden flag) they had when removed.
const removedOfKey = `removed_records AS m WHERE m.event_id = ?3 AND m.participant_key = ${field('participantKey')} ORDER BY m.removed_at DESC LIMIT 1`;

// ?1 import key, ?2 seq, ?3 event id, ?4 source id, ?5 updated-at.
export const UPSERT_RECORDS = `
  INSERT INTO records (event_id, source_id, participant_key, bib, name, category, gender, age, finish_time,
    rank_overall, rank_gender, rank_category, status, language, extra, file_values, hidden, certificate_id, updated_at)
  SELECT ?3, ?4, ${field('participantKey')}, ${field('bib')}, ${field('name')}, ${field('category')},
    ${field('gender')}, ${field('age')}, ${field('finishTime')}, ${field('rankOverall')}, ${field('rankGender')},
    ${field('rankCategory')}, ${field('status')}, ${field('language')}, ${field('extra')}, ${field('fileValues')},
    coalesce((SELECT json_extract(m.record, '$.hidden') FROM ${removedOfKey}), ${field('hidden')}),
    coalesce((SELECT m.certificate_id FROM ${removedOfKey}), ${field('certificateId')}), ?5
  FROM ${staged('records')}
  ON CONFLICT (event_id, participant_key) DO UPDATE SET
    source_id = excluded.source_id, bib = excluded.bib, name = excluded.name, category = excluded.category,
    gender = excluded.gender, age = excluded.age, finish_time = excluded.finish_time, rank_overall = excluded.rank_overall,
    rank_gender = excluded.rank_gender, rank_category = excluded.rank_category, status = excluded.status,
    language = excluded.language, extra = excluded.extra, file_values = excluded.file_values,
    updated_at = excluded.updated_at, terms_outdated = 0`;

// ?1 import key, ?2 seq, ?3 event id, for this and the statements below.
export const DELETE_CHANGED_TERMS = `
  DELETE FROM record_terms WHERE record_id IN (
    SELECT r.id FROM ${staged('records', field('participantKey'))})`;

export const INSERT_TERMS = `
  INSERT OR IGNORE INTO record_terms (event_id, term, record_id)
  SELECT ?3, t.value, r.id
  FROM ${staged('records', field('participantKey')).replace(' WHERE', " CROSS JOIN json_each(j.value, '$.terms') AS t WHERE")}`;

// The words a typo is looked up among (name_words): five letters or more.
export const INSERT_NAME_WORDS = `
  INSERT OR IGNORE INTO name_words (event_id, word)
  SELECT DISTINCT ?3, t.value
  FROM ${staged('records').replace(' WHERE', " CROSS JOIN json_each(j.value, '$.terms') AS t WHERE")}
    AND length(t.value) >= ${MIN_TYPO_LENGTH}`;

export const DELETE_MISSING_TERMS = `
  DELETE FROM record_terms WHERE record_id IN (
    SELECT r.id FROM ${staged('missing', 'j.value')})`;

const missingRecords = `event_id = ?3 AND participant_key IN (SELECT j.value FROM ${staged('missing')})`;

// ?4 removed-at: kept restorable, then deleted.
export const ARCHIVE_MISSING_RECORDS = archiveRecordsSql(missingRecords, "'import'", '?4');

export const DELETE_MISSING_RECORDS = `DELETE FROM records WHERE ${missingRecords}`;

// The records that came back are no longer removed.
export const FORGET_RETURNED = `
  DELETE FROM removed_records WHERE event_id = ?3
    AND participant_key IN (SELECT ${field('participantKey')} FROM ${staged('records')})`;

// ?1 import key: the import is done once its last chunk is.
const FORGET_FINISHED = `
  DELETE FROM import_commits WHERE import_key = ?1
    AND NOT EXISTS (SELECT 1 FROM import_chunks WHERE import_key = ?1)`;

/**
 * The statements that apply one staged chunk and forget it, for one transaction: each record in it
 * lands whole, with its search terms. Applying a chunk twice (two workers finishing the same
 * import) changes nothing the second time, and a chunk already applied and forgotten is no-op.
 */
function applyChunkStatements(d1: D1Database, commit: ImportCommit, seq: number): D1PreparedStatement[] {
  const { importKey: key, eventId } = commit;
  return [
    d1.prepare(UPSERT_RECORDS).bind(key, seq, eventId, commit.sourceId, commit.updatedAt.getTime()),
    d1.prepare(FORGET_RETURNED).bind(key, seq, eventId),
    d1.prepare(DELETE_CHANGED_TERMS).bind(key, seq, eventId),
    d1.prepare(INSERT_TERMS).bind(key, seq, eventId),
    d1.prepare(DELETE_MISSING_TERMS).bind(key, seq, eventId),
    d1.prepare(ARCHIVE_MISSING_RECORDS).bind(key, seq, eventId, Date.now()),
    d1.prepare(DELETE_MISSING_RECORDS).bind(key, seq, eventId),
    d1.prepare('DELETE FROM import_chunks WHERE import_key = ?1 AND seq = ?2').bind(key, seq),
    d1.prepare(FORGET_FINISHED).bind(key),
  ];
}

/**
 * The words of a staged chunk's names for forgiven typos, in a transaction of their own before the
 * chunk's: a search waits for the shorter one only. Words of a chunk never applied do no harm.
 */
const addNameWords = (d1: D1Database, commit: ImportCommit, seq: number) =>
  d1.prepare(INSERT_NAME_WORDS).bind(commit.importKey, seq, commit.eventId).run();

/** Applies what is left of a committed import, a chunk per transaction, giving way in between. */
async function applyCommitted(db: Database, commit: ImportCommit): Promise<void> {
  const left = await db
    .select({ seq: importChunks.seq })
    .from(importChunks)
    .where(eq(importChunks.importKey, commit.importKey))
    .orderBy(asc(importChunks.seq));
  for (const { seq } of left) {
    await giveWay();
    await addNameWords(db.$client, commit, seq);
    await giveWay();
    await db.$client.batch(applyChunkStatements(db.$client, commit, seq));
  }
  if (left.length === 0) await db.$client.prepare(FORGET_FINISHED).bind(commit.importKey).run();
}

/**
 * Finishes the committed imports of an event (or of every event) whose worker stopped before
 * applying all of them: the next import, a publish and the cron call it, so a crash half-way
 * through a large import never leaves it half-applied for long.
 */
export async function finishImports(db: Database, eventId?: number): Promise<void> {
  const pending = await db
    .select()
    .from(importCommits)
    .where(eventId === undefined ? undefined : eq(importCommits.eventId, eventId))
    .orderBy(asc(importCommits.createdAt));
  for (const commit of pending) await applyCommitted(db, commit);
}

/** Removes the staged chunks of imports that died before their commit (the next import and the cron call it). */
export const cleanStaleStaging = (db: Database) =>
  db
    .delete(importChunks)
    .where(
      and(
        lt(importChunks.createdAt, new Date(Date.now() - STALE_STAGING_MS)),
        notInArray(importChunks.importKey, db.select({ key: importCommits.importKey }).from(importCommits)),
      ),
    );

/**
 * Each existing record's participant key and a hash of its fields, and the records with hand
 * corrections, read a page at a time, giving way between pages.
 */
async function existingRecords(db: Database, eventId: number) {
  const hashes = new Map<string, number>();
  const corrected = new Map<string, ParticipantRecord>();
  for (let after = 0; ; ) {
    await giveWay();
    const page = await db
      .select()
      .from(records)
      .where(and(eq(records.eventId, eventId), gt(records.id, after)))
      .orderBy(asc(records.id))
      .limit(EXISTING_PAGE);
    for (const row of page) {
      hashes.set(row.participantKey, hash53(canonicalJson(row)));
      if (row.handEdited) corrected.set(row.participantKey, row);
    }
    if (page.length < EXISTING_PAGE) return { hashes, corrected };
    after = page.at(-1)!.id;
  }
}

/**
 * Writes a whole set of records for an event: every row lands (with its search terms and the
 * import log) or none does. Changed rows are staged in chunks first. One D1 batch commits the
 * import (its place in the order, its log, its first chunk); the other chunks follow a
 * transaction each, so searches are never held up for the whole file. From the commit on, the
 * import is finished by whoever comes next if this worker stops (finishImports); before it,
 * nothing is visible. Records upsert by participant key (participant-key.ts: the bib, or for those
 * without one a chosen column or the name); unchanged ones are not touched, so importing the
 * same file twice changes nothing. A record keeps its certificate id and hidden flag: a
 * corrected result keeps the participant's link, and an import never reveals someone the
 * organiser hid.
 */
export async function importRecords(
  db: Database,
  eventId: number,
  incoming: PreparedRecord[],
  options: ImportOptions = {},
): Promise<RecordChanges> {
  await cleanStaleStaging(db);
  await purgeRemovedRecords(db);
  // Compared with the records as every earlier file left them, so the later file's data stands.
  if (options.ticket !== undefined) await waitForTurn(db, eventId, options.ticket);
  await finishImports(db, eventId);
  const { hashes: existing, corrected } = await existingRecords(db, eventId);
  const existingCount = existing.size;
  const stager = new Stager(db, randomId());
  let added = 0;
  let updated = 0;
  const kept: KeptCorrection[] = [];
  for (const [i, fromFile] of incoming.entries()) {
    // Give way to other requests now and then: comparing 26,410 records takes a while.
    if (i > 0 && i % YIELD_EVERY_RECORDS === 0) await giveWay();
    const before = existing.get(fromFile.key);
    existing.delete(fromFile.key);
    // The organiser's hand corrections stand (a corrected bib too: the key stays the file's); what
    // the file says instead is noted.
    const mine = corrected.get(fromFile.key);
    const merged = mine && keepCorrections(JSON.parse(fromFile.json), mine);
    const record = merged ? prepareRecordAs(merged.record as RecordInput, fromFile.key) : fromFile;
    const fileValues = JSON.stringify(merged?.fileValues ?? null);
    if (merged) kept.push(...merged.kept);
    const same = before === hash53(record.json);
    if (same && fileValues === JSON.stringify(mine?.fileValues ?? null)) continue;
    // A kept correction whose file value is noted anew is written, but nothing in it changed.
    if (before === undefined) added++;
    else if (!same) updated++;
    // New records get a certificate id and their hidden flag; the upsert ignores both for old ones.
    const terms = JSON.stringify(nameTerms(record.name, nameInFileOf(record.json)));
    await stager.add(
      'records',
      `{"certificateId":"${randomId()}","hidden":${record.hidden ? 1 : 0},"fileValues":${fileValues},"terms":${terms},"participantKey":${JSON.stringify(record.key)},${record.json.slice(1)}`,
    );
  }
  const notInFile = options.removeMissing ? [...existing.keys()] : [];
  const reason = removalHold(notInFile.length, existingCount, options.report?.rejected ?? 0);
  const held = reason ? { reason, bibs: notInFile } : undefined;
  const missing = held ? [] : notInFile;
  for (const key of missing) await stager.add('missing', JSON.stringify(key));
  if (existingCount - missing.length + added > MAX_EVENT_RECORDS) {
    await db.delete(importChunks).where(eq(importChunks.importKey, stager.importKey));
    const limit = MAX_EVENT_RECORDS.toLocaleString('en-US');
    throw new ImportError(
      `This file would give the event more than ${limit} records, the most one event can hold.`,
      413,
    );
  }
  const changes: RecordChanges = {
    added,
    updated,
    unchanged: incoming.length - added - updated,
    removed: missing.length,
  };

  const commit: ImportCommit = {
    importKey: stager.importKey,
    eventId,
    sourceId: options.sourceId ?? null,
    updatedAt: new Date(),
    createdAt: new Date(),
  };
  const d1 = db.$client;
  try {
    const chunks = await stager.flush();
    if (chunks > 0) await addNameWords(d1, commit, 0);
    const statements = [
      // First, so that a file older than one already applied changes nothing (migration 0008).
      ...(options.ticket === undefined
        ? []
        : [d1.prepare('UPDATE events SET applied_ticket = ?1 WHERE id = ?2').bind(options.ticket, eventId)]),
      d1
        .prepare('INSERT INTO import_commits (import_key, event_id, source_id, updated_at) VALUES (?1, ?2, ?3, ?4)')
        .bind(commit.importKey, eventId, commit.sourceId, commit.updatedAt.getTime()),
    ];
    if (options.report) {
      const { added, updated, unchanged, removed } = changes;
      const log = db
        .insert(imports)
        .values({
          eventId,
          sourceId: commit.sourceId,
          added,
          updated,
          unchanged,
          removed,
          ...options.report,
          heldRemovals: held ?? null,
        })
        .returning({ id: imports.id })
        .toSQL();
      statements.push(d1.prepare(log.sql).bind(...log.params));
    }
    const logIndex = statements.length - 1;
    statements.push(
      ...(chunks > 0 ? applyChunkStatements(d1, commit, 0) : []),
      d1.prepare(FORGET_FINISHED).bind(commit.importKey),
    );
    const results = await d1.batch<{ id: number }>(statements);
    if (options.report) changes.importId = results[logIndex]?.results[0]?.id;
  } catch (error) {
    await db.delete(importChunks).where(eq(importChunks.importKey, stager.importKey));
    throw error;
  }
  await applyCommitted(db, commit);
  if (held) changes.held = held;
  if (kept.length > 0) changes.kept = kept;
  if (added + updated > 0) changes.writtenAt = commit.updatedAt;
  return changes;
}

// How long a file waits for the files that reached the event before it; one that never finishes
// (its worker died) must not hold the event's imports up for good.
const TURN_WAIT_MS = 20_000;
const TURN_POLL_MS = 50;

/** A number for a file reaching the event: files are applied in the order of these numbers. */
export async function takeImportTicket(db: Database, eventId: number): Promise<number> {
  const [row] = await db
    .update(events)
    .set({ importTicket: sql`${events.importTicket} + 1` })
    .where(eq(events.id, eventId))
    .returning({ ticket: events.importTicket });
  return row!.ticket;
}

/** Lets the files after this one go ahead when it fails before it could be applied. */
export const releaseImportTicket = (db: Database, eventId: number, ticket: number) =>
  db
    .update(events)
    .set({ appliedTicket: sql`max(${events.appliedTicket}, ${ticket})` })
    .where(eq(events.id, eventId));

/** Waits (bounded) until every file that reached the event before this one is applied or gone. */
async function waitForTurn(db: Database, eventId: number, ticket: number): Promise<void> {
  const deadline = Date.now() + TURN_WAIT_MS;
  for (;;) {
    const [row] = await db.select({ applied: events.appliedTicket }).from(events).where(eq(events.id, eventId));
    if (!row || row.applied >= ticket - 1 || Date.now() > deadline) return;
    await pause(TURN_POLL_MS);
  }
}

/**
 * Adds one record typed in by hand, or restored with the participant key it had, through the same
 * write path as a file.
 */
export const addRecord = (db: Database, eventId: number, input: RecordInput, key?: string) =>
  importRecords(db, eventId, [prepareRecordAs(input, key)]);
