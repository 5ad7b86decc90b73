import { HTTPException } from 'hono/http-exception';
import type { ImageFormat, ImageVariant } from './render/variants';

/** Every URL the app prints, so a route can move without a hunt through views, API JSON and QR codes. */

type Query = Record<string, string | number | undefined>;

const withQuery = (path: string, query: Query = {}) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
};

/** An absolute URL: a path on an origin from linkOrigin. */
export const absoluteUrl = (origin: string, path: string) => `${origin.replace(/\/$/, '')}${path}`;

/** Addresses of this machine: `wrangler dev`, never an organiser's hostname. */
export const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Where `wrangler dev` listens unless told otherwise: links from work no request asked for, without PUBLIC_URL. */
const WRANGLER_DEV_ORIGIN = 'http://localhost:8787';

/** A misconfigured PUBLIC_URL answers 500 saying so (and says it in the worker's log), never a link elsewhere. */
function publicUrlProblem(message: string): never {
  console.error(message);
  throw new HTTPException(500, { message });
}

/** PUBLIC_URL without its trailing slash, or undefined when empty (local development). */
function publicOrigin(publicUrl: string | undefined) {
  if (!publicUrl) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(publicUrl);
  } catch {}
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:')
    publicUrlProblem(
      `PUBLIC_URL must be the portal's address, like https://certificates.example.org, not "${publicUrl}".`,
    );
  return publicUrl.replace(/\/$/, '');
}

/**
 * Where absolute links point: QR codes on certificates (their verify URLs, so also the image
 * hashes), og tags, API answers, exports. PUBLIC_URL when it is set, whatever Host a client
 * named: that could put someone else's host into answers, caches and printed certificates.
 * Empty is local development (`wrangler dev` on any port): links follow the loopback address in
 * use, and a request on any other address answers 500, so a worker deployed without PUBLIC_URL
 * fails at once rather than printing wrong QR codes.
 */
export function linkOrigin(publicUrl: string | undefined, requestUrl: string) {
  const origin = publicOrigin(publicUrl);
  if (origin) return origin;
  const request = new URL(requestUrl);
  if (LOOPBACK_HOSTS.has(request.hostname)) return request.origin;
  return publicUrlProblem(
    "PUBLIC_URL is not set: set it to the portal's address in wrangler.toml (in wrangler dev off this machine, in .dev.vars).",
  );
}

/**
 * The origin of a request on a hostname an organiser configured (src/events/hostnames.ts): its
 * links stay on that hostname. Only ever for a hostname found among the configured ones.
 */
export const siteOrigin = (hostname: string) => `https://${hostname}`;

/**
 * Where absolute links point in work no request asked for (the publish queue's pre-rendering):
 * PUBLIC_URL, or without it `wrangler dev`'s own address. Locally on another address, a
 * certificate is drawn when first asked for instead (its QR code, hence its hash, differs).
 */
export const backgroundLinkOrigin = (publicUrl: string | undefined) => publicOrigin(publicUrl) ?? WRANGLER_DEV_ORIGIN;

/** The admin pages that belong to no one event. */
export const adminPaths = {
  home: '/admin',
  signIn: (next?: string) => withQuery('/admin/sign-in', { next }),
  signOut: '/admin/sign-out',
  account: (notice?: 'password') => withQuery('/admin/account', { notice }),
  changePassword: '/admin/account/password',
  signOutEverywhere: '/admin/account/sign-out-everywhere',
  tokens: '/admin/tokens',
  revokeToken: (tokenId: number) => `/admin/tokens/${tokenId}/revoke`,
  events: '/admin/events',
  newEvent: '/admin/events/new',
};

/** Where on the Records tab someone was: their search, or the page of the list. */
export type RecordsPlace = { q?: string; page?: number };

/** Where a form shared by the setup wizard and a tab returns to. */
export type Next = 'setup' | undefined;

/** Every admin page and action of one event. */
export function eventPaths(event: { id: number }) {
  const base = `/admin/events/${event.id}`;
  const template = (templateId: number) => `${base}/templates/${templateId}`;
  return {
    overview: base,
    edit: `${base}/edit`,
    setup: `${base}/setup`,
    certificate: (query: { notice?: string; bib?: string } = {}, anchor = '') =>
      withQuery(`${base}/certificate`, query) + anchor,
    records: (query: { notice?: string } & RecordsPlace = {}) => withQuery(`${base}/records`, query),
    recordsCsv: `${base}/records.csv`,
    /** Participants' photos: GET shows the page, POST uploads a ZIP of them. */
    photos: `${base}/photos`,
    newRecord: (from?: Next) => withQuery(`${base}/records/new`, { from }),
    addRecord: (from?: Next) => withQuery(`${base}/records`, { from }),
    /** A record's pages and actions; `from` is the Records tab's search and page they return to. */
    record: (recordId: number, from: RecordsPlace = {}) => ({
      edit: withQuery(`${base}/records/${recordId}/edit`, from),
      /** GET asks first; POST removes. */
      delete: withQuery(`${base}/records/${recordId}/delete`, from),
      visibility: withQuery(`${base}/records/${recordId}/visibility`, from),
      useFile: withQuery(`${base}/records/${recordId}/use-file`, from),
      preview: `${base}/records/${recordId}/preview.png`,
    }),
    imports: `${base}/imports`,
    confirmRemovals: (importId: number) => `${base}/removals/${importId}/confirm`,
    restoreRecord: (removedId: number) => `${base}/records/removed/${removedId}/restore`,
    /** The participants' removal requests: GET chooses the event's check, POST saves it. */
    removalCheck: `${base}/removal-check`,
    /** POST with `decision`, accept or refuse. */
    removalRequest: (requestId: number) => `${base}/removal-requests/${requestId}`,
    importUpload: (uploadId: string) => `${base}/imports/${uploadId}`,
    addSource: (next?: Next) => withQuery(`${base}/sources`, { next }),
    source: (sourceId: number) => ({
      edit: `${base}/sources/${sourceId}/edit`,
      remove: `${base}/sources/${sourceId}/remove`,
      /** From the setup wizard (`next`), a failed pull returns to its records step. */
      sync: (next?: Next) => withQuery(`${base}/sources/${sourceId}/sync`, { next }),
    }),
    addTemplate: (next?: Next) => withQuery(`${base}/templates`, { next }),
    builtInPreview: (slug: string) => `${base}/templates/built-in/${slug}/preview.png`,
    templateRules: `${base}/template-rules`,
    template: (templateId: number) => ({
      /** Its card on the Certificate tab. */
      card: `#template-${templateId}`,
      use: `${template(templateId)}/use`,
      rename: `${template(templateId)}/rename`,
      duplicate: `${template(templateId)}/duplicate`,
      /** GET asks first (or says why it cannot go); POST deletes. */
      delete: `${template(templateId)}/delete`,
      design: `${template(templateId)}/design`,
      /** The saved version's preview image; the version in the query keeps browsers from showing an old one. */
      previewImage: (version: number) => withQuery(`${template(templateId)}/preview.png`, { v: version }),
      livePreview: `${template(templateId)}/preview`,
      adapt: `${template(templateId)}/adapt`,
      layout: `${template(templateId)}/layout`,
    }),
    addAsset: `${base}/assets`,
    asset: (assetId: number) => ({ file: `${base}/assets/${assetId}`, delete: `${base}/assets/${assetId}/delete` }),
    publish: `${base}/publish`,
    publishProgress: `${base}/publish/progress`,
    resumePublish: `${base}/publish/resume`,
    unpublish: `${base}/unpublish`,
    /** The event's look on the portal: GET shows the form, POST saves it (src/admin/branding.tsx). */
    branding: (notice?: string) => withQuery(`${base}/branding`, { notice }),
    /** POST sets a hostname of the organiser's own; `/remove` lets one go. */
    hostname: `${base}/branding/hostname`,
    removeHostname: `${base}/branding/hostname/remove`,
    /** The finish-area poster with the search page's QR code, in a portal language. */
    poster: (lang?: string) => withQuery(`${base}/poster.pdf`, { lang }),
    mailMerge: `${base}/mail-merge.csv`,
    /** The Publish tab's downloads: GET lists exports, POST starts one (src/admin/downloads.tsx). */
    downloads: `${base}/publish/downloads`,
    /** File `number` (from 1) of an export, as an attachment. */
    download: (exportId: number, number: number) => `${base}/publish/downloads/${exportId}/${number}`,
  };
}

/** The public portal's pages and files. */
export const portalPaths = {
  home: '/',
  /** The event's search page; `notice` says why someone landed there (a deep link that found no certificate). */
  event: (slug: string, query?: string, notice?: 'no-certificate') =>
    withQuery(`/events/${slug}`, { q: query, notice }),
  /** Deep links a results site prints beside each row: they redirect to the participant's certificate page. */
  bib: (slug: string, bib: string) => `/events/${slug}/bib/${encodeURIComponent(bib)}`,
  participant: (slug: string, participantKey: string) => `/events/${slug}/p/${encodeURIComponent(participantKey)}`,
  /** The search box an organiser's own site frames. */
  embed: (slug: string, query?: string) => withQuery(`/events/${slug}/embed`, { q: query }),
  certificate: (slug: string, certificateId: string) => `/events/${slug}/certificates/${certificateId}`,
  /** `/` of an organiser's hostname (src/events/hostnames.ts): their events, on that hostname only. */
  site: (hostname: string) => `/sites/${hostname}`,
  /** The event's logo or cover image, by its upload's hash. */
  eventImage: (slug: string, hash: string) => `/events/${slug}/look/${hash}`,
  /** The participant's "Remove my certificate" page: GET asks, POST asks the organiser or removes. */
  removeCertificate: (slug: string, certificateId: string) => `/events/${slug}/certificates/${certificateId}/remove`,
  /** Pinged (POST) when a share link is followed, to count it for the organiser (portal/activity.ts). */
  shared: (slug: string, certificateId: string, network: string) =>
    `/events/${slug}/certificates/${certificateId}/shared/${network}`,
  /** A certificate file at its content-hashed address (see render/cache.ts). */
  image: (certificateId: string, variant: ImageVariant, hash: string, format: ImageFormat) =>
    `/certificates/${certificateId}/${variant}-${hash}.${format}`,
  verify: (certificateId: string, proof?: string) => `/verify/${certificateId}${proof ? `/${proof}` : ''}`,
  /** What the sample participant's QR code shows in template previews: no certificate of anyone's. */
  verifySample: '/verify',
};

/**
 * The same address at an event's current slug: `/events/old/…` (or `/api/v1/events/old/…`) with
 * the slug after `events` replaced, the rest of the path and the query kept. For the redirects of
 * a renamed event (src/events/addresses.ts).
 */
export function atCurrentSlug(url: URL, formerSlug: string, slug: string) {
  const segments = url.pathname.split('/');
  const at = segments.indexOf('events');
  if (at === -1 || segments[at + 1] !== formerSlug) return undefined;
  segments[at + 1] = slug;
  return segments.join('/') + url.search;
}

/** The organiser API's addresses that its answers point to. */
export const apiPaths = {
  confirmRemovals: (slug: string, importId: number) => `/api/v1/events/${slug}/imports/${importId}/confirm-removals`,
  /** A record by its participant key (the bib, `key:…` or `name:…`). */
  record: (slug: string, key: string) => `/api/v1/events/${slug}/records/${encodeURIComponent(key)}`,
  template: (slug: string, templateId: number) => `/api/v1/events/${slug}/templates/${templateId}`,
  /** The saved version's preview; the version in the query keeps caches from showing an old one. */
  templatePreview: (slug: string, templateId: number, version: number) =>
    withQuery(`/api/v1/events/${slug}/templates/${templateId}/preview.png`, { v: version }),
  builtInPreview: (builtIn: string) => `/api/v1/templates/${builtIn}/preview.png`,
  /** The OpenAPI document, and the reference page made from it. */
  openApi: '/api/v1/openapi.json',
  reference: '/api/docs',
};
