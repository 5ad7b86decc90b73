import type { Database } from './db/client';

/** Bindings declared in wrangler.toml. */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  ENVIRONMENT: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Database; secureHeadersNonce?: string };
}
