import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { admin } from './admin/routes';
import { auth } from './admin/auth';
import { forgetExpiredIdempotencyKeys } from './auth/idempotency';
import { organiserApi } from './api/organiser';
import { api } from './api/routes';
import { database } from './db/client';
import type { AppEnv, Env, RenderJob } from './env';
import { renderJobs } from './publish/consumer';
import { EXPORT_QUEUE_NAME, exportJobs, type ExportJob } from './publish/exports';
import { cleanStaleStaging, finishImports } from './records/import';
import { refreshOutdatedTerms } from './records/queries';
import { syncAllUrlSources } from './sources/sync';
import { flushStats } from './stats/counter';
import { images } from './portal/images';
import { ImportError } from './import/import-error';
import { linkOrigin } from './paths';
import { requestLocale, switcherPath, t, varyByLanguage } from './portal/i18n';
import { MessagePage, type Where } from './portal/pages';
import { portal } from './portal/routes';
import { onSite } from './portal/sites';
import { letSitesFrameEmbed } from './portal/embed';
import { verify } from './portal/verify';

const app = new Hono<AppEnv>();

// Outside the secure headers, to amend them: the embeddable search box alone may be framed.
app.use(letSitesFrameEmbed);
app.use(
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: [NONCE],
      styleSrc: ["'self'", "'unsafe-inline'"],
      // blob: for the designer's live preview, fetched as a POST and shown from memory.
      imgSrc: ["'self'", 'data:', 'blob:'],
      frameAncestors: ["'none'"],
      // An injected <base> or <form> could send links and admin forms (with their CSRF token) elsewhere.
      baseUri: ["'none'"],
      formAction: ["'self'"],
      objectSrc: ["'none'"],
    },
    crossOriginResourcePolicy: false,
  }),
);
app.use(async (c, next) => {
  c.set('db', database(c.env.DB));
  await next();
});
// A worker deployed without PUBLIC_URL answers every request with 500 saying so, not only those printing links.
app.use(async (c, next) => {
  linkOrigin(c.env.PUBLIC_URL, c.req.url);
  await next();
});

app.route('/api', api);
app.route('/api', organiserApi);
// Sign-in first: its handlers answer before the admin app's sign-in guard is reached.
app.route('/admin', auth);
app.route('/admin', admin);
app.route('/', images);
app.route('/', verify);
app.route('/', portal);

// API routes, and admin requests made with JSON (the designer), get errors as JSON.
const wantsJson = (c: Context) =>
  c.req.path.startsWith('/api/') || (c.req.header('Content-Type') ?? '').startsWith('application/json');

/** The admin's and the API's addresses: their pages are English, the rest are the portal's. */
const isPortalAddress = (c: Context) => !/^\/(?:admin|api)(?:\/|$)/.test(c.req.path);

/** A page at a portal address is in the runner's language, with the switcher; the admin's are English. */
function pageLanguage(c: Context): Where {
  if (!isPortalAddress(c)) return { locale: 'en' };
  varyByLanguage(c);
  return { locale: requestLocale(c), path: switcherPath(c) };
}

app.notFound((c) => {
  if (wantsJson(c)) return c.json({ error: t('en').nothingHere }, 404);
  const where = pageLanguage(c);
  const m = t(where.locale);
  return c.html(<MessagePage title={m.pageNotFound} message={m.nothingHere} {...where} />, 404);
});

/** One place decides how errors look: JSON for the API, a page for people. Never a stack trace. */
app.onError((err, c) => {
  const known = err instanceof HTTPException || err instanceof ImportError;
  if (!known) console.error(err);
  const status = known ? err.status : 500;
  if (wantsJson(c)) return c.json({ error: known ? err.message : t('en').somethingWentWrong }, status);
  const where = pageLanguage(c);
  const m = t(where.locale);
  // A refusal says what its route wrote; the portal's routes write theirs in the runner's language.
  const message = known ? err.message : m.somethingWentWrong;
  return c.html(<MessagePage title={m.errorTitle(status)} message={message} {...where} />, status);
});

export default {
  // A hostname an organiser configured answers with their portal, its links on that hostname.
  fetch: async (request, env, ctx) => {
    const site = await onSite(request, env, database(env.DB));
    return site instanceof Response ? site : app.fetch(...site, ctx);
  },
  // Two queues, one consumer: downloads (exports.ts) have a queue of their own, a slice a batch.
  queue: (batch, env) =>
    batch.queue === EXPORT_QUEUE_NAME
      ? exportJobs(batch as MessageBatch<ExportJob>, env)
      : renderJobs(batch as MessageBatch<RenderJob>, env),
  scheduled: async (_controller, env) => {
    const db = database(env.DB);
    // Counts this isolate holds from requests that did not flush them (src/stats/counter.ts).
    await flushStats(db);
    await finishImports(db);
    await cleanStaleStaging(db);
    await forgetExpiredIdempotencyKeys(db);
    await refreshOutdatedTerms(db);
    await syncAllUrlSources(db, { localOrigins: env.LOCAL_SOURCE_ORIGINS, renderQueue: env.RENDER_QUEUE });
  },
} satisfies ExportedHandler<Env, RenderJob | ExportJob>;

/** The Hono app alone, for tests that walk its routes. */
export { app };
