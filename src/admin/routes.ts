import { Hono } from 'hono';
import { requireSignIn } from '../auth/guard';
import { ownEventById } from '../auth/ownership';
import type { EventEnv, OrganiserEnv } from '../env';
import { assetPages } from './assets';
import { certificatePages } from './certificate';
import { designerPages } from './designer';
import { eventListPages, eventPages } from './events';
import { importPages } from './imports';
import { adminRenderer } from './layout';
import { publishPages } from './publish';
import { recordPages } from './records';
import { setupPages } from './setup';
import { sourcePages } from './sources';
import { tokenPages } from './tokens';

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
  .route('/', publishPages);

/** Every admin page sits behind sign-in; only /admin/sign-in (see auth.tsx) does not. */
export const admin = new Hono<OrganiserEnv>()
  .use('/', requireSignIn, adminRenderer)
  .use('/*', requireSignIn, adminRenderer)
  .route('/', eventListPages)
  .route('/', tokenPages)
  .route('/events/:eventId{[0-9]+}', eventAdmin);
