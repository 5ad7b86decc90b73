import { Hono } from 'hono';
import type { OrganiserEnv } from '../env';
import { eventPages } from './events';
import { requireSignIn } from './guard';

/** Every admin page sits behind sign-in; only /admin/sign-in (see auth.tsx) does not. */
export const admin = new Hono<OrganiserEnv>()
  .use('/', requireSignIn)
  .use('/*', requireSignIn)
  .route('/', eventPages);
