import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { Event } from '../db/schema';
import type { EventEnv } from '../env';
import { absoluteUrl, eventPaths, linkOrigin, portalPaths } from '../paths';
import { formatEventDate, languageNames, locales, t } from '../portal/i18n';
import { mailMergeCsv, mailMergeRecords } from '../records/mail-merge';
import { renderPoster } from '../render/poster';

const posterLanguage = z
  .enum(locales, { error: `A poster is in one of the portal's languages: ${locales.join(', ')}.` })
  .default('en');

/** The `<iframe>` an organiser pastes into their own site: the event's search box, nothing else. */
const embedSnippet = (origin: string, slug: string) =>
  `<iframe src="${absoluteUrl(origin, portalPaths.embed(slug))}" title="Find your certificate" width="100%" height="420" style="border:0;max-width:40rem" loading="lazy"></iframe>`;

/**
 * The Publish tab's ways of getting certificates to runners where they already are: links from
 * the results site, a search box for the organiser's site, a poster for the finish area and a
 * mail merge.
 */
export function DistributeCard({ event, origin }: { event: Event; origin: string }) {
  const paths = eventPaths(event);
  return (
    <div class="card">
      <h2>Reach runners where they are</h2>
      {!event.published && <p class="muted">These lead to certificates once the event is published.</p>}
      <h3>Links beside your results</h3>
      <p>
        A results site can link each row to that runner's certificate, without the API:{' '}
        <code>{absoluteUrl(origin, portalPaths.bib(event.slug, ''))}</code>
        <em>bib</em>, or for a list without bibs{' '}
        <code>{absoluteUrl(origin, portalPaths.participant(event.slug, ''))}</code>
        <em>participant key</em>. A hidden or unknown runner lands on the search page.
      </p>
      <h3>Search box for your site</h3>
      <label for="embed-snippet">Paste this where the search box should appear</label>
      <textarea id="embed-snippet" readonly rows={3} style="width:100%">
        {embedSnippet(origin, event.slug)}
      </textarea>
      <p class="muted">
        Add <code>?lang=de</code> (or fr, es) to its address for another language; otherwise it follows the runner's
        browser.
      </p>
      <h3>Downloads</h3>
      <ul>
        <li>
          Poster (PDF) for the finish area, A4 with the search page's QR code:{' '}
          {locales.map((locale, i) => (
            <>
              {i > 0 && ' · '}
              <a href={paths.poster(locale)} hreflang={locale}>
                {languageNames[locale]}
              </a>
            </>
          ))}
        </li>
        <li>
          <a href={paths.mailMerge}>Mail merge (CSV)</a>: name, email when your results have one, bib and certificate
          link of every visible record.
        </li>
      </ul>
    </div>
  );
}

/** The poster and the mail merge, as downloads of the organiser's own event. */
export const distributePages = new Hono<EventEnv>()
  .get('/poster.pdf', async (c) => {
    const { event } = c.var;
    const language = posterLanguage.safeParse(c.req.query('lang'));
    if (!language.success) throw new HTTPException(400, { message: language.error.issues[0]!.message });
    const locale = language.data;
    const m = t(locale);
    const origin = linkOrigin(c.env.PUBLIC_URL, c.req.url);
    const pdf = await renderPoster(
      {
        event: event.name,
        when: [event.date && formatEventDate(locale, event.date), event.location].filter(Boolean).join(' · '),
        heading: m.homeTitle,
        scan: m.posterScan,
        searchUrl: absoluteUrl(origin, portalPaths.event(event.slug)),
        language: event.language,
      },
      c.env,
    );
    return c.body(pdf, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${event.slug}-poster-${locale}.pdf"`,
    });
  })
  .get('/mail-merge.csv', async (c) => {
    const { event, db } = c.var;
    const origin = linkOrigin(c.env.PUBLIC_URL, c.req.url);
    const csv = mailMergeCsv(await mailMergeRecords(db, event.id), (r) =>
      absoluteUrl(origin, portalPaths.certificate(event.slug, r.certificateId)),
    );
    // The byte-order mark makes spreadsheets read the file as UTF-8, as the records export does.
    return c.body(`\uFEFF${csv}`, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${event.slug}-mail-merge.csv"`,
    });
  });
