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

/** An absolute URL: a path on an origin from linkOrigin, or on the portal's public address. */
export const absoluteUrl = (origin: string, path: string) => `${origin.replace(/\/$/, '')}${path}`;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
function onThisMachine(url: string) {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Where absolute links point: PUBLIC_URL, never the Host header a client sent, which could put
 * someone else's host into answers and caches. Only when PUBLIC_URL and the request are both on
 * this machine (`wrangler dev` on another port: the e2e suite, the bench) do links stay on the
 * address in use.
 */
export const linkOrigin = (publicUrl: string, requestUrl: string) =>
  onThisMachine(publicUrl) && onThisMachine(requestUrl) ? new URL(requestUrl).origin : publicUrl.replace(/\/$/, '');

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
  };
}

/** The public portal's pages and files. */
export const portalPaths = {
  home: '/',
  event: (slug: string, query?: string) => withQuery(`/events/${slug}`, { q: query }),
  certificate: (slug: string, certificateId: string) => `/events/${slug}/certificates/${certificateId}`,
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
};
