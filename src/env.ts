import type { Database } from './db/client';

/** Bindings declared in wrangler.toml. */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Database; secureHeadersNonce?: string };
}
