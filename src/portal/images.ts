import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { limitImages } from '../auth/clients';
import { certificateIdSchema } from '../certificates/rules';
import { certificateFieldsWithVerify, findPublicCertificate, imageRequest } from '../certificates/public';
import { rememberIssuedProof } from '../certificates/verify';
import type { AppEnv } from '../env';
import { linkOrigin } from '../paths';
import { IMAGE_CACHE_CONTROL, imageHash, imageKey, renderImage } from '../render/cache';
import { RenderTiming } from '../render/timing';
import { contentTypes, hasFile, variants, type ImageFormat, type ImageVariant } from '../render/variants';
import { countActivity } from '../stats/counter';
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
  const timing = new RenderTiming();
  const { certificateId, file } = c.req.param();
  const parsed = fileSchema.safeParse(file);
  if (!parsed.success || !certificateIdSchema.safeParse(certificateId).success) throw certificateNotFound();
  const { variant, format, hash } = parsed.data;

  // Whether the public may see it (D1) and the image stored under the URL's hash (R2) are asked
  // for at once, so a cache hit waits for the slower of the two rather than both. Nothing is sent
  // before D1 has answered: a record hidden a moment ago is never served.
  const [certificate, stored] = await Promise.all([
    findPublicCertificate(c.var.db, certificateId),
    c.env.FILES.get(imageKey({ certificateId, variant, format }, hash)),
  ]);
  const unused = () => void stored?.body.cancel().catch(() => {});
  if (!certificate) {
    unused();
    throw certificateNotFound();
  }
  const fields = await certificateFieldsWithVerify(certificate, linkOrigin(c.env.PUBLIC_URL, c.req.url));
  const request = imageRequest(certificate, fields, variant, format);
  if ((await imageHash(request)) !== hash) {
    unused();
    throw new HTTPException(410, {
      message: 'This image is out of date: the result or the design has changed. Open the certificate page again.',
    });
  }
  // Saving or opening a file is a navigation; the page's own preview (an <img>) and the share sheet's fetch are not.
  if (c.req.header('Sec-Fetch-Mode') === 'navigate')
    countActivity(c, certificate.event.id, { did: 'download', variant, format });
  const etag = `"${hash}"`;
  const headers = { ETag: etag, 'Cache-Control': IMAGE_CACHE_CONTROL };
  if (
    c.req
      .header('If-None-Match')
      ?.split(/\s*,\s*/)
      .includes(etag)
  ) {
    unused();
    return c.body(null, 304, headers);
  }
  if (stored) {
    return c.body(stored.body, 200, { ...headers, 'Content-Type': contentTypes[format], 'X-Certificate-Cache': 'hit' });
  }

  // The look-ups so far: the certificate and its template (D1, the R2 look-up beside it), and the hash.
  timing.lap('d1');
  // A newly drawn image carries its proof in the QR code: the verify page must know it was issued
  // before anyone can scan it, so it is written as the image is drawn. The response does not wait
  // for it: nobody scans an image before seeing it, and a D1 write goes to the database's primary,
  // maybe a continent away. Locally it cost every uncached image 5 ms.
  c.executionCtx.waitUntil(
    rememberIssuedProof(c.var.db, certificate).catch((error: unknown) => console.error('proof not remembered', error)),
  );
  const image = await renderImage(c.env, request, hash, (write) => c.executionCtx.waitUntil(write), timing);
  return c.body(image.body, 200, {
    ...headers,
    'Content-Type': image.contentType,
    'X-Certificate-Cache': 'miss',
    'Server-Timing': timing.header(),
  });
});
