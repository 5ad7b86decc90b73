import { and, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { eventInputSchema } from '../admin/events';
import { MAX_ASSET_BYTES, storeAsset } from '../assets/store';
import { recordFormSchema } from '../admin/record-form';
import { certificateLinks, findPublicCertificate } from '../certificates/public';
import { bibSearchQuery, setRecordHidden, updateRecord } from '../db/records';
import { apiTokens, events, organisers, sources, type Event, type ParticipantRecord } from '../db/schema';
import { sha256Hex } from '../digest';
import type { OrganiserEnv } from '../env';
import { MAX_FILE_BYTES } from '../import/limits';
import { mappingSchema } from '../import/mapping';
import { latestPublishRun, publishEvent, publishProgress } from '../publish/publish';
import { importFile } from '../sources/sync';

/** Organiser API requests carry `Authorization: Bearer <token>`; anything else is a 401. */
export const requireToken = createMiddleware<OrganiserEnv>(async (c, next) => {
  const token = c.req.header('Authorization')?.match(/^Bearer\s+(\S+)$/)?.[1];
  const tokenHash = token ? await sha256Hex(token) : undefined;
  const [row] = tokenHash
    ? await c.var.db
        .select({ organiser: organisers, tokenId: apiTokens.id })
        .from(apiTokens)
        .innerJoin(organisers, eq(organisers.id, apiTokens.organiserId))
        .where(eq(apiTokens.tokenHash, tokenHash))
        .limit(1)
    : [];
  if (!row) {
    c.header('WWW-Authenticate', 'Bearer');
    throw new HTTPException(401, { message: 'Send a valid API token as "Authorization: Bearer <token>".' });
  }
  await c.var.db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
  c.set('organiser', row.organiser);
  await next();
});

async function ownEventBySlug(c: Context<OrganiserEnv>): Promise<Event> {
  const slug = c.req.param('slug') ?? '';
  const event = await c.var.db.query.events.findFirst({
    where: and(eq(events.slug, slug), eq(events.organiserId, c.var.organiser.id)),
  });
  if (!event) throw new HTTPException(404, { message: `You have no event "${slug}".` });
  return event;
}

async function jsonBody(c: Context<OrganiserEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new HTTPException(400, { message: 'Send a JSON body with Content-Type: application/json.' });
  }
}

const invalid = (error: z.ZodError) =>
  new HTTPException(400, {
    message: error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
  });

/**
 * A record as the organiser API answers it. `formats` holds the URL of each certificate file
 * while the public can see it (event published, record visible), and is null otherwise.
 */
async function recordJson(c: Context<OrganiserEnv>, event: Event, r: ParticipantRecord) {
  const certificate = await findPublicCertificate(c.var.db, r.certificateId);
  const links = certificate && (await certificateLinks(new URL(c.req.url).origin, certificate, c.env.PUBLIC_URL));
  return { ...recordFields(new URL(c.req.url).origin, event, r), formats: links?.formats ?? null, verifyUrl: links?.verifyUrl ?? null };
}

const recordFields = (origin: string, event: Event, r: ParticipantRecord) => ({
  bib: r.bib,
  name: r.name,
  category: r.category,
  gender: r.gender,
  age: r.age,
  finishTime: r.finishTime,
  status: r.status,
  rankOverall: r.rankOverall,
  rankGender: r.rankGender,
  rankCategory: r.rankCategory,
  hidden: r.hidden,
  extra: r.extra ?? {},
  certificateUrl: `${origin}/events/${event.slug}/certificates/${r.certificateId}`,
  updatedAt: r.updatedAt.toISOString(),
});

async function findRecord(c: Context<OrganiserEnv>, event: Event) {
  const bib = c.req.param('bib') ?? '';
  const [record] = await bibSearchQuery(c.var.db, event.id, bib, { includeHidden: true });
  if (!record) throw new HTTPException(404, { message: `No record with bib "${bib}" in ${event.slug}.` });
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

const createEventSchema = eventInputSchema;

// Fields a PATCH may change; anything left out keeps its value.
const recordPatchSchema = z
  .object({
    hidden: z.boolean(),
    name: z.string(),
    category: z.string().nullable(),
    gender: z.string().nullable(),
    age: z.number().int().nullable(),
    finishTime: z.string().nullable(),
    status: z.string(),
    rankOverall: z.number().int().nullable(),
    rankGender: z.number().int().nullable(),
    rankCategory: z.number().int().nullable(),
  })
  .partial()
  .strict();

/** The API a timing system uses to push results and publish, with bearer tokens from admin. */
export const organiserApi = new Hono<OrganiserEnv>()
  .use('/v1/events', requireToken)
  .use('/v1/events/:slug/imports', requireToken)
  .use('/v1/events/:slug/assets', requireToken)
  .use('/v1/events/:slug/records/*', requireToken)
  .use('/v1/events/:slug/publish', requireToken)
  .post('/v1/events', async (c) => {
    const input = createEventSchema.safeParse(await jsonBody(c));
    if (!input.success) throw invalid(input.error);
    const taken = await c.var.db.query.events.findFirst({ where: eq(events.slug, input.data.slug) });
    if (taken) throw new HTTPException(409, { message: `The slug "${input.data.slug}" is taken.` });
    const [event] = await c.var.db.insert(events).values({ ...input.data, organiserId: c.var.organiser.id }).returning();
    const { id, slug, name, date, location, published } = event!;
    return c.json({ id, slug, name, date, location, published }, 201);
  })
  .post('/v1/events/:slug/imports', async (c) => {
    const event = await ownEventBySlug(c);
    if (Number(c.req.header('Content-Length') ?? 0) > MAX_FILE_BYTES) {
      throw new HTTPException(413, { message: 'Results files may be at most 20 MB.' });
    }
    const mapping = parseMappingParam(c.req.query('mapping'));
    const db = c.var.db;
    let source = await db.query.sources.findFirst({ where: eq(sources.eventId, event.id) });
    source ??= (await db.insert(sources).values({ eventId: event.id, kind: 'upload', name: 'API imports' }).returning())[0];
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const report = await importFile(db, event, source, bytes, {
      mapping,
      removeMissing: c.req.query('removeMissing') === 'true' ? true : undefined,
    });
    return c.json({
      added: report.added,
      updated: report.updated,
      unchanged: report.unchanged,
      removed: report.removed,
      rejected: report.rejected,
      duplicates: report.duplicates,
      encoding: report.encoding,
      delimiter: report.delimiter,
    });
  })
  // The file is the body; its name comes in `?name=`, as in `curl --data-binary @logo.png`.
  .post('/v1/events/:slug/assets', async (c) => {
    const event = await ownEventBySlug(c);
    if (Number(c.req.header('Content-Length') ?? 0) > MAX_ASSET_BYTES) {
      throw new HTTPException(413, { message: 'Files may be at most 10 MB. Export the image smaller or as a JPEG.' });
    }
    const name = z.string().trim().min(1).max(120).catch('upload').parse(c.req.query('name'));
    const asset = await storeAsset(c.env, c.var.db, event.id, { name, bytes: new Uint8Array(await c.req.arrayBuffer()) });
    const { id, hash, kind, contentType, size, width, height, originalWidth, originalHeight } = asset;
    return c.json({ id, hash, name: asset.name, kind, contentType, size, width, height, originalWidth, originalHeight }, 201);
  })
  .get('/v1/events/:slug/records/:bib', async (c) => {
    const event = await ownEventBySlug(c);
    return c.json(await recordJson(c, event, await findRecord(c, event)));
  })
  .patch('/v1/events/:slug/records/:bib', async (c) => {
    const event = await ownEventBySlug(c);
    const record = await findRecord(c, event);
    const patch = recordPatchSchema.safeParse(await jsonBody(c));
    if (!patch.success) throw invalid(patch.error);
    const { hidden, ...fields } = patch.data;
    if (Object.keys(fields).length > 0) {
      // The merged record goes through the same rules as the admin form.
      const merged = { ...record, ...fields };
      const input = recordFormSchema.safeParse(
        Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)])),
      );
      if (!input.success) throw invalid(input.error);
      await updateRecord(c.var.db, record, input.data);
    }
    if (hidden !== undefined) await setRecordHidden(c.var.db, record.id, hidden);
    return c.json(await recordJson(c, event, await findRecord(c, event)));
  })
  .post('/v1/events/:slug/publish', async (c) => {
    const event = await ownEventBySlug(c);
    if (event.templateId === null) throw new HTTPException(409, { message: 'Pick a certificate template before publishing.' });
    await publishEvent(c.var.db, c.env.RENDER_QUEUE, event);
    return c.json(publishProgress(await latestPublishRun(c.var.db, event.id), true), 202);
  })
  .get('/v1/events/:slug/publish', async (c) => {
    const event = await ownEventBySlug(c);
    return c.json(publishProgress(await latestPublishRun(c.var.db, event.id), event.published));
  });
