import { Hono } from 'hono';
import { certificateIdSchema } from '../certificates/rules';
import { verifyCertificate, type Verdict } from '../certificates/verify';
import type { AppEnv } from '../env';
import { portalPaths } from '../paths';
import { Page } from '../ui/page';

const headline: Record<Verdict, string> = {
  valid: 'Valid certificate',
  superseded: 'Superseded: the result has changed since this certificate was issued',
  forged: 'Not a valid certificate',
  withdrawn: 'Withdrawn: this certificate is no longer valid',
  unknown: 'No such certificate',
};

/** The public verify page a certificate's QR code leads to; it states the current record. */
export const verify = new Hono<AppEnv>().get('/verify/:certificateId/:proof?', async (c) => {
  const { certificateId, proof } = c.req.param();
  const { verdict, shown } = certificateIdSchema.safeParse(certificateId).success
    ? await verifyCertificate(c.var.db, certificateId, proof)
    : { verdict: 'unknown' as const, shown: undefined };
  // A proof never issued is no certificate of ours, as an unknown number is not.
  const status = verdict === 'unknown' || verdict === 'forged' ? 404 : 200;
  return c.html(
    <Page title={`${headline[verdict]} · Certificate check`} head={<meta name="robots" content="noindex" />}>
      <h1>{headline[verdict]}</h1>
      {verdict === 'unknown' && (
        <p>No certificate has this number. A certificate that links here was not issued through this portal.</p>
      )}
      {verdict === 'withdrawn' && (
        <p>The organiser has withdrawn this certificate. Ask them if you need to know more.</p>
      )}
      {shown && (
        <div class="card">
          {verdict === 'superseded' && (
            <p>This is the current result; the certificate you hold states something else.</p>
          )}
          {verdict === 'forged' && (
            <p>
              No certificate was issued with this check code: the one you hold was altered, or the address was mistyped.
              This is what the portal states for this certificate number.
            </p>
          )}
          <dl>
            <dt>Event</dt>
            <dd>
              {shown.event.name}
              {shown.fields.date && `, ${shown.fields.date}`}
            </dd>
            <dt>Participant</dt>
            <dd>
              {shown.record.name}
              {shown.record.bib !== null && ` (bib ${shown.record.bib})`}
            </dd>
            <dt>Result</dt>
            <dd>
              {shown.record.status === 'finished'
                ? [shown.record.finishTime, shown.record.rankOverall && `overall rank ${shown.record.rankOverall}`]
                    .filter(Boolean)
                    .join(', ') || 'finished'
                : shown.record.status.toUpperCase()}
            </dd>
            <dt>Issued</dt>
            <dd>{shown.record.updatedAt.toISOString().slice(0, 10)}</dd>
          </dl>
          <p>
            <a href={portalPaths.certificate(shown.event.slug, shown.record.certificateId)}>See the certificate</a>
          </p>
        </div>
      )}
    </Page>,
    status,
  );
});
