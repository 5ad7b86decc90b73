import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { findTemplate } from '../db/templates';
import { events, records, type Event, type ParticipantRecord } from '../db/schema';
import { imageHash, type ImageFormat, type ImageRequest, type ImageVariant } from '../render/cache';
import { certificateFields } from '../render/fields';
import { layoutSchema, type Layout } from '../render/layout';

export interface CertificateTemplate {
  id: number;
  version: number;
  layout: Layout;
}

/** The template an event's certificates use, or undefined while the event has none. */
export async function eventTemplate(db: Database, event: Event): Promise<CertificateTemplate | undefined> {
  if (event.templateId === null) return undefined;
  const template = await findTemplate(db, event.templateId);
  if (!template) return undefined;
  return { id: template.id, version: template.version, layout: layoutSchema.parse(template.layout) };
}

export interface PublicCertificate {
  event: Event;
  record: ParticipantRecord;
  template: CertificateTemplate;
}

/**
 * A certificate the public may see: its record is not hidden, its event is published and has a
 * template. Anything else is undefined, so callers answer 404 without saying which rule failed.
 */
export async function findPublicCertificate(
  db: Database,
  certificateId: string,
): Promise<PublicCertificate | undefined> {
  const [row] = await db
    .select({ event: events, record: records })
    .from(records)
    .innerJoin(events, eq(events.id, records.eventId))
    .where(and(eq(records.certificateId, certificateId), eq(records.hidden, false), eq(events.published, true)))
    .limit(1);
  if (!row) return undefined;
  const template = await eventTemplate(db, row.event);
  return template && { ...row, template };
}

export function imageRequest(
  { event, record, template }: PublicCertificate,
  variant: ImageVariant,
  format: ImageFormat,
): ImageRequest {
  return {
    certificateId: record.certificateId,
    template,
    fields: certificateFields({ event, record }),
    variant,
    format,
  };
}

/** Absolute URLs of a certificate's page and images; image URLs carry their content hash. */
export async function certificateLinks(origin: string, certificate: PublicCertificate) {
  const { event, record } = certificate;
  const image = async (variant: ImageVariant, format: ImageFormat) => {
    const hash = await imageHash(imageRequest(certificate, variant, format));
    return `${origin}/certificates/${record.certificateId}/${variant}-${hash}.${format}`;
  };
  return {
    certificateUrl: `${origin}/events/${event.slug}/certificates/${record.certificateId}`,
    imageUrl: await image('certificate', 'png'),
    svgUrl: await image('certificate', 'svg'),
    shareImageUrl: await image('share', 'png'),
  };
}
