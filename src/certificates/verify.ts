import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, issuedProofs, records, type Event, type ParticipantRecord } from '../db/schema';
import { certificateFields, type CertificateFields } from '../render/fields';
import { statementProof, type PublicCertificate } from './public';

/** `forged`: the certificate exists, but no image of it was ever drawn with this proof (forged or mistyped). */
export type Verdict = 'valid' | 'superseded' | 'forged' | 'withdrawn' | 'unknown';

export interface Verification {
  verdict: Verdict;
  /** Only for a certificate the public may see: a withdrawn one shows nothing about the person. */
  shown?: { event: Event; record: ParticipantRecord; fields: CertificateFields };
}

/**
 * Notes the proof a certificate's images are drawn with, once per proof, so that after the result
 * changes the verify page still knows the certificate was issued. Called where an image is rendered.
 */
export async function rememberIssuedProof(
  db: Database,
  { event, record }: Pick<PublicCertificate, 'event' | 'record'>,
) {
  const proof = await statementProof(certificateFields({ event, record }));
  await db
    .insert(issuedProofs)
    .values({ certificateId: record.certificateId, proof, eventId: event.id })
    .onConflictDoNothing();
}

async function wasIssued(db: Database, certificateId: string, proof: string) {
  const [row] = await db
    .select({ proof: issuedProofs.proof })
    .from(issuedProofs)
    .where(and(eq(issuedProofs.certificateId, certificateId), eq(issuedProofs.proof, proof)))
    .limit(1);
  return row !== undefined;
}

/**
 * What the verify page a certificate's QR code leads to may say: whether the certificate that
 * carried the proof still matches the record, matched it once, or was never issued with that
 * proof. A hidden record or an unpublished event is withdrawn.
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
  const verdict =
    !proof || proof === (await statementProof(fields))
      ? 'valid'
      : (await wasIssued(db, certificateId, proof))
        ? 'superseded'
        : 'forged';
  return { verdict, shown: { ...row, fields } };
}
