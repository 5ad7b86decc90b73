import { sha256Hex } from '../digest';
import type { RenderEnv } from '../env';
import type { CertificateFields } from './fields';
import type { Layout } from './layout';
import { designFor } from './adapt';
import { framed } from './frame';
import { PDF_VERSION, renderPdf } from './pdf';
import { renderDrawing, renderPng, renderSvg } from './pipeline';
import { renderCertificatePng } from './static-layer';
import { RenderTiming } from './timing';
import { contentTypes, type ImageFormat, type ImageVariant } from './variants';
import { RENDERER_VERSION } from './version';

/** For R2: the content at a hashed key never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * For a certificate image's HTTP answer: short, because hiding a participant must take their
 * image off browsers and CDNs within minutes; the ETag makes revalidating cheap.
 */
export const IMAGE_CACHE_CONTROL = 'public, max-age=300';

/** Everything that shapes one image of one record. */
export interface ImageRequest {
  certificateId: string;
  template: { id: number; version: number; layout: Layout; fingerprint: string };
  fields: CertificateFields;
  variant: ImageVariant;
  format: ImageFormat;
  /** The event's accent colour, framing the share card (frame.ts); undefined for an event without one. */
  accent?: string;
}

/**
 * The content hash carried by a certificate's image URLs: renderer version, template version and
 * layout, record fields, the event's accent (the share card's frame). Any change gives new URLs,
 * so a URL's content never changes. The variant and format are in the URL and storage key beside
 * it, and the page size follows from the layout, so one hash serves all of a certificate's files:
 * a search of 20 runners takes 20 digests, not 120. (A new accent so renames all of them.)
 */
export async function imageHash(req: Pick<ImageRequest, 'template' | 'fields' | 'accent'>): Promise<string> {
  const shaping = [
    RENDERER_VERSION,
    PDF_VERSION,
    req.template.id,
    req.template.version,
    req.template.fingerprint,
    req.fields,
    // Only when there is one: an unbranded event's URLs stay as they were.
    ...(req.accent ? [req.accent] : []),
  ];
  return (await sha256Hex(JSON.stringify(shaping))).slice(0, 24);
}

export const imageKey = (req: Pick<ImageRequest, 'certificateId' | 'variant' | 'format'>, hash: string) =>
  `certificates/${req.certificateId}/${req.variant}-${hash}.${req.format}`;

export interface StoredImage {
  body: ReadableStream | Uint8Array<ArrayBuffer> | string;
  contentType: string;
  cached: boolean;
}

/**
 * Runs the write to R2 after the response has gone (`ctx.waitUntil`), so a participant does not
 * wait for it. Without one, the write is awaited, as pre-rendering on publish needs.
 */
export type Defer = (write: Promise<unknown>) => void;

/** Streams an image from R2 by key, or renders it once and stores it there for every later request. */
export async function loadOrRender(
  bucket: R2Bucket,
  key: string,
  format: ImageFormat,
  render: () => Promise<Uint8Array<ArrayBuffer> | string>,
  defer?: Defer,
  timing = new RenderTiming(),
): Promise<StoredImage> {
  const stored = await timing.time('r2', () => bucket.get(key));
  if (stored) {
    timing.path = 'hit';
    return { body: stored.body, contentType: contentTypes[format], cached: true };
  }
  return renderAndStore(bucket, key, format, render, defer, timing);
}

async function renderAndStore(
  bucket: R2Bucket,
  key: string,
  format: ImageFormat,
  render: () => Promise<Uint8Array<ArrayBuffer> | string>,
  defer: Defer | undefined,
  timing: RenderTiming,
): Promise<StoredImage> {
  const contentType = contentTypes[format];
  const body = await render();
  const write = bucket.put(key, body, { httpMetadata: { contentType, cacheControl: IMMUTABLE } });
  if (defer) defer(write);
  else await timing.time('r2', () => write);
  return { body, contentType, cached: false };
}

/** A record's certificate image, cached in R2 under its content hash; `timing` is told where the time went. */
export function loadOrRenderImage(
  env: RenderEnv,
  req: ImageRequest,
  hash: string,
  defer?: Defer,
  timing = new RenderTiming(),
): Promise<StoredImage> {
  const render = () => drawImage(env, req, timing, defer);
  return loadOrRender(env.FILES, imageKey(req, hash), req.format, render, defer, timing);
}

/** As loadOrRenderImage, for a caller that has just found nothing in R2 under the hash: one look-up less. */
export function renderImage(
  env: RenderEnv,
  req: ImageRequest,
  hash: string,
  defer: Defer,
  timing: RenderTiming,
): Promise<StoredImage> {
  const render = () => drawImage(env, req, timing, defer);
  return renderAndStore(env.FILES, imageKey(req, hash), req.format, render, defer, timing);
}

function drawImage(
  env: RenderEnv,
  req: ImageRequest,
  timing: RenderTiming,
  defer?: Defer,
): Promise<Uint8Array<ArrayBuffer> | string> {
  const design = framed(designFor(req.template.layout, req.variant), req.variant, req.accent);
  if (req.format === 'png') return renderCertificatePng(design, req.fields, env, timing, defer);
  if (req.format === 'svg') return renderSvg(design, req.fields, env);
  return renderDrawing(design, req.fields, env).then(({ svg, text }) =>
    renderPdf({
      svg,
      text,
      ...design.page,
      fields: req.fields,
      raster300dpi: () => renderPng(design, req.fields, env, 2),
    }),
  );
}
