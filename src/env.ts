import type { Database } from './db/client';
import type { Event, Organiser } from './db/schema';
import type { ExportJob } from './publish/exports';

/** Bindings declared in wrangler.toml. */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  RENDER_QUEUE: Queue<RenderJob>;
  /** Downloads of many certificates, a slice of records a message (src/publish/exports.ts). */
  EXPORT_QUEUE: Queue<ExportJob>;
  /** Downscales uploaded images once, outside the worker's memory (Cloudflare Images). */
  IMAGES: ImagesBinding;
  /** Static files built by scripts/build-assets.ts: fonts too large to bundle, and emoji. */
  ASSETS: Fetcher;
  /** Public searches (page and API) per client; limit and period in wrangler.toml. */
  SEARCH_LIMITER: RateLimit;
  /** Certificate image requests per client; limit and period in wrangler.toml. */
  IMAGE_LIMITER: RateLimit;
  /**
   * The portal's public address: QR codes on certificates and every absolute link point here,
   * whatever Host a request names. Empty in local development only: links follow the loopback
   * address in use (src/paths.ts linkOrigin).
   */
  PUBLIC_URL: string;
  /** Loopback origins URL sources may pull from: the tests' timing system, or .dev.vars in wrangler dev. */
  LOCAL_SOURCE_ORIGINS?: string;
}

/**
 * What publishing puts on the queue: one record's certificate to pre-render, or a note to queue
 * the next chunk of a run's records (the run in D1 knows where). Jobs from before chunked
 * queueing have no `kind` and are renders.
 */
export type RenderJob = { kind?: 'render'; runId: number; certificateId: string } | { kind: 'queue'; runId: number };

/** What rendering reads besides the design and the record: uploaded assets in R2, and static fonts. */
export type RenderEnv = Pick<Env, 'FILES' | 'ASSETS'>;

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Database; secureHeadersNonce?: string };
}

/** The organiser API token a request came with: its id, and the one event it may use (null: all). */
export interface ApiTokenUse {
  id: number;
  eventId: number | null;
}

/**
 * Routes behind sign-in (admin pages) or a bearer token (organiser API) know who is asking;
 * `apiToken` is set for the API only.
 */
export interface OrganiserEnv {
  Bindings: Env;
  Variables: AppEnv['Variables'] & { organiser: Organiser; csrfToken: string; apiToken?: ApiTokenUse };
}

/** Routes of one event, behind the ownership gate in src/auth/ownership.ts: `c.var.event` is the organiser's. */
export interface EventEnv {
  Bindings: Env;
  Variables: OrganiserEnv['Variables'] & { event: Event };
}
