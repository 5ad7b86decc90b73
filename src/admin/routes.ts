import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requireSignIn } from '../auth/guard';
import { ownEventById } from '../auth/ownership';
import type { EventEnv, OrganiserEnv } from '../env';
import { accountPages } from './account';
import { assetPages } from './assets';
import { brandingPages } from './branding';
import { certificatePages } from './certificate';
import { designerPages } from './designer';
import { downloadPages } from './downloads';
import { distributePages } from './distribute';
import { eventErrorPage } from './errors';
import { eventListPages, eventPages } from './events';
import { importPages } from './imports';
import { isPhotoUpload, limitPhotoZip, photoPages } from './photos';
import { adminRenderer } from './layout';
import { publishPages } from './publish';
import { recordPages } from './records';
import { setupPages } from './setup';
import { sourcePages } from './sources';
import { tokenPages } from './tokens';

// The largest thing an organiser sends is a 20 MB results file, in a multipart form.
const MAX_FORM_BYTES = 21 * 1024 * 1024;

/** Checked while the body streams in, so a 60 MB upload is refused after 21 MB, not read whole. */
const limitRequestBody = bodyLimit({
  maxSize: MAX_FORM_BYTES,
  onError: () => {
    throw new HTTPException(413, { message: 'That is more than the 20 MB a results file may have.' });
  },
});

/** Every page of one event, behind the gate that sets `c.var.event` to the organiser's own event. */
const eventAdmin = new Hono<EventEnv>()
  .use(ownEventById)
  .route('/', eventPages)
  .route('/', setupPages)
  .route('/', certificatePages)
  .route('/', assetPages)
  .route('/', sourcePages)
  .route('/', designerPages)
  .route('/', importPages)
  .route('/', recordPages)
  .route('/', photoPages)
  .route('/', publishPages)
  .route('/', brandingPages)
  .route('/', downloadPages)
  .route('/', distributePages)
  // A failed import or sync stays in the admin, under the event's tabs.
  .onError(eventErrorPage);

/** Every admin page sits behind sign-in; only /admin/sign-in (see auth.tsx) does not. */
export const admin = new Hono<OrganiserEnv>()
  // A ZIP of photos is larger than a results file: it has a limit of its own.
  .use('/*', (c, next) =>
    isPhotoUpload(c.req.path, c.req.method) ? limitPhotoZip(c, next) : limitRequestBody(c, next),
  )
  .use('/', requireSignIn, adminRenderer)
  .use('/*', requireSignIn, adminRenderer)
  .route('/', eventListPages)
  .route('/', tokenPages)
  .route('/', accountPages)
  .route('/events/:eventId{[0-9]+}', eventAdmin);
