import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, records, type Event, type ParticipantRecord } from '../db/schema';
import { certificateFields, type CertificateFields } from '../render/fields';
import { statementProof } from './public';

export type Verdict = 'valid' | 'superseded' | 'withdrawn' | 'unknown';

export interface Verification {
  verdict: Verdict;
  /** Only for a certificate the public may see: a withdrawn one shows nothing about the person. */
  shown?: { event: Event; record: ParticipantRecord; fields: CertificateFields };
}

/**
 * What the verify page a certificate's QR code leads to may say: whether the certificate that
 * carried the proof still matches the record. A hidden record or an unpublished event is withdrawn.
 */
export async function verifyCertificate(db: Database, certificateId: string, proof?: string): Promise<Verification> {
  const [row] = await db
    .select({ event: events, record: records })
    .from(records)
    .innerJoin(events, eq(events.id, records.eventId))
    .where(eq(records.certificateId, certificateId))
    .limit(1);
  if (!row) return { verdict: 'unknown' };
  if (row.record.hidden || !row.event.published) return { verdict: 'withdrawn' };
  const fields = certificateFields(row);
  const verdict = proof && proof !== (await statementProof(fields)) ? 'superseded' : 'valid';
  return { verdict, shown: { ...row, fields } };
}
