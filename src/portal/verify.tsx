import { Hono } from 'hono';
import { certificateIdSchema } from '../certificates/rules';
import { verifyCertificate } from '../certificates/verify';
import { portalPaths } from '../paths';
import { formatEventDate, portalLanguage, switcherPath, t, type PortalEnv } from './i18n';
import { PortalPage } from './pages';

/** The public verify page a certificate's QR code leads to; it states the current record, in the runner's language. */
export const verify = new Hono<PortalEnv>()
  .use('/verify/*', portalLanguage)
  .get('/verify/:certificateId/:proof?', async (c) => {
    const { certificateId, proof } = c.req.param();
    const { verdict, shown } = certificateIdSchema.safeParse(certificateId).success
      ? await verifyCertificate(c.var.db, certificateId, proof)
      : { verdict: 'unknown' as const, shown: undefined };
    // A proof never issued is no certificate of ours, as an unknown number is not.
    const status = verdict === 'unknown' || verdict === 'forged' ? 404 : 200;
    const { locale } = c.var;
    const m = t(locale);
    const headline = m.verdicts[verdict];
    return c.html(
      <PortalPage
        locale={locale}
        path={switcherPath(c)}
        title={`${headline} · ${m.certificateCheck}`}
        head={<meta name="robots" content="noindex" />}
      >
        <h1>{headline}</h1>
        {verdict === 'unknown' && <p>{m.unknownCertificate}</p>}
        {verdict === 'withdrawn' && <p>{m.withdrawnCertificate}</p>}
        {shown && (
          <div class="card">
            {verdict === 'superseded' && <p>{m.supersededCertificate}</p>}
            {verdict === 'forged' && <p>{m.forgedCertificate}</p>}
            <dl>
              <dt>{m.event}</dt>
              <dd>
                {shown.event.name}
                {shown.event.date && `, ${formatEventDate(locale, shown.event.date)}`}
              </dd>
              <dt>{m.participant}</dt>
              <dd>
                {shown.record.name}
                {shown.record.bib !== null && ` (${m.bib(shown.record.bib)})`}
              </dd>
              <dt>{m.result}</dt>
              <dd>
                {shown.record.status === 'finished'
                  ? [shown.record.finishTime, shown.record.rankOverall && m.overallRank(shown.record.rankOverall)]
                      .filter(Boolean)
                      .join(', ') || m.finishedResult
                  : shown.record.status.toUpperCase()}
              </dd>
              <dt>{m.issued}</dt>
              <dd>{formatEventDate(locale, shown.record.updatedAt.toISOString().slice(0, 10))}</dd>
            </dl>
            <p>
              <a href={portalPaths.certificate(shown.event.slug, shown.record.certificateId)}>{m.seeCertificate}</a>
            </p>
          </div>
        )}
      </PortalPage>,
      status,
    );
  });
