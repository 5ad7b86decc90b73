import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findLinkedCertificate, type ParticipantRef } from '../certificates/participant-links';
import { portalPaths } from '../paths';
import { t, type PortalEnv } from './i18n';

/**
 * To the certificate page, or to the event's search page saying the link found no certificate.
 * Not cached: hiding a participant or publishing the event must change where the link leads at once.
 */
async function follow(c: Context<PortalEnv>, slug: string, ref: ParticipantRef) {
  const certificate = await findLinkedCertificate(c.var.db, slug, ref);
  c.header('Cache-Control', 'no-store');
  const to = certificate
    ? portalPaths.certificate(slug, certificate.record.certificateId)
    : portalPaths.event(slug, undefined, 'no-certificate');
  return c.redirect(to, 302);
}

/**
 * Links a results site prints beside each row without calling the API: by bib, or by participant
 * key for lists without bibs (records/participant-key.ts). Hidden and unknown participants lead
 * to the same search page, so a link never tells whether someone hidden exists.
 */
export const deepLinks = new Hono<PortalEnv>()
  .get('/events/:slug/bib/:bib', (c) => follow(c, c.req.param('slug'), { bib: c.req.param('bib') }))
  .get('/events/:slug/p/:participantKey', (c) =>
    follow(c, c.req.param('slug'), { participantKey: c.req.param('participantKey') }),
  );

const noticeSchema = z.enum(['no-certificate']);

/**
 * What the search page says to someone a deep link sent there, in their language; nothing once
 * they search. An unknown notice is ignored: it only ever decorates the page.
 */
export function deepLinkNotice(c: Context<PortalEnv>): string | undefined {
  if (c.req.query('q') !== undefined) return undefined;
  const notice = noticeSchema.safeParse(c.req.query('notice')).data;
  return notice === 'no-certificate' ? t(c.var.locale).linkFindsNoOne : undefined;
}
