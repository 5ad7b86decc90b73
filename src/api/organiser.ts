import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requireToken, requireTokenForAllEvents } from '../auth/guard';
import { idempotent } from '../auth/idempotency';
import { ownEventBySlug } from '../auth/ownership';
import { MAX_ASSET_BYTES, storeAsset } from '../assets/store';
import {
  certificateLinks,
  findPublicCertificate,
  publicCertificatesOf,
  type PublicCertificate,
} from '../certificates/public';
import { addBuiltInTemplate } from '../certificates/templates';
import type { Event, ParticipantRecord } from '../db/schema';
import type { EventEnv, OrganiserEnv } from '../env';
import { createEvent, listOrganiserEvents, slugClaim, updateEvent } from '../events/queries';
import { eventInputOf, eventInputSchema, eventPatchSchema } from '../events/rules';
import { MAX_FILE_BYTES } from '../import/limits';
import { mappingSchema } from '../import/mapping';
import { absoluteUrl, apiPaths, linkOrigin, portalPaths } from '../paths';
import { publishProgress } from '../publish/progress';
import { latestPublishRun, publishEvent, publishStalled, resumePublish, unpublishEvent } from '../publish/publish';
import {
  deleteRecord,
  findRecordByKey,
  listRecords,
  recordClash,
  setRecordHidden,
  updateRecord,
} from '../records/queries';
import { searchRecords } from '../records/search';
import { addRecord } from '../records/import';
import { participantKey } from '../records/participant-key';
import { useFileValues } from '../records/corrections';
import { confirmHeldRemovals } from '../records/removal';
import { recordInputOf, recordPatchSchema, recordSchema, useFileValuesSchema } from '../records/rules';
import { ImportError } from '../import/import-error';
import { readCapped } from '../read-capped';
import { importFile } from '../sources/import-file';
import { importSourceFor } from '../sources/queries';
import { invalid, jsonBody, jsonBy } from './json';
import {
  assetQuerySchema,
  newEventSchema,
  recordListQuerySchema,
  SEARCH_RESULTS_LIMIT,
  type EventAnswer,
  type RecordAnswer,
} from './openapi';
import { builtInTemplateApi, eventTemplateApi } from './templates';

/** Refuses (409) an address another event has, or one another organiser's event had and still redirects from. */
async function claimSlug({ db, organiser }: OrganiserEnv['Variables'], slug: string, eventId?: number) {
  const claim = await slugClaim(db, organiser.id, slug, eventId);
  if (claim === 'taken') throw new HTTPException(409, { message: `The slug "${slug}" is taken.` });
  if (claim === 'reserved')
    throw new HTTPException(409, {
      message: `The slug "${slug}" belonged to another organiser's event and still leads there. Choose another.`,
    });
}

/** An event as the organiser API answers it. */
const eventJson = ({ id, slug, name, date, location, language, published, templateId }: Event): EventAnswer => ({
  id,
  slug,
  name,
  date,
  location,
  language,
  published,
  defaultTemplateId: templateId,
});

/**
 * A record as the organiser API answers it. `formats` holds the URL of each certificate file
 * while the public can see it (event published, record visible), and is null otherwise.
 */
async function recordJson(
  c: Context<EventEnv>,
  event: Event,
  r: ParticipantRecord,
  // Looked up when not given; a page of records looks them up together (publicCertificatesOf).
  known?: PublicCertificate | null,
): Promise<RecordAnswer> {
  const origin = linkOrigin(c.env.PUBLIC_URL, c.req.url);
  const certificate = known === undefined ? await findPublicCertificate(c.var.db, r.certificateId) : known;
  const links = certificate && (await certificateLinks(origin, certificate));
  return {
    /** Null for a participant without a bib. */
    bib: r.bib,
    /** How imports know them, and the name of this record in the API's paths: the bib, `key:…` or `name:…`. */
    key: r.participantKey,
    name: r.name,
    category: r.category,
    gender: r.gender,
    age: r.age,
    finishTime: r.finishTime,
    status: r.status,
    rankOverall: r.rankOverall,
    rankGender: r.rankGender,
    rankCategory: r.rankCategory,
    /** The record's own language; null takes the event's. */
    language: r.language,
    hidden: r.hidden,
    extra: r.extra ?? {},
    /** Fields corrected by hand, which imports leave alone, and what the last file said instead. */
    corrections: { fields: r.handEdited ?? [], fileValues: r.fileValues ?? {} },
    certificateUrl: absoluteUrl(origin, portalPaths.certificate(event.slug, r.certificateId)),
    updatedAt: r.updatedAt.toISOString(),
    formats: links?.formats ?? null,
    verifyUrl: links?.verifyUrl ?? null,
  };
}

/** A record's version for ETag and If-Match: when it last changed. */
const recordVersion = (record: ParticipantRecord) => `"${record.updatedAt.getTime()}"`;

/**
 * The event's record with the bib, or the participant key (`key:…`, `name:…`) of someone without
 * one, in the path; another event's is a 404.
 */
async function recordOf(c: Context<EventEnv>) {
  const bib = c.req.param('bib') ?? '';
  const record = await findRecordByKey(c.var.db, c.var.event.id, bib);
  if (!record) throw new HTTPException(404, { message: `No record with bib or key "${bib}" in ${c.var.event.slug}.` });
  return record;
}

function parseMappingParam(param: string | undefined) {
  if (!param) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(param);
  } catch {
    throw new HTTPException(400, { message: 'mapping must be JSON, e.g. {"bib":"Startnr","name":"Name"}.' });
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

/** Everything under /v1/events/:slug, behind the gate that sets `c.var.event` to the token owner's event. */
const eventApi = new Hono<EventEnv>()
  .use(ownEventBySlug)
  // After the gate: a POST repeating an Idempotency-Key gets the first answer (src/auth/idempotency.ts).
  .use(idempotent)
  .get('/', (c) => c.json(eventJson(c.var.event)))
  // Name, address, date, location, language: the fields sent change, the rest keep their values.
  .patch('/', async (c) => {
    const { event, db } = c.var;
    const patch = eventPatchSchema.safeParse(await jsonBody(c));
    if (!patch.success) throw invalid(patch.error);
    const input = eventInputSchema.safeParse({ ...eventInputOf(event), ...patch.data });
    if (!input.success) throw invalid(input.error);
    await claimSlug(c.var, input.data.slug, event.id);
    await updateEvent(db, event, input.data);
    return c.json(eventJson({ ...event, ...input.data }));
  })
  .route('/', eventTemplateApi)
  .post('/imports', async (c) => {
    const { event, db } = c.var;
    if (Number(c.req.header('Content-Length') ?? 0) > MAX_FILE_BYTES) {
      throw new HTTPException(413, { message: 'Results files may be at most 20 MB.' });
    }
    const mapping = parseMappingParam(c.req.query('mapping'));
    const source = await importSourceFor(db, event, { newName: 'API imports' });
    // Read while the file takes its place in line: files apply in the order they arrived.
    const body = readCapped(c.req.raw.body, MAX_FILE_BYTES).then((bytes) => {
      if (!bytes) throw new ImportError('Results files may be at most 20 MB.', 413);
      return bytes;
    });
    const report = await importFile(db, event, source, body, {
      renderQueue: c.env.RENDER_QUEUE,
      mapping,
      removeMissing: c.req.query('removeMissing') === 'true' ? true : undefined,
    });
    const { importId, added, updated, unchanged, removed, kept, rejected, duplicates, encoding, delimiter } = report;
    const heldRemovals = report.held && {
      ...report.held,
      confirm: absoluteUrl(linkOrigin(c.env.PUBLIC_URL, c.req.url), apiPaths.confirmRemovals(event.slug, importId!)),
    };
    return c.json({
      importId,
      added,
      updated,
      unchanged,
      removed,
      heldRemovals: heldRemovals ?? null,
      keptCorrections: kept ?? [],
      rejected,
      duplicates,
      encoding,
      delimiter,
      // The columns read: the ones sent, those saved with the source, or the guess for a file with other headers.
      mapping: report.mapping,
    });
  })
  // Removals an import held back (a file with unreadable rows, or one that removes more than 5 %).
  .post('/imports/:importId{[0-9]+}/confirm-removals', async (c) => {
    const removed = await confirmHeldRemovals(c.var.db, c.var.event.id, Number(c.req.param('importId')));
    if (removed === undefined) throw new HTTPException(404, { message: 'This import has no removals waiting.' });
    return c.json({ removed });
  })
  // The file is the body; its name comes in `?name=`, as in `curl --data-binary @logo.png`.
  .post('/assets', async (c) => {
    if (Number(c.req.header('Content-Length') ?? 0) > MAX_ASSET_BYTES) {
      throw new HTTPException(413, { message: 'Files may be at most 10 MB. Export the image smaller or as a JPEG.' });
    }
    const { name } = assetQuerySchema.parse(c.req.query());
    const bytes = await readCapped(c.req.raw.body, MAX_ASSET_BYTES);
    if (!bytes)
      throw new HTTPException(413, { message: 'Files may be at most 10 MB. Export the image smaller or as a JPEG.' });
    const asset = await storeAsset(c.env, c.var.db, c.var.event.id, { name, bytes });
    const { id, hash, kind, contentType, size, width, height, originalWidth, originalHeight } = asset;
    return c.json(
      { id, hash, name: asset.name, kind, contentType, size, width, height, originalWidth, originalHeight },
      201,
    );
  })
  // The Records tab's list: a page of every record, hidden ones too, or a search by bib or name.
  .get('/records', async (c) => {
    const { event, db } = c.var;
    const query = recordListQuerySchema.safeParse(c.req.query());
    if (!query.success) throw invalid(query.error);
    const { q, page, perPage } = query.data;
    const found = q
      ? await searchRecords(db, event.id, q, { includeHidden: true, limit: SEARCH_RESULTS_LIMIT }).then((found) => ({
          rows: found.records,
          total: found.total,
        }))
      : await listRecords(db, event.id, page, perPage);
    const certificates = await publicCertificatesOf(db, event, found.rows);
    return c.json({
      records: await Promise.all(found.rows.map((r) => recordJson(c, event, r, certificates.get(r.id) ?? null))),
      total: found.total,
      page: q ? 1 : page,
      perPage: q ? SEARCH_RESULTS_LIMIT : perPage,
      pages: q ? 1 : Math.max(1, Math.ceil(found.total / perPage)),
    });
  })
  // A record typed in by hand, by the rule every way in shares; its bib (or name) must be free.
  .post('/records', async (c) => {
    const { event, db } = c.var;
    const input = await jsonBy(c, recordSchema);
    const clash = await recordClash(db, event.id, input);
    if (clash) throw new HTTPException(409, { message: clash });
    await addRecord(db, event.id, input);
    const key = participantKey({ bib: input.bib, name: input.name });
    const record = await findRecordByKey(db, event.id, key);
    if (!record) throw new Error(`record ${key} not found after adding it`);
    c.header('Location', absoluteUrl(linkOrigin(c.env.PUBLIC_URL, c.req.url), apiPaths.record(event.slug, key)));
    c.header('ETag', recordVersion(record));
    return c.json(await recordJson(c, event, record), 201);
  })
  .get('/records/:bib', async (c) => {
    const record = await recordOf(c);
    c.header('ETag', recordVersion(record));
    return c.json(await recordJson(c, c.var.event, record));
  })
  // Hand corrections: take the file's values for the fields named (all of them without a body).
  .post('/records/:bib/use-file-values', async (c) => {
    const record = await recordOf(c);
    const body = useFileValuesSchema.safeParse(
      c.req.header('Content-Length') === '0' ? {} : await jsonBody(c).catch(() => ({})),
    );
    if (!body.success) throw invalid(body.error);
    await useFileValues(c.var.db, record, body.data.fields);
    return c.json(await recordJson(c, c.var.event, await recordOf(c)));
  })
  .patch('/records/:bib', async (c) => {
    const { event, db } = c.var;
    const record = await recordOf(c);
    const ifMatch = c.req.header('If-Match');
    if (ifMatch && ifMatch !== recordVersion(record)) {
      // Changed since the caller read it: the current values, not an overwrite.
      return c.json(
        {
          error: 'The record changed since you read it. Here it is now; send your change again.',
          record: await recordJson(c, event, record),
        },
        409,
        { ETag: recordVersion(record) },
      );
    }
    const patch = recordPatchSchema.safeParse(await jsonBody(c));
    if (!patch.success) throw invalid(patch.error);
    const { hidden, ...fields } = patch.data;
    if (Object.keys(fields).length > 0) {
      // The changed record goes through the same rule as every other way in.
      const input = recordSchema.safeParse({ ...recordInputOf(record), ...fields });
      if (!input.success) throw invalid(input.error);
      await updateRecord(db, record, input.data);
    }
    if (hidden !== undefined) await setRecordHidden(db, record.id, hidden);
    const saved = await recordOf(c);
    c.header('ETag', recordVersion(saved));
    return c.json(await recordJson(c, event, saved));
  })
  // As on the Records tab: the link stops working, and the record can be restored there for 30 days.
  .delete('/records/:bib', async (c) => {
    await deleteRecord(c.var.db, await recordOf(c));
    return c.body(null, 204);
  })
  .post('/publish', async (c) => {
    const { event, db } = c.var;
    if (event.templateId === null)
      throw new HTTPException(409, { message: 'Pick a certificate template before publishing.' });
    await publishEvent(db, c.env.RENDER_QUEUE, event);
    return c.json(await publishProgress(db, { ...event, published: true }), 202);
  })
  .get('/publish', async (c) => c.json(await publishProgress(c.var.db, c.var.event)))
  // A run reported as stalled starts again where it stopped (the admin's Resume button).
  .post('/publish/resume', async (c) => {
    const { db, event } = c.var;
    const run = await latestPublishRun(db, event.id);
    if (!run || !publishStalled(run)) throw new HTTPException(409, { message: 'No stalled publish to resume.' });
    await resumePublish(db, c.env.RENDER_QUEUE, run);
    return c.json(await publishProgress(db, event), 202);
  })
  // The Publish tab's Unpublish: participants no longer find the event; its certificates stay prepared.
  .post('/unpublish', async (c) => {
    const { db, event } = c.var;
    await unpublishEvent(db, event);
    return c.json(await publishProgress(db, { ...event, published: false }));
  });

/** The API a timing system uses to push results and publish, with bearer tokens from admin. */
export const organiserApi = new Hono<OrganiserEnv>()
  .use('/v1/events', requireToken)
  .use('/v1/events/*', requireToken)
  .use('/v1/templates', requireToken)
  .use('/v1/templates/*', requireToken)
  // Newest first, as in the admin; a token for one event sees that event alone.
  .get('/v1/events', async (c) => {
    const scope = c.var.apiToken?.eventId;
    const events = await listOrganiserEvents(c.var.db, c.var.organiser.id);
    return c.json({ events: events.filter((e) => scope == null || e.id === scope).map(eventJson) });
  })
  .post('/v1/events', requireTokenForAllEvents, idempotent, async (c) => {
    const { template, ...input } = await jsonBy(c, newEventSchema);
    await claimSlug(c.var, input.slug);
    const event = await createEvent(c.var.db, c.var.organiser.id, input);
    // Its first template becomes its default: publishable as soon as it has records.
    const added = template && (await addBuiltInTemplate(c.var.db, event, template));
    return c.json(eventJson({ ...event, templateId: added?.id ?? event.templateId }), 201);
  })
  .route('/v1/templates', builtInTemplateApi)
  .route('/v1/events/:slug', eventApi);
