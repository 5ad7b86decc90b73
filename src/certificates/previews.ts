import { previewRecord } from '../../templates';
import { sha256Hex } from '../digest';
import type { RenderEnv } from '../env';
import { absoluteUrl, portalPaths } from '../paths';
import { loadOrRender } from '../render/cache';
import { certificateFields, type CertificateFields, type FieldSources } from '../render/fields';
import type { Layout } from '../render/layout';
import { renderPng } from '../render/pipeline';
import { RENDERER_VERSION } from '../render/version';

/** The event a built-in template's preview shows before it belongs to any event. */
export const sampleEvent: FieldSources['event'] = {
  name: 'City Marathon',
  date: '2026-04-19',
  location: 'Hamburg',
  language: null,
};

/**
 * The sample participant's fields at an event, for previews of a template before any record
 * exists; the QR code leads to the verify page's note on samples, on `origin` (from linkOrigin).
 */
export const sampleFields = (event: FieldSources['event'], origin: string): CertificateFields => ({
  ...certificateFields({ event, record: previewRecord }),
  verifyUrl: absoluteUrl(origin, portalPaths.verifySample),
});

/** A template preview as a PNG, cached in R2 by the hash of what it shows; the hash is its ETag. */
export async function templatePreview(env: RenderEnv, layout: Layout, fields: CertificateFields) {
  const hash = (await sha256Hex(JSON.stringify([RENDERER_VERSION, layout, fields]))).slice(0, 24);
  const image = await loadOrRender(env.FILES, `previews/${hash}.png`, 'png', () => renderPng(layout, fields, env));
  return { body: image.body, contentType: image.contentType, etag: `"${hash}"` };
}
