import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { certificateFields } from '../render/fields';
import { statementProof } from '../certificates/public';
import { events, records } from '../db/schema';
import type { AppEnv } from '../env';
import { Page } from '../ui/page';
import { certificateIdSchema } from './params';

type Verdict = 'valid' | 'superseded' | 'withdrawn' | 'unknown';

const headline: Record<Verdict, string> = {
  valid: 'Valid certificate',
  superseded: 'Superseded: the result has changed since this certificate was issued',
  withdrawn: 'Withdrawn: this certificate is no longer valid',
  unknown: 'No such certificate',
};

/**
 * The public verify page a certificate's QR code leads to. It states the current record, and
 * whether the certificate that carried the link still matches it. A hidden record or an
 * unpublished event shows as withdrawn, and shows nothing about the person.
 */
export const verify = new Hono<AppEnv>().get('/verify/:certificateId/:proof?', async (c) => {
  const { certificateId, proof } = c.req.param();
  const [row] = certificateIdSchema.safeParse(certificateId).success
    ? await c.var.db
        .select({ event: events, record: records })
        .from(records)
        .innerJoin(events, eq(events.id, records.eventId))
        .where(eq(records.certificateId, certificateId))
        .limit(1)
    : [];
  const visible = row && !row.record.hidden && row.event.published;
  const fields = visible ? certificateFields(row) : undefined;
  const verdict: Verdict = !row
    ? 'unknown'
    : !visible
      ? 'withdrawn'
      : proof && proof !== (await statementProof(fields!))
        ? 'superseded'
        : 'valid';
  const status = verdict === 'unknown' ? 404 : 200;
  return c.html(
    <Page title={`${headline[verdict]} · Certificate check`} head={<meta name="robots" content="noindex" />}>
      <h1>{headline[verdict]}</h1>
      {verdict === 'unknown' && <p>No certificate has this number. A certificate that links here was not issued through this portal.</p>}
      {verdict === 'withdrawn' && <p>The organiser has withdrawn this certificate. Ask them if you need to know more.</p>}
      {fields && row && (
        <div class="card">
          {verdict === 'superseded' && <p>This is the current result; the certificate you hold states something else.</p>}
          <dl>
            <dt>Event</dt>
            <dd>
              {row.event.name}
              {fields.date && `, ${fields.date}`}
            </dd>
            <dt>Participant</dt>
            <dd>
              {row.record.name} (bib {row.record.bib})
            </dd>
            <dt>Result</dt>
            <dd>
              {row.record.status === 'finished'
                ? [row.record.finishTime, row.record.rankOverall && `overall rank ${row.record.rankOverall}`].filter(Boolean).join(', ') || 'finished'
                : row.record.status.toUpperCase()}
            </dd>
            <dt>Issued</dt>
            <dd>{row.record.updatedAt.toISOString().slice(0, 10)}</dd>
          </dl>
          <p>
            <a href={`/events/${row.event.slug}/certificates/${row.record.certificateId}`}>See the certificate</a>
          </p>
        </div>
      )}
    </Page>,
    status,
  );
});
