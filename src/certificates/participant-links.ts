import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import { records } from '../db/schema';
import { slugSchema } from '../events/rules';
import { MAX_KEY_VALUE_LENGTH } from '../records/participant-key';
import { recordLimits } from '../records/rules';
import { bibSearchQuery } from '../records/search';
import { findPublicCertificate, publicEventId, type PublicCertificate } from './public';

/** How a results site names a participant in a deep link: their bib, or their participant key. */
export type ParticipantRef = { bib: string } | { participantKey: string };

// Anything longer names no one: answered as unknown without asking D1. `key:` and `name:` come before a key value.
const bibSchema = z.string().trim().min(1).max(recordLimits.bib);
const keySchema = z
  .string()
  .min(1)
  .max(MAX_KEY_VALUE_LENGTH + 'name:'.length);

/**
 * The certificate a results site's link names, by the event's slug and the participant's bib or
 * key, if the public may see it (findPublicCertificate's rules). A hidden participant, someone
 * unknown and an unpublished event are all undefined, so the answer never tells them apart.
 */
export async function findLinkedCertificate(
  db: Database,
  slug: string,
  ref: ParticipantRef,
): Promise<PublicCertificate | undefined> {
  if (!slugSchema.safeParse(slug).success) return undefined;
  const event = publicEventId(slug);
  let certificateId: string | undefined;
  if ('bib' in ref) {
    const bib = bibSchema.safeParse(ref.bib);
    if (!bib.success) return undefined;
    const found = await bibSearchQuery(db, event, bib.data);
    // A bib corrected by hand may briefly be someone else's too: the participant known by it wins.
    certificateId = (found.find((r) => r.participantKey === bib.data) ?? found[0])?.certificateId;
  } else {
    const key = keySchema.safeParse(ref.participantKey);
    if (!key.success) return undefined;
    const [found] = await db
      .select({ certificateId: records.certificateId })
      .from(records)
      .where(and(eq(records.eventId, event), eq(records.participantKey, key.data), eq(records.hidden, false)))
      .limit(1);
    certificateId = found?.certificateId;
  }
  return certificateId ? findPublicCertificate(db, certificateId) : undefined;
}
