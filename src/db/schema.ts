import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

/** A race or ride that participants get certificates for. Only published events reach the portal. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** ISO date (YYYY-MM-DD) of the event day. */
    date: text('date'),
    location: text('location'),
    published: integer('published', { mode: 'boolean' }).notNull().default(false),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    /** The template every record gets until per-group rules exist. */
    templateId: integer('template_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('events_slug_unique').on(t.slug), index('events_published_idx').on(t.published, t.date)],
);

export const sourceKinds = ['upload', 'url'] as const;

/** Where an event's records come from: an uploaded results file or a URL the timing system keeps updated. */
export const sources = sqliteTable('sources', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  eventId: integer('event_id')
    .notNull()
    .references(() => events.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: sourceKinds }).notNull(),
  name: text('name').notNull(),
  url: text('url'),
  /** Column mapping from the results file to record fields, as JSON. */
  mapping: text('mapping', { mode: 'json' }).$type<Record<string, string>>(),
  createdAt: createdAt(),
});

/** A certificate design. `layout` is validated by the layout schema in src/render/layout.ts. */
export const templates = sqliteTable('templates', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  eventId: integer('event_id').references(() => events.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  layout: text('layout', { mode: 'json' }).notNull().$type<unknown>(),
  /** Bumped on every save, so cached images of an older version keep their own URLs. */
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
});

export const recordStatuses = ['finished', 'dnf', 'dns', 'dsq'] as const;
export type RecordStatus = (typeof recordStatuses)[number];

/** One participant's result in one event. */
export const records = sqliteTable(
  'records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    sourceId: integer('source_id').references(() => sources.id, { onDelete: 'set null' }),
    bib: text('bib').notNull(),
    name: text('name').notNull(),
    category: text('category'),
    gender: text('gender'),
    age: integer('age'),
    /** Finish time as h:mm:ss, null for anyone who did not finish. */
    finishTime: text('finish_time'),
    rankOverall: integer('rank_overall'),
    rankGender: integer('rank_gender'),
    rankCategory: integer('rank_category'),
    status: text('status', { enum: recordStatuses }).notNull().default('finished'),
    /** Columns of the results file that have no field of their own. */
    extra: text('extra', { mode: 'json' }).$type<Record<string, string>>(),
    hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
    /** Unguessable public id (128 random bits, base64url) used in certificate URLs. */
    certificateId: text('certificate_id').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('records_event_bib_unique').on(t.eventId, t.bib),
    uniqueIndex('records_certificate_id_unique').on(t.certificateId),
  ],
);

/**
 * Normalised name words of each record (lower case, accents folded), so that a name search is
 * a prefix range on this table's primary key instead of a scan of `records`.
 */
export const recordTerms = sqliteTable(
  'record_terms',
  {
    eventId: integer('event_id').notNull(),
    term: text('term').notNull(),
    recordId: integer('record_id')
      .notNull()
      .references(() => records.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.term, t.recordId] }), index('record_terms_record_idx').on(t.recordId)],
);

export type Event = typeof events.$inferSelect;
export type Source = typeof sources.$inferSelect;
export type Template = typeof templates.$inferSelect;
export type ParticipantRecord = typeof records.$inferSelect;
export type NewParticipantRecord = typeof records.$inferInsert;
