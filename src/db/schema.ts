import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

/** Someone who runs events and signs in to the admin pages. */
export const organisers = sqliteTable(
  'organisers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    /** `pbkdf2-sha256$iterations$salt$hash`, see src/admin/password.ts. */
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organisers_email_unique').on(t.email)],
);

/** A signed-in browser. Only the SHA-256 of the cookie's id is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    organiserId: integer('organiser_id')
      .notNull()
      .references(() => organisers.id, { onDelete: 'cascade' }),
    /** Sent back in every admin form; a cross-site form cannot know it. */
    csrfToken: text('csrf_token').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_organiser_idx').on(t.organiserId)],
);

/** Passwords checked per key (an email, a client, or the two) in the current window: src/auth/sign-in-limits.ts. */
export const signInAttempts = sqliteTable('sign_in_attempts', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start', { mode: 'timestamp_ms' }).notNull(),
  failures: integer('failures').notNull(),
});

/** Bearer tokens for the organiser API (timing systems). Only the SHA-256 of a token is stored. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organiserId: integer('organiser_id')
      .notNull()
      .references(() => organisers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    /** Chosen when the token is made (src/auth/tokens.ts); null for a token that does not expire. */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    /** The one event the token may use; null for all of the organiser's events (src/auth/ownership.ts). */
    eventId: integer('event_id').references(() => events.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('api_tokens_hash_unique').on(t.tokenHash)],
);

/**
 * The first answer to an organiser API request sent with an `Idempotency-Key`, per token and key,
 * for 24 hours (src/auth/idempotency.ts). A row without a status is a request still in progress:
 * inserting it first is how one of two requests with the same key wins.
 */
export const apiIdempotency = sqliteTable(
  'api_idempotency',
  {
    tokenId: integer('token_id')
      .notNull()
      .references(() => apiTokens.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    method: text('method').notNull(),
    /** Path and query string: the same key for another request is refused. */
    path: text('path').notNull(),
    /** SHA-256 of the request body, known once the request is done. */
    bodyHash: text('body_hash'),
    /** The answer's status; null while the first request is in progress. */
    status: integer('status'),
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>(),
    /** The answer's body; null while in progress, or when it was too large to keep. */
    body: text('body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.key] }), index('api_idempotency_created_idx').on(t.createdAt)],
);

/** A race or ride that participants get certificates for. Only published events reach the portal. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organiserId: integer('organiser_id').references(() => organisers.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** ISO date (YYYY-MM-DD) of the event day. */
    date: text('date'),
    location: text('location'),
    /**
     * The participants' language as a BCP 47 tag (`ja`, `zh-Hant`, `fa`), for what script alone
     * cannot tell: a name in kanji is drawn with Japanese glyph forms, not Chinese. Null: none said.
     */
    language: text('language'),
    published: integer('published', { mode: 'boolean' }).notNull().default(false),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    /** The default template: what a record gets when no rule in `templateRules` matches it. */
    templateId: integer('template_id'),
    /** Which template a group of records gets, first match wins (see src/certificates/rules.ts). */
    templateRules: text('template_rules', { mode: 'json' }).$type<TemplateRule[]>(),
    /** The last import ticket handed out: files are numbered in the order they arrive. */
    importTicket: integer('import_ticket').notNull().default(0),
    /** The ticket of the last import applied; a trigger refuses to move it back (migration 0008). */
    appliedTicket: integer('applied_ticket').notNull().default(0),
    /**
     * What a participant who asks to remove their certificate must know to have it hidden at once
     * (src/certificates/removal-requests.ts): `extra:<column>`, `participantKey` or `age`. Null: every
     * request waits for the organiser.
     */
    removalCheck: text('removal_check'),
    /**
     * The event's own look on the portal (src/events/branding.ts): an accent colour (`#rrggbb`,
     * checked for contrast), also the share card's frame; a logo and a cover image by their
     * upload's hash. Null: the portal's own.
     */
    accentColour: text('accent_colour'),
    logoHash: text('logo_hash'),
    coverHash: text('cover_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('events_slug_unique').on(t.slug),
    index('events_published_idx').on(t.published, t.date),
    index('events_organiser_idx').on(t.organiserId),
  ],
);

/**
 * An address an event had before it was renamed. Links shared with the old address redirect to
 * the event's current one, and no other organiser may take it (src/events/addresses.ts).
 */
export const formerSlugs = sqliteTable(
  'former_slugs',
  {
    slug: text('slug').primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('former_slugs_event_idx').on(t.eventId)],
);

/** Picks a template for records by status (finished or not) and/or category. */
export interface TemplateRule {
  status?: 'finished' | 'unfinished';
  category?: string;
  templateId: number;
}

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
  /** Column mapping from the results file to record fields, as JSON (see src/import/mapping.ts). */
  mapping: text('mapping', { mode: 'json' }).$type<Record<string, string | string[]>>(),
  /** Whether a sync removes records whose participant (bib, or key) is no longer in the file. */
  removeMissing: integer('remove_missing', { mode: 'boolean' }).notNull().default(false),
  lastSyncedAt: integer('last_synced_at', { mode: 'timestamp_ms' }),
  lastSyncError: text('last_sync_error'),
  createdAt: createdAt(),
});

/** One import of a results file: what it did, for the overview and the organiser's confidence. */
export const imports = sqliteTable(
  'imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    sourceId: integer('source_id').references(() => sources.id, { onDelete: 'set null' }),
    added: integer('added').notNull(),
    updated: integer('updated').notNull(),
    unchanged: integer('unchanged').notNull(),
    removed: integer('removed').notNull(),
    rejected: integer('rejected').notNull(),
    encoding: text('encoding').notNull(),
    /**
     * Participant keys (records/participant-key.ts) no longer in the file that were kept until the
     * organiser confirms (see records/removal.ts). Named `bibs` from when every key was a bib.
     */
    heldRemovals: text('held_removals', { mode: 'json' }).$type<{ reason: string; bibs: string[] }>(),
    createdAt: createdAt(),
  },
  (t) => [index('imports_event_idx').on(t.eventId)],
);

/**
 * Rows of an import waiting to go live. A large import is written here in several batches, then
 * one final batch moves it into `records` atomically and deletes it, so only one chunk of the
 * file needs to be in memory at a time.
 */
export const importChunks = sqliteTable(
  'import_chunks',
  {
    importKey: text('import_key').notNull(),
    seq: integer('seq').notNull(),
    /** `records`: JSON array of records, each with its search terms; `missing`: JSON array of participant keys. */
    kind: text('kind', { enum: ['records', 'missing'] }).notNull(),
    payload: text('payload').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.importKey, t.seq] })],
);

/**
 * Imports that are committed but whose staged chunks are still being applied, a chunk per
 * transaction (records/import.ts). Whoever finds one here finishes it: the import itself, the
 * next import into the event, the cron, a publish.
 */
export const importCommits = sqliteTable('import_commits', {
  importKey: text('import_key').primaryKey(),
  eventId: integer('event_id')
    .notNull()
    .references(() => events.id, { onDelete: 'cascade' }),
  sourceId: integer('source_id'),
  /** The records' updated-at, the same for every chunk of the import. */
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  createdAt: createdAt(),
});

export const publishRunKinds = ['publish', 'live'] as const;

/**
 * A publish: one render job per record on the queue, queued a chunk at a time and counted as the
 * consumer finishes them. A `live` run is the same for the records one import wrote into a
 * published event (src/publish/live.ts).
 */
export const publishRuns = sqliteTable(
  'publish_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: publishRunKinds }).notNull().default('publish'),
    /** A live run's records: those whose `updatedAt` is this, the import's (records/import.ts). */
    writtenAt: integer('written_at', { mode: 'timestamp_ms' }),
    templateId: integer('template_id').notNull(),
    templateVersion: integer('template_version').notNull(),
    total: integer('total').notNull(),
    /** Render jobs put on the queue so far: queueing runs in chunks over several invocations. */
    queued: integer('queued').notNull().default(0),
    /** The id of the last record queued, where queueing resumes after a crash. */
    queuedThrough: integer('queued_through').notNull().default(0),
    /** When jobs were last queued, to tell a stalled run from a running one. */
    queuedAt: integer('queued_at', { mode: 'timestamp_ms' }),
    done: integer('done').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    /** When a job last finished: a run with jobs out and no progress for a while has lost them. */
    progressedAt: integer('progressed_at', { mode: 'timestamp_ms' }),
    /**
     * The chunk in flight: the record id it starts after, and the counters before it. A run that
     * lost jobs resumes from there, so its counters only ever count what was really rendered.
     */
    chunkFrom: integer('chunk_from').notNull().default(0),
    chunkQueued: integer('chunk_queued').notNull().default(0),
    chunkDone: integer('chunk_done').notNull().default(0),
    chunkFailed: integer('chunk_failed').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('publish_runs_event_idx').on(t.eventId)],
);

/**
 * What a publish run's jobs have to report: `failed`, a job that failed on every attempt;
 * `placeholder`, a certificate rendered with a box for characters no font has.
 */
export const publishNoteKinds = ['failed', 'placeholder'] as const;
export type PublishNoteKind = (typeof publishNoteKinds)[number];

/** Notes on a publish run's render jobs, with why, for the Publish tab. */
export const publishFailures = sqliteTable(
  'publish_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => publishRuns.id, { onDelete: 'cascade' }),
    certificateId: text('certificate_id').notNull(),
    kind: text('kind', { enum: publishNoteKinds }).notNull().default('failed'),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('publish_failures_run_idx').on(t.runId)],
);

/** A certificate design. `layout` is validated by the layout schema in src/render/layout.ts. */
export const templates = sqliteTable('templates', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  eventId: integer('event_id').references(() => events.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  layout: text('layout', { mode: 'json' }).notNull().$type<unknown>(),
  /** Bumped on every save, so cached images of an older version keep their own URLs. */
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

export const assetKinds = ['image', 'font'] as const;

/**
 * A background, logo or font an organiser uploaded for an event. The bytes live in R2 under
 * `assets/<hash>`: content-addressed, so a layout that names a hash always draws the same thing.
 */
export const assets = sqliteTable(
  'assets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** SHA-256 (hex, 32 characters) of the stored bytes; what layouts refer to. */
    hash: text('hash').notNull(),
    kind: text('kind', { enum: assetKinds }).notNull(),
    /** The file name it was uploaded as, or a font's own name. */
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    /** The uploaded image's size when it was downscaled on upload. */
    originalWidth: integer('original_width'),
    originalHeight: integer('original_height'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('assets_event_hash_unique').on(t.eventId, t.hash)],
);

export type Asset = typeof assets.$inferSelect;

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
    /**
     * Who this participant is to every import: the bib, or for someone without one the column the
     * organiser chose (`key:…`) or the folded name (`name:…`); see records/participant-key.ts.
     * Imports upsert, remove and restore by it, and a hand correction of the bib leaves it be.
     */
    participantKey: text('participant_key').notNull(),
    /** The bib as printed, null for participants who have none (a list of names, a sign-up sheet). */
    bib: text('bib'),
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
    /** This participant's language (BCP 47), where it differs from the event's; null: the event's. */
    language: text('language'),
    /** Columns of the results file that have no field of their own. */
    extra: text('extra', { mode: 'json' }).$type<Record<string, string>>(),
    hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
    /** Fields the organiser corrected by hand: imports leave them alone (see records/corrections.ts). */
    handEdited: text('hand_edited', { mode: 'json' }).$type<string[]>(),
    /** What the last import said for those fields, where it differs from the correction. */
    fileValues: text('file_values', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** Unguessable public id (128 random bits, base64url) used in certificate URLs. */
    certificateId: text('certificate_id').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    /**
     * Search terms made by an older rule (records/terms.ts): the cron makes them anew. A migration
     * that changes the rule marks the records it affects.
     */
    termsOutdated: integer('terms_outdated', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    uniqueIndex('records_event_key_unique').on(t.eventId, t.participantKey),
    index('records_outdated_terms_idx').on(t.id).where(sql`${t.termsOutdated} = 1`),
    // Not unique: a bib corrected by hand may for a while be one a file gives someone else.
    index('records_event_bib_idx').on(t.eventId, t.bib),
    // An event's records in id order (SQLite keeps an index's entries in rowid order per key): an
    // import reads them a page at a time, which otherwise sorts the whole event for every page.
    index('records_event_idx').on(t.eventId),
    // A name search's candidates in result order without reading their rows (records/queries.ts):
    // "ma" is 18,000 candidates of 200,000, and a row holds the whole record.
    index('records_search_order').on(t.id, t.hidden, t.status, t.rankOverall, t.name),
    // An event's records in result order: a search for a word that prefixes many names reads them
    // until its page is full.
    index('records_result_order').on(
      t.eventId,
      sql`${t.status} <> 'finished'`,
      sql`${t.rankOverall} IS NULL`,
      t.rankOverall,
      t.name,
    ),
    uniqueIndex('records_certificate_id_unique').on(t.certificateId),
  ],
);

/**
 * Records taken out of an event, by an import or by hand, kept 30 days so they can be restored.
 * A participant who comes back (same participant key) gets their old certificate id, so shared links live on.
 */
export const removedRecords = sqliteTable(
  'removed_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    participantKey: text('participant_key').notNull(),
    bib: text('bib'),
    name: text('name').notNull(),
    certificateId: text('certificate_id').notNull(),
    /** The record's fields as prepareRecord's JSON, plus `hidden`. */
    record: text('record').notNull(),
    /** `import` (no longer in the file), `hand` (deleted on the Records tab) or `source` (its source went). */
    reason: text('reason').notNull(),
    removedAt: integer('removed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('removed_records_event_key_idx').on(t.eventId, t.participantKey),
    index('removed_records_removed_idx').on(t.removedAt),
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

/**
 * Every name word of five letters or more an event's records have had (record_terms' distinct
 * terms, never pruned): where a search that found no one looks for the word one typo away.
 */
export const nameWords = sqliteTable(
  'name_words',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    word: text('word').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.word] })],
);

export const removalRequestStates = ['pending', 'accepted', 'refused'] as const;

/**
 * A participant's request to remove their certificate (src/certificates/removal-requests.ts). A
 * confirmed one (they knew the event's removal check) is accepted at once; any other waits for the
 * organiser. Not to be confused with removed records: this one hides the record, it does not delete it.
 */
export const removalRequests = sqliteTable(
  'removal_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    recordId: integer('record_id')
      .notNull()
      .references(() => records.id, { onDelete: 'cascade' }),
    state: text('state', { enum: removalRequestStates }).notNull().default('pending'),
    /** Whether the participant answered the removal check: the record was hidden without the organiser. */
    confirmed: integer('confirmed', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('removal_requests_event_state_idx').on(t.eventId, t.state),
    // One request per record waits at a time: asking again changes nothing.
    uniqueIndex('removal_requests_pending_unique').on(t.recordId).where(sql`${t.state} = 'pending'`),
  ],
);

/** Answers given to a record's removal check, counted so the answer cannot be guessed by trying. */
export const removalAnswers = sqliteTable('removal_answers', {
  recordId: integer('record_id')
    .primaryKey()
    .references(() => records.id, { onDelete: 'cascade' }),
  count: integer('count').notNull(),
});

/**
 * Every proof a certificate image was drawn with (its QR code's verify URL), so the verify page
 * tells a certificate issued before the result changed (superseded) from a proof never issued.
 * By certificate id, not record: a removed record that is restored keeps its id, and its history.
 */
export const issuedProofs = sqliteTable(
  'issued_proofs',
  {
    certificateId: text('certificate_id').notNull(),
    proof: text('proof').notNull(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    firstIssued: integer('first_issued', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.certificateId, t.proof] }), index('issued_proofs_event_idx').on(t.eventId)],
);

export type Organiser = typeof organisers.$inferSelect;
export type Event = typeof events.$inferSelect;
export type PublishRun = typeof publishRuns.$inferSelect;
export type Source = typeof sources.$inferSelect;
export type Template = typeof templates.$inferSelect;
export type ParticipantRecord = typeof records.$inferSelect;
export type NewParticipantRecord = typeof records.$inferInsert;
export type ApiToken = typeof apiTokens.$inferSelect;
export type ApiIdempotency = typeof apiIdempotency.$inferSelect;
export type RemovedRecord = typeof removedRecords.$inferSelect;
export type ImportCommit = typeof importCommits.$inferSelect;
export type RemovalRequest = typeof removalRequests.$inferSelect;

/**
 * A participant's photo, drawn by a template's photo element (records/photos.ts). The bytes are an
 * upload in R2 by their hash, like other assets; a new photo gives a new hash, so new image URLs.
 */
export const recordPhotos = sqliteTable('record_photos', {
  recordId: integer('record_id')
    .primaryKey()
    .references(() => records.id, { onDelete: 'cascade' }),
  hash: text('hash').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export type RecordPhoto = typeof recordPhotos.$inferSelect;

/**
 * What happened on an event's public pages, counted per UTC day (src/stats/): certificate page
 * views, downloads by file, share clicks by network, searches, and the folded text of searches
 * that found no one. Counts only: no cookie, address or browser is kept.
 */
export const eventStats = sqliteTable(
  'event_stats',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** YYYY-MM-DD, UTC. */
    day: text('day').notNull(),
    metric: text('metric').notNull(),
    /** What was counted within the metric: the file, the network, the search's words; '' for none. */
    key: text('key').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.day, t.metric, t.key] })],
);
export type EventStat = typeof eventStats.$inferSelect;

/**
 * A hostname of an organiser's own (src/events/hostnames.ts), pointed at the portal through
 * Cloudflare for SaaS: it shows one event's portal at `/`, or with no event, the organiser's events.
 */
export const hostnames = sqliteTable(
  'hostnames',
  {
    /** Lowercase, without port or trailing dot. */
    hostname: text('hostname').primaryKey(),
    organiserId: integer('organiser_id')
      .notNull()
      .references(() => organisers.id, { onDelete: 'cascade' }),
    eventId: integer('event_id').references(() => events.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('hostnames_organiser_idx').on(t.organiserId), uniqueIndex('hostnames_event_unique').on(t.eventId)],
);

export type Hostname = typeof hostnames.$inferSelect;

export const exportKinds = ['png', 'pdf', 'print'] as const;
/** `png`, `pdf`: ZIP files of certificates in that format; `print`: one PDF, a certificate a page. */
export type ExportKind = (typeof exportKinds)[number];
export const exportStates = ['running', 'done', 'failed'] as const;

/** Which records an export takes: a category, a range of numeric bibs, or both; none, all. */
export interface ExportSelection {
  category?: string;
  bibFrom?: number;
  bibTo?: number;
}

/** An organiser's download of many certificates, built in the background (src/publish/exports.ts). */
export const certificateExports = sqliteTable(
  'exports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: exportKinds }).notNull(),
    selection: text('selection', { mode: 'json' }).$type<ExportSelection>().notNull(),
    state: text('state', { enum: exportStates }).notNull().default('running'),
    /** Why a failed export stopped. */
    failure: text('failure'),
    /** Certificates selected when the export began, and written so far (hidden since: left out). */
    total: integer('total').notNull(),
    done: integer('done').notNull().default(0),
    /** Certificates a queue message handles, and a file holds: chosen at the start, kept for its messages. */
    sliceSize: integer('slice_size').notNull(),
    fileSize: integer('file_size').notNull(),
    createdAt: createdAt(),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('exports_event_idx').on(t.eventId)],
);
export type CertificateExport = typeof certificateExports.$inferSelect;

/**
 * One file of an export, written to R2 by a chain of queue messages, each appending a slice of
 * records after `afterId` up to `throughId`. The R2 multipart upload, its parts so far, and the
 * objects carried between messages (bytes short of a part; the ZIP's central directory records or
 * the print's page list) are what the next message resumes from.
 */
export const exportFiles = sqliteTable(
  'export_files',
  {
    exportId: integer('export_id')
      .notNull()
      .references(() => certificateExports.id, { onDelete: 'cascade' }),
    /** From 1. */
    number: integer('number').notNull(),
    afterId: integer('after_id').notNull(),
    throughId: integer('through_id').notNull(),
    total: integer('total').notNull(),
    done: integer('done').notNull().default(0),
    key: text('key').notNull(),
    uploadId: text('upload_id'),
    parts: text('parts', { mode: 'json' }).$type<R2UploadedPart[]>().notNull(),
    /** Bytes of the file so far: where the next ZIP entry starts. */
    bytes: integer('bytes').notNull().default(0),
    carryKey: text('carry_key'),
    listKey: text('list_key'),
    finished: integer('finished', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.exportId, t.number] })],
);
export type ExportFile = typeof exportFiles.$inferSelect;
