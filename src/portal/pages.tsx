import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { CertificateFormats } from '../certificates/public';
import type { SearchResult } from '../certificates/search';
import type { Event, ParticipantRecord } from '../db/schema';
import { portalPaths } from '../paths';
import { contentTypes, socialVariants, variants } from '../render/variants';
import { Page } from '../ui/page';
import { formatEventDate, languageNames, locales, t, type Locale, type Messages } from './i18n';
import shareScript from './share.client.js';
import { EventBanner, EventStyle } from './look';
import { networkNames, shareLinks, type ShareNetwork } from './share-links';

/** What every portal page knows besides its content: its language, and its own address for the switcher. */
export interface Where {
  locale: Locale;
  /** The page's path and query, e.g. `/events/x?q=smith`; without it (a page of the whole app) no switcher. */
  path?: string;
}

/** The page's address in another language: the same path and query, with `lang` set. */
function inLanguage(path: string, locale: Locale) {
  const url = new URL(path, 'http://portal');
  url.searchParams.set('lang', locale);
  return url.pathname + url.search;
}

/** The portal's header: the way home and the language switcher, as plain links. */
function PortalHeader({ locale, path }: Where) {
  const m = t(locale);
  return (
    <nav>
      <a href={portalPaths.home}>{m.siteName}</a>
      {path && (
        <nav class="languages" aria-label={m.languages}>
          {locales.map((l) => (
            <a href={inLanguage(path, l)} hreflang={l} lang={l} aria-current={l === locale ? 'true' : undefined}>
              {languageNames[l]}
            </a>
          ))}
        </nav>
      )}
    </nav>
  );
}

/** The shell of a portal page: `<html lang>` and the header with the language switcher. For the verify and removal pages too. */
export function PortalPage({
  locale,
  path,
  title,
  head,
  children,
}: Where & { title: string; head?: Child; children: Child }) {
  return (
    <Page lang={locale} title={title} head={head} header={<PortalHeader locale={locale} path={path} />}>
      {children}
    </Page>
  );
}

const statusLabel = (m: Messages, status: string) =>
  ({ finished: m.finisher, dnf: 'DNF', dns: 'DNS', dsq: 'DSQ' })[status] ?? status.toUpperCase();

const eventLine = (locale: Locale, event: Event) =>
  [event.date && formatEventDate(locale, event.date), event.location].filter(Boolean).join(' · ');

export function HomePage({ events, locale, path }: Where & { events: Event[] }) {
  const m = t(locale);
  return (
    <PortalPage locale={locale} path={path} title={m.homeTitle}>
      <h1>{m.homeTitle}</h1>
      <p class="muted">{m.homeIntro}</p>
      <div class="card">
        {events.length === 0 ? (
          <p class="muted">{m.noEvents}</p>
        ) : (
          <ul class="plain">
            {events.map((event) => (
              <li>
                <a href={portalPaths.event(event.slug)}>
                  <strong>{event.name}</strong>
                  <span class="muted">{eventLine(locale, event)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </PortalPage>
  );
}

export interface EventPageProps extends Where {
  event: Event;
  query: string;
  results: SearchResult[];
  /** How many participants match in all, when the search counted them; said when more match than are shown. */
  total?: number;
  /** More match than were counted: `total` is the count's cap. */
  more?: boolean;
  /** A search was sent (`?q=` was there), though it may be empty. */
  searched?: boolean;
  error?: string;
}

export function EventPage({ event, query, results, total, more, searched, error, locale, path }: EventPageProps) {
  const m = t(locale);
  return (
    <PortalPage locale={locale} path={path} title={m.eventTitle(event.name)} head={<EventStyle event={event} />}>
      <EventBanner event={event} />
      <h1>{event.name}</h1>
      <p class="muted">{eventLine(locale, event)}</p>
      {/* biome-ignore lint/a11y/useSemanticElements: a form with role="search" is the landmark every browser knows. */}
      <form class="search" method="get" action={portalPaths.event(event.slug)} role="search">
        <label for="q" class="muted" hidden>
          {m.searchLabel}
        </label>
        <input
          id="q"
          name="q"
          type="search"
          value={query}
          placeholder={m.searchLabel}
          autocomplete="off"
          maxlength={200}
          autofocus
        />
        <button type="submit">{m.search}</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {searched && !query && !error && (
        <p class="muted" role="status">
          {m.emptySearch}
        </p>
      )}
      {query && !error && <SearchResults query={query} results={results} total={total} more={more} m={m} />}
    </PortalPage>
  );
}

/**
 * What a search found, as the event page and the embedded search box show it; in a frame
 * (`newTab`) a certificate opens in a tab of its own rather than inside the organiser's site.
 */
export function SearchResults({
  query,
  results,
  total,
  more,
  m,
  newTab,
}: {
  query: string;
  results: SearchResult[];
  total?: number;
  more?: boolean;
  m: Messages;
  newTab?: boolean;
}) {
  return (
    <div class="card" aria-live="polite">
      {total !== undefined && total > results.length && (
        <p>{more ? m.overMatches(total, query) : m.moreMatches(total, query)}</p>
      )}
      {results.length === 0 ? (
        <p>{m.noMatch(query)}</p>
      ) : (
        <ul class="plain">
          {results.map((r) => (
            <li>
              <a
                href={r.certificateUrl}
                {...(newTab ? { target: '_blank', rel: 'noopener', title: m.opensInNewTab } : {})}
              >
                <span>
                  <strong>{r.name}</strong>
                  {r.bib !== null && <span class="muted"> #{r.bib}</span>}
                  {r.category && <span class="muted"> · {r.category}</span>}
                </span>
                <span>
                  {r.status === 'finished' ? r.finishTime : <span class="badge">{statusLabel(m, r.status)}</span>}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export interface CertificatePageProps extends Where {
  event: Event;
  record: ParticipantRecord;
  links: {
    certificateUrl: string;
    imageUrl: string;
    shareImageUrl: string;
    verifyUrl: string;
    formats: CertificateFormats;
  };
  size: { width: number; height: number };
  /** The og:image's size: the share card's design. */
  shareSize: { width: number; height: number };
  nonce?: string;
}

/** The files "Save image" offers, in the chooser's order: the certificate itself first. */
const savedFiles = ['png', 'pdf', ...socialVariants] as const;
type SavedFile = (typeof savedFiles)[number];

const extension = (file: SavedFile) => (file === 'png' || file === 'pdf' ? file : variants[file].files[0]);

export function CertificatePage({ event, record, links, size, shareSize, nonce, locale, path }: CertificatePageProps) {
  const m = t(locale);
  const title = `${record.name} · ${event.name}`;
  const finished = record.status === 'finished';
  const description =
    finished && record.finishTime
      ? m.finished(record.name, event.name, record.finishTime)
      : m.tookPart(record.name, event.name);
  const result = finished ? (record.finishTime ?? m.finisher) : statusLabel(m, record.status);
  const alt = m.certificateAlt(record.name, event.name);
  const fileName = `${event.slug}-${record.bib ?? record.name}`.replace(/[^\w.-]+/g, '_');
  const fileOf = (file: SavedFile) =>
    file === 'png' || file === 'pdf' ? `${fileName}.${file}` : `${fileName}-${file}.${extension(file)}`;
  const share = shareLinks({
    certificateUrl: links.certificateUrl,
    verifyUrl: links.verifyUrl,
    certificateId: record.certificateId,
    event: event.name,
    text: m.shareText(event.name),
    certificationName: m.certificationName(event.name, finished),
    issued: record.updatedAt,
  });
  const networkLinks: [ShareNetwork, string][] = [
    ...(Object.entries(networkNames) as [ShareNetwork, string][]),
    ['email', m.email],
    ['linkedin', m.addToLinkedIn],
  ];
  /** Followed links ping the portal, which counts shares by network for the organiser (portal/activity.ts). */
  const shared = (network: ShareNetwork | 'device') => portalPaths.shared(event.slug, record.certificateId, network);
  const head = (
    <>
      <meta name="robots" content="noindex" />
      <meta name="description" content={description} />
      <meta property="og:type" content="website" />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={links.certificateUrl} />
      <meta property="og:image" content={links.shareImageUrl} />
      <meta property="og:image:width" content={String(shareSize.width)} />
      <meta property="og:image:height" content={String(shareSize.height)} />
      <meta property="og:image:alt" content={m.shareCardAlt(record.name, result, event.name)} />
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={description} />
      <meta name="twitter:image" content={links.shareImageUrl} />
      <link rel="canonical" href={links.certificateUrl} />
      <EventStyle event={event} />
    </>
  );
  return (
    <PortalPage locale={locale} path={path} title={title} head={head}>
      <EventBanner event={event} cover={false} />
      <p>
        <a href={portalPaths.event(event.slug)}>← {event.name}</a>
      </p>
      <h1>{record.name}</h1>
      <p class="muted">{description}</p>
      <div class="certificate">
        <img src={links.imageUrl} alt={alt} width={size.width} height={size.height} />
      </div>
      <div class="actions">
        <a class="button" href={links.imageUrl} download={`${fileName}.png`}>
          {m.downloadPng}
        </a>
        <a class="button secondary" href={links.formats.pdf} download={`${fileName}.pdf`}>
          {m.downloadPdf}
        </a>
        <a class="button secondary" href={links.formats.svg} download={`${fileName}.svg`}>
          {m.downloadSvg}
        </a>
        <button class="secondary" type="button" data-copy={links.certificateUrl} data-copied={m.linkCopied} hidden>
          {m.copyLink}
        </button>
      </div>
      {/* Without JavaScript, a download link per image; the script swaps them for a chooser that can also share the file. */}
      <p class="muted" data-save-links>
        {m.saveImage}:{' '}
        {socialVariants.map((variant, i) => (
          <>
            {i > 0 && ' · '}
            <a href={links.formats[variant]} download={fileOf(variant)}>
              {m.formats[variant]}
            </a>
          </>
        ))}
      </p>
      <div class="actions" data-chooser hidden>
        <label for="format" class="muted">
          {m.format}
        </label>
        <select id="format" data-format>
          {savedFiles.map((file) => (
            <option
              value={links.formats[file]}
              data-file={fileOf(file)}
              data-type={contentTypes[extension(file)]}
              data-variant={file}
            >
              {m.formats[file]}
            </option>
          ))}
        </select>
        <button class="secondary" type="button" data-save>
          {m.saveImage}
        </button>
        <button
          type="button"
          data-share={links.certificateUrl}
          data-title={title}
          data-text={m.shareText(event.name)}
          data-ping={shared('device')}
          hidden
        >
          {m.share}
        </button>
      </div>
      <p class="share-links">
        {m.shareOn}{' '}
        {networkLinks.map(([network, name], i) => (
          <>
            {i > 0 && ' · '}
            <a href={share[network]} ping={shared(network)}>
              {name}
            </a>
          </>
        ))}
      </p>
      <p class="muted">
        {m.linkToCertificate} <a href={links.certificateUrl}>{links.certificateUrl}</a>
      </p>
      <p class="muted">
        {m.verify[0]}
        <a href={links.verifyUrl}>{m.verify[1]}</a>
        {m.verify[2]}
      </p>
      <p class="muted">
        <a href={portalPaths.removeCertificate(event.slug, record.certificateId)}>{m.removeCertificate}</a>
      </p>
      <script nonce={nonce}>{raw(shareScript)}</script>
    </PortalPage>
  );
}

/** A page that only says something: not found, refused, or an error; in English where the language is not known. */
export function MessagePage({
  title,
  message,
  locale = 'en',
  path,
}: { title: string; message: string } & Partial<Where>) {
  return (
    <PortalPage locale={locale} path={path} title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={portalPaths.home}>{t(locale).seeAllEvents}</a>
      </p>
    </PortalPage>
  );
}
