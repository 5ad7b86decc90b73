import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import {
  events,
  recordPhotos,
  records,
  templates,
  type Event,
  type ParticipantRecord,
  type Template,
} from '../db/schema';
import { sha256Hex } from '../digest';
import { absoluteUrl, portalPaths } from '../paths';
import { imageHash, type ImageRequest } from '../render/cache';
import { drawsPhotos } from '../render/design-assets';
import { certificateFields, type CertificateFields } from '../render/fields';
import { layoutSchema, photoField, type Layout } from '../render/layout';
import { RecentCache } from '../render/recent';
import { recordPhotoHashes } from '../records/photos';
import { certificateFiles, type CertificateFile, type ImageFormat, type ImageVariant } from '../render/variants';
import { templateIdFor } from './rules';
import { findEventTemplate } from './templates';

export interface CertificateTemplate {
  id: number;
  version: number;
  layout: Layout;
  /** Hash of the layout, computed once per request rather than once per image URL. */
  fingerprint: string;
}

// Parsed templates by id, version and save time: every image request and search page needs one,
// and checking and hashing a layout costs more than the query that brought it. A save bumps the
// version, so an entry is never out of date; the parsed layout is shared, never changed.
const parsedTemplates = new RecentCache<CertificateTemplate>(1024 * 1024);

const templateKey = (row: Pick<Template, 'id' | 'version' | 'updatedAt'>) =>
  `${row.id}:${row.version}:${row.updatedAt.getTime()}`;

async function certificateTemplate(row: Template | null): Promise<CertificateTemplate | undefined> {
  if (!row) return undefined;
  const key = templateKey(row);
  const cached = parsedTemplates.get(key);
  if (cached) return cached;
  // A layout saved before a limit was tightened no longer renders: no certificate, rather than a 500.
  const parsed = layoutSchema.safeParse(row.layout);
  if (!parsed.success) {
    console.error('template layout no longer valid', row.id, parsed.error.issues[0]);
    return undefined;
  }
  const layout = parsed.data;
  const json = JSON.stringify(layout);
  const template = { id: row.id, version: row.version, layout, fingerprint: await sha256Hex(json) };
  return parsedTemplates.set(key, template, 2 * json.length);
}

export interface PublicEvent {
  event: Event;
  template: CertificateTemplate;
}

/** The id of a published event, as SQL, for queries sent in the same batch as publicEventQueries. */
export const publicEventId = (slug: string) =>
  sql`(SELECT ${events.id} FROM ${events} WHERE ${events.slug} = ${slug} AND ${events.published} = 1)`;

/**
 * A published event and its template, as two queries to batch with others. Not a join: D1's batch
 * answers rows as objects, where the event's and the template's columns of the same name collide.
 */
export const publicEventQueries = (db: Database, slug: string) =>
  [
    db
      .select()
      .from(events)
      .where(and(eq(events.slug, slug), eq(events.published, true)))
      .limit(1),
    db
      .select()
      .from(templates)
      .where(
        eq(templates.id, sql`(SELECT ${events.templateId} FROM ${events} WHERE ${events.id} = ${publicEventId(slug)})`),
      )
      .limit(1),
  ] as const;

/** The event publicEventQueries found, if it is published and has a template. */
export async function publicEventOf([event]: Event[], [row]: Template[]): Promise<PublicEvent | undefined> {
  const template = await certificateTemplate(row ?? null);
  return event && template && { event, template };
}

/** A published event that has a template, with that template, in one round trip. */
export async function findPublicEvent(db: Database, slug: string): Promise<PublicEvent | undefined> {
  const [eventRows, templateRows] = await db.batch(publicEventQueries(db, slug));
  return publicEventOf(eventRows, templateRows);
}

export interface PublicCertificate extends PublicEvent {
  record: ParticipantRecord;
  /**
   * The record's photo (its upload's hash, null for none) where its template draws photos; where
   * it draws none, left out, so that adding a photo changes no other template's certificates.
   */
  photo?: string | null;
}

/** The photo field of a certificate whose template is `template`: see PublicCertificate's photo. */
export const photoOf = (template: CertificateTemplate, photo: string | null | undefined) =>
  drawsPhotos(template.layout) ? { photo: photo ?? null } : {};

/** The photos of records whose template draws photos, by record id, for a page of certificates. */
export async function photosFor(db: Database, chosen: Map<number, CertificateTemplate>) {
  const drawing = [...chosen].flatMap(([recordId, template]) => (drawsPhotos(template.layout) ? [recordId] : []));
  return drawing.length > 0 ? recordPhotoHashes(db, drawing) : new Map<number, string>();
}

/**
 * A certificate the public may see: its record is not hidden, its event is published and has a
 * template. Anything else is undefined, so callers answer 404 without saying which rule failed.
 */
export async function findPublicCertificate(
  db: Database,
  certificateId: string,
): Promise<PublicCertificate | undefined> {
  // The default template's version only, not its layout: the isolate has usually parsed that already.
  const [row] = await db
    .select({
      event: events,
      record: records,
      template: { id: templates.id, version: templates.version, updatedAt: templates.updatedAt },
      photo: recordPhotos.hash,
    })
    .from(records)
    .innerJoin(events, eq(events.id, records.eventId))
    .innerJoin(templates, eq(templates.id, events.templateId))
    .leftJoin(recordPhotos, eq(recordPhotos.recordId, records.id))
    .where(and(eq(records.certificateId, certificateId), eq(records.hidden, false), eq(events.published, true)))
    .limit(1);
  if (!row) return undefined;
  // A rule may pick another template than the event's default for this record.
  const templateId = templateIdFor(row.event, row.record);
  const template =
    templateId === row.template.id
      ? (parsedTemplates.get(templateKey(row.template)) ??
        (await certificateTemplate((await db.select().from(templates).where(eq(templates.id, templateId)))[0] ?? null)))
      : await certificateTemplate((await findEventTemplate(db, row.event.id, templateId)) ?? null);
  return template && { event: row.event, record: row.record, template, ...photoOf(template, row.photo) };
}

/**
 * Each record's template, for a page of search results: the event's default unless the event
 * has rules, in which case its templates are read once and each record gets its rule's choice.
 */
export async function templatesForRecords(
  db: Database,
  { event, template }: PublicEvent,
  rows: ParticipantRecord[],
): Promise<Map<number, CertificateTemplate>> {
  const chosen = new Map(rows.map((r) => [r.id, template] as const));
  if (!event.templateRules?.length) return chosen;
  const all = await db.select().from(templates).where(eq(templates.eventId, event.id));
  const byId = new Map<number, CertificateTemplate>();
  for (const row of all) byId.set(row.id, (await certificateTemplate(row))!);
  for (const record of rows) {
    const ruled = byId.get(templateIdFor(event, record) ?? -1);
    if (ruled) chosen.set(record.id, ruled);
  }
  return chosen;
}

/**
 * The certificates the public may see among these records of one event, by record id, as
 * findPublicCertificate finds them one at a time: none while the event is unpublished or has no
 * template, none for a hidden record. A page of records costs two or three queries, not one each.
 */
export async function publicCertificatesOf(
  db: Database,
  event: Event,
  rows: ParticipantRecord[],
): Promise<Map<number, PublicCertificate>> {
  const certificates = new Map<number, PublicCertificate>();
  const visible = rows.filter((r) => !r.hidden && r.eventId === event.id);
  const found = event.published && visible.length > 0 ? await findPublicEvent(db, event.slug) : undefined;
  if (!found) return certificates;
  const chosen = await templatesForRecords(db, found, visible);
  const photos = await photosFor(db, chosen);
  for (const record of visible) {
    const template = chosen.get(record.id);
    if (template)
      certificates.set(record.id, {
        event: found.event,
        record,
        template,
        ...photoOf(template, photos.get(record.id)),
      });
  }
  return certificates;
}

/**
 * A short hash of what a certificate states, carried in its verify URL: the verify page can then
 * tell whether a printed certificate still matches the record.
 */
export async function statementProof(fields: CertificateFields): Promise<string> {
  return (await sha256Hex(JSON.stringify(fields))).slice(0, 16);
}

/**
 * The fields a certificate shows, with the verify URL its QR code carries, on `origin` (from
 * linkOrigin): part of the image's hash, so it must never come from a Host header in production.
 */
export async function certificateFieldsWithVerify(
  { event, record, photo }: Pick<PublicCertificate, 'event' | 'record' | 'photo'>,
  origin: string,
) {
  const fields = certificateFields({ event, record });
  const proof = await statementProof(fields);
  return {
    ...fields,
    // Not part of what the certificate states (the proof), but of its image, so of its URLs.
    ...(photo !== undefined ? { [photoField]: photo } : {}),
    verifyUrl: absoluteUrl(origin, portalPaths.verify(record.certificateId, proof)),
    // The day the verify page says it was issued: the PDF's creation date, so a part of its hash.
    issued: record.updatedAt.toISOString().slice(0, 10),
  };
}

/** What one image of a certificate is made from; `fields` come from certificateFieldsWithVerify. */
export function imageRequest(
  certificate: PublicCertificate,
  fields: CertificateFields,
  variant: ImageVariant,
  format: ImageFormat,
): ImageRequest {
  const { record, template, event } = certificate;
  return { certificateId: record.certificateId, template, fields, variant, format, accent: accentOf(event) };
}

/** The event's accent colour, for the share card's frame (render/frame.ts), and so for every image hash. */
const accentOf = (event: Pick<Event, 'accentColour'>) => event.accentColour ?? undefined;

export type CertificateFormats = Record<CertificateFile, string>;

/**
 * Absolute URLs on `origin` (from linkOrigin) of a certificate's page, its verify page and each
 * of its formats; file URLs carry their content hash.
 */
export async function certificateLinks(origin: string, certificate: PublicCertificate) {
  const { event, record } = certificate;
  const fields = await certificateFieldsWithVerify(certificate, origin);
  const hash = await imageHash({ template: certificate.template, fields, accent: accentOf(event) });
  const formats = Object.fromEntries(
    Object.entries(certificateFiles).map(([name, { variant, format }]) => [
      name,
      absoluteUrl(origin, portalPaths.image(record.certificateId, variant, hash, format)),
    ]),
  ) as CertificateFormats;
  return {
    certificateUrl: absoluteUrl(origin, portalPaths.certificate(event.slug, record.certificateId)),
    verifyUrl: fields.verifyUrl,
    imageUrl: formats.png,
    shareImageUrl: formats.share,
    formats,
  };
}
