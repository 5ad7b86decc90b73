import { Hono } from 'hono';
import { z } from 'zod';
import { findPublicCertificate } from '../certificates/public';
import { certificateIdSchema } from '../certificates/rules';
import type { AppEnv } from '../env';
import { countActivity } from '../stats/counter';
import { shareNetworks } from './share-links';

/** Where a certificate was shared: a network the page links to, or the phone's own share sheet (Web Share). */
export const sharedViaSchema = z.enum([...shareNetworks, 'device']);

/**
 * The share links' `ping`: a browser POSTs here as it follows a link to a network, without
 * JavaScript, and the link itself still goes straight to the network (and its app). The answer is
 * the same whether or not the certificate is public, so it tells no one anything.
 */
export const activity = new Hono<AppEnv>().post(
  '/events/:slug/certificates/:certificateId/shared/:network',
  async (c) => {
    const { slug, certificateId, network } = c.req.param();
    const via = sharedViaSchema.safeParse(network);
    if (!via.success) return c.text('No such network.', 404);
    const certificate = certificateIdSchema.safeParse(certificateId).success
      ? await findPublicCertificate(c.var.db, certificateId)
      : undefined;
    if (certificate?.event.slug === slug) countActivity(c, certificate.event.id, { did: 'share', network: via.data });
    return c.body(null, 204);
  },
);
