import type { RenderEnv } from '../env';
import { RecentCache } from './recent';

// The ASSETS binding ignores the host; any absolute URL reaches .assets/ by its path.
const ORIGIN = 'https://assets.local';

// The emoji pictures recent names used; fonts are kept as HarfBuzz faces instead, and their
// manifest parsed (text/faces.ts).
const cache = new RecentCache<ArrayBuffer>(4 * 1024 * 1024);
const inFlight = new Map<string, Promise<ArrayBuffer | undefined>>();

/** A file of .assets/ read without keeping it, for callers that keep what they make of it instead. */
export async function fetchAsset(env: RenderEnv, path: string): Promise<ArrayBuffer | undefined> {
  const res = await env.ASSETS.fetch(`${ORIGIN}${path}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`ASSETS ${path}: ${res.status}`);
  return res.arrayBuffer();
}

/**
 * A file of .assets/ (see scripts/build-assets.ts), or undefined if there is none, kept while
 * recently used; concurrent reads of one path share one fetch.
 */
export function readAsset(env: RenderEnv, path: string): Promise<ArrayBuffer | undefined> {
  const hit = cache.get(path);
  if (hit) return Promise.resolve(hit);
  let read = inFlight.get(path);
  if (!read) {
    read = fetchAsset(env, path)
      .then((data) => data && cache.set(path, data, data.byteLength))
      .finally(() => inFlight.delete(path));
    inFlight.set(path, read);
  }
  return read;
}
