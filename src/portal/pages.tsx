import { raw } from 'hono/html';
import type { CertificateFormats } from '../certificates/public';
import type { SearchResult } from '../certificates/search';
import type { Event, ParticipantRecord } from '../db/schema';
import { portalPaths } from '../paths';
import { socialVariants, variants } from '../render/variants';
import { Page } from '../ui/page';
import shareScript from './share.client.js';

const statusLabel: Record<string, string> = { finished: 'Finisher', dnf: 'DNF', dns: 'DNS', dsq: 'DSQ' };

const eventLine = (event: Event) => [event.date, event.location].filter(Boolean).join(' · ');

export function HomePage({ events }: { events: Event[] }) {
  return (
    <Page title="Find your certificate">
      <h1>Find your certificate</h1>
      <p class="muted">Pick your event, then search by bib number or name.</p>
      <div class="card">
        {events.length === 0 ? (
          <p class="muted">No events are published yet.</p>
        ) : (
          <ul class="plain">
            {events.map((event) => (
              <li>
                <a href={portalPaths.event(event.slug)}>
                  <strong>{event.name}</strong>
                  <span class="muted">{eventLine(event)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Page>
  );
}

export interface EventPageProps {
  event: Event;
  query: string;
  results: SearchResult[];
  error?: string;
}

export function EventPage({ event, query, results, error }: EventPageProps) {
  return (
    <Page title={`${event.name}: certificates`}>
      <h1>{event.name}</h1>
      <p class="muted">{eventLine(event)}</p>
      {/* biome-ignore lint/a11y/useSemanticElements: a form with role="search" is the landmark every browser knows. */}
      <form class="search" method="get" action={portalPaths.event(event.slug)} role="search">
        <label for="q" class="muted" hidden>
          Bib number or name
        </label>
        <input
          id="q"
          name="q"
          type="search"
          value={query}
          placeholder="Bib number or name"
          autocomplete="off"
          maxlength={200}
          autofocus
        />
        <button type="submit">Search</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {query && !error && (
        <div class="card" aria-live="polite">
          {results.length === 0 ? (
            <p>No one matches “{query}”. Try your bib number, or fewer letters of your name.</p>
          ) : (
            <ul class="plain">
              {results.map((r) => (
                <li>
                  <a href={r.certificateUrl}>
                    <span>
                      <strong>{r.name}</strong>
                      {r.bib !== null && <span class="muted"> #{r.bib}</span>}
                      {r.category && <span class="muted"> · {r.category}</span>}
                    </span>
                    <span>
                      {r.status === 'finished' ? r.finishTime : <span class="badge">{statusLabel[r.status]}</span>}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Page>
  );
}

export interface CertificatePageProps {
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

export function CertificatePage({ event, record, links, size, shareSize, nonce }: CertificatePageProps) {
  const title = `${record.name} · ${event.name}`;
  const description =
    record.status === 'finished' && record.finishTime
      ? `${record.name} finished ${event.name} in ${record.finishTime}.`
      : `${record.name} took part in ${event.name}.`;
  const fileName = `${event.slug}-${record.bib ?? record.name}`.replace(/[^\w.-]+/g, '_');
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
      <meta property="og:image:alt" content={`Certificate of ${record.name} for ${event.name}`} />
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={description} />
      <meta name="twitter:image" content={links.shareImageUrl} />
      <link rel="canonical" href={links.certificateUrl} />
    </>
  );
  return (
    <Page title={title} head={head}>
      <p>
        <a href={portalPaths.event(event.slug)}>← {event.name}</a>
      </p>
      <h1>{record.name}</h1>
      <p class="muted">{description}</p>
      <div class="certificate">
        <img
          src={links.imageUrl}
          alt={`Certificate of ${record.name} for ${event.name}`}
          width={size.width}
          height={size.height}
        />
      </div>
      <div class="actions">
        <a class="button" href={links.imageUrl} download={`${fileName}.png`}>
          Download PNG
        </a>
        <a class="button secondary" href={links.formats.pdf} download={`${fileName}.pdf`}>
          Download PDF
        </a>
        <a class="button secondary" href={links.formats.svg} download={`${fileName}.svg`}>
          Download SVG
        </a>
        <button class="secondary" type="button" data-copy={links.certificateUrl} hidden>
          Copy link
        </button>
        <button class="secondary" type="button" data-share={links.certificateUrl} hidden>
          Share
        </button>
      </div>
      <p class="muted">
        For social media:{' '}
        {socialVariants.map((variant, i) => (
          <>
            {i > 0 && ' · '}
            <a href={links.formats[variant]} download={`${fileName}-${variant}.${variants[variant].files[0]}`}>
              {variants[variant].download}
            </a>
          </>
        ))}
      </p>
      <p class="muted">
        Link to this certificate: <a href={links.certificateUrl}>{links.certificateUrl}</a>
      </p>
      <p class="muted">
        Anyone can <a href={links.verifyUrl}>check this certificate</a>; the QR code on it leads there too.
      </p>
      <script nonce={nonce}>{raw(shareScript)}</script>
    </Page>
  );
}

export function MessagePage({ title, message }: { title: string; message: string }) {
  return (
    <Page title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={portalPaths.home}>See all events</a>
      </p>
    </Page>
  );
}
