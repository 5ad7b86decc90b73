import type { Database } from './db/client';
import type { Organiser } from './db/schema';

/** Bindings declared in wrangler.toml. */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Database; secureHeadersNonce?: string };
}

/** Routes behind sign-in (admin pages) or a bearer token (organiser API) know who is asking. */
export interface OrganiserEnv {
  Bindings: Env;
  Variables: AppEnv['Variables'] & { organiser: Organiser; csrfToken: string };
}
