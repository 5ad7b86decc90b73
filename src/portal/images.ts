import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { limitImages } from '../auth/clients';
import { certificateIdSchema } from '../certificates/rules';
import { certificateFieldsWithVerify, findPublicCertificate, imageRequest } from '../certificates/public';
import { rememberIssuedProof } from '../certificates/verify';
import type { AppEnv } from '../env';
import { linkOrigin } from '../paths';
import { IMAGE_CACHE_CONTROL, imageHash, loadOrRenderImage } from '../render/cache';
import { hasFile, variants, type ImageFormat, type ImageVariant } from '../render/variants';
import { certificateNotFound } from './errors';

/** `<variant>-<hash>.<format>`, for a variant and file format declared in render/variants.ts. */
const fileSchema = z
  .string()
  .regex(/^[a-z]+-[0-9a-f]{24}\.[a-z]+$/)
  .transform((file) => {
    const [, variant, hash, format] = file.match(/^(\w+)-(\w+)\.(\w+)$/)!;
    return { variant: variant!, hash: hash!, format: format! };
  })
  .refine(({ variant, format }) => variant in variants && hasFile(variant as ImageVariant, format))
  .transform((f) => f as { variant: ImageVariant; hash: string; format: ImageFormat });

/**
 * Certificate images at content-hashed URLs. A URL whose hash no longer matches the record or
 * template answers 410: an old URL is never given new content. Yet it is cached for minutes, not
 * for good: a hidden record's images answer 404 and soon drop out of caches.
 */
export const images = new Hono<AppEnv>().get('/certificates/:certificateId/:file', limitImages, async (c) => {
  const { certificateId, file } = c.req.param();
  const parsed = fileSchema.safeParse(file);
  const certificate =
    parsed.success && certificateIdSchema.safeParse(certificateId).success
      ? await findPublicCertificate(c.var.db, certificateId)
      : undefined;
  if (!parsed.success || !certificate) throw certificateNotFound();

  const { variant, format, hash } = parsed.data;
  const fields = await certificateFieldsWithVerify(certificate, linkOrigin(c.env.PUBLIC_URL, c.req.url));
  const request = imageRequest(certificate, fields, variant, format);
  if ((await imageHash(request)) !== hash) {
    throw new HTTPException(410, {
      message: 'This image is out of date: the result or the design has changed. Open the certificate page again.',
    });
  }
  const etag = `"${hash}"`;
  const headers = { ETag: etag, 'Cache-Control': IMAGE_CACHE_CONTROL };
  if (
    c.req
      .header('If-None-Match')
      ?.split(/\s*,\s*/)
      .includes(etag)
  )
    return c.body(null, 304, headers);

  const image = await loadOrRenderImage(c.env, request, hash, (write) => c.executionCtx.waitUntil(write));
  // A newly drawn image carries its proof in the QR code: the verify page must know it was issued.
  if (!image.cached) await rememberIssuedProof(c.var.db, certificate);
  return c.body(image.body, 200, {
    ...headers,
    'Content-Type': image.contentType,
    'X-Certificate-Cache': image.cached ? 'hit' : 'miss',
  });
});
