import { Hono } from 'hono';
import type { OrganiserEnv } from '../env';
import { assetPages } from './assets';
import { certificatePages } from './certificate';
import { designerPages } from './designer';
import { eventPages } from './events';
import { requireSignIn } from './guard';
import { importPages } from './imports';
import { publishPages } from './publish';
import { recordPages } from './records';
import { setupPages } from './setup';
import { sourcePages } from './sources';
import { tokenPages } from './tokens';

/** Every admin page sits behind sign-in; only /admin/sign-in (see auth.tsx) does not. */
export const admin = new Hono<OrganiserEnv>()
  .use('/', requireSignIn)
  .use('/*', requireSignIn)
  .route('/', eventPages)
  .route('/', setupPages)
  .route('/', certificatePages)
  .route('/', assetPages)
  .route('/', sourcePages)
  .route('/', designerPages)
  .route('/', importPages)
  .route('/', recordPages)
  .route('/', publishPages)
  .route('/', tokenPages);
