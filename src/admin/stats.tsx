import { networkNames } from '../portal/share-links';
import { variants, type ImageVariant } from '../render/variants';
import { FirstWeekChart } from '../stats/chart';
import type { EventActivity } from '../stats/queries';
import { count } from './count';

const networkLabels: Record<string, string> = {
  ...networkNames,
  linkedin: 'LinkedIn',
  email: 'Email',
  device: 'Share sheet',
};

/** `certificate.pdf` as "PDF", `story.png` as "Story": the files as the certificate page names them. */
function fileLabel(file: string) {
  const [variant, format = ''] = file.split('.');
  if (variant === 'certificate') return format.toUpperCase();
  return variant && variant in variants ? variants[variant as ImageVariant].label : file;
}

/** "2: PDF 1, PNG 1", or "0". */
function breakdown(rows: { label: string; count: number }[]) {
  const total = rows.reduce((n, r) => n + r.count, 0);
  return rows.length === 0 ? '0' : `${total}: ${rows.map((r) => `${r.label} ${r.count}`).join(', ')}`;
}

/** The Overview tab's "What happened": what participants did on the portal, and what they could not find. */
export function WhatHappened({ activity }: { activity: EventActivity }) {
  const { views, downloads, shares, searches, searchesFoundNoOne, noResultQueries, firstWeek } = activity;
  return (
    <section class="card" aria-labelledby="what-happened">
      <h2 id="what-happened">What happened</h2>
      <p class="muted">
        Counted on the portal without cookies or anything about the participant; the latest minutes may not show yet.
      </p>
      <table>
        <tbody>
          <tr>
            <th scope="row">Certificate page views</th>
            <td>{views}</td>
          </tr>
          <tr>
            <th scope="row">Downloads</th>
            <td>{breakdown(downloads.map((d) => ({ label: fileLabel(d.file), count: d.count })))}</td>
          </tr>
          <tr>
            <th scope="row">Share clicks</th>
            <td>{breakdown(shares.map((s) => ({ label: networkLabels[s.network] ?? s.network, count: s.count })))}</td>
          </tr>
          <tr>
            <th scope="row">Searches</th>
            <td>
              {searches}
              {searches > 0 && `, ${searchesFoundNoOne} of them found no one`}
            </td>
          </tr>
        </tbody>
      </table>
      {noResultQueries.length > 0 && (
        <>
          <h3>Searches that found no one</h3>
          <p class="muted">
            A name searched for often may be misspelled in the results: correct the record and they find it.
          </p>
          <ul>
            {noResultQueries.map((q) => (
              <li>
                {count(q.count, 'search', 'searches')} for “{q.query}”
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>The first 7 days</h3>
      <FirstWeekChart days={firstWeek} />
    </section>
  );
}
