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
import { cleanStaleStaging, finishImports } from './records/import';
import { refreshOutdatedTerms } from './records/queries';
import { syncAllUrlSources } from './sources/sync';
import { images } from './portal/images';
import { ImportError } from './import/import-error';
import { linkOrigin } from './paths';
import { MessagePage } from './portal/pages';
import { portal } from './portal/routes';
import { verify } from './portal/verify';

const app = new Hono<AppEnv>();

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

app.notFound((c) => {
  const message = 'There is nothing at this address.';
  if (wantsJson(c)) return c.json({ error: message }, 404);
  return c.html(<MessagePage title="Page not found" message={message} />, 404);
});

/** One place decides how errors look: JSON for the API, a page for people. Never a stack trace. */
app.onError((err, c) => {
  const known = err instanceof HTTPException || err instanceof ImportError;
  if (!known) console.error(err);
  const status = known ? err.status : 500;
  const message = known ? err.message : 'Something went wrong on our side. Please try again in a moment.';
  if (wantsJson(c)) return c.json({ error: message }, status);
  const title =
    status === 404 ? 'Not found' : status === 410 ? 'No longer here' : status < 500 ? 'That did not work' : 'Sorry';
  return c.html(<MessagePage title={title} message={message} />, status);
});

export default {
  fetch: app.fetch,
  queue: (batch, env) => renderJobs(batch, env),
  scheduled: async (_controller, env) => {
    const db = database(env.DB);
    await finishImports(db);
    await cleanStaleStaging(db);
    await forgetExpiredIdempotencyKeys(db);
    await refreshOutdatedTerms(db);
    await syncAllUrlSources(db, { localOrigins: env.LOCAL_SOURCE_ORIGINS, renderQueue: env.RENDER_QUEUE });
  },
} satisfies ExportedHandler<Env, RenderJob>;

/** The Hono app alone, for tests that walk its routes. */
export { app };
